"""The mobility-operator role: mobility pages yes; CCTV, evidence and the control room no."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from hypervisor.roles import Role
from tests.hypervisor.factories import UserFactory
from tests.mobility.factories import CarParkFactory


@pytest.fixture
def mobility_operator(db):  # type: ignore[no-untyped-def]
    return UserFactory(username="mathis", roles=[Role.MOBILITY_OPERATOR])


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "url_name", ["mobility-board", "mobility-live", "mobility-network", "mobility-feeds"]
)
def test_the_mobility_operator_opens_the_mobility_pages(mobility_operator, url_name) -> None:
    CarParkFactory(reference="darcy")
    assert _client(mobility_operator).get(reverse(url_name)).status_code == 200


def test_the_mobility_operator_opens_a_car_park_history(mobility_operator) -> None:
    CarParkFactory(reference="darcy")
    url = reverse("car-park-detail", args=["darcy"])
    assert _client(mobility_operator).get(url).status_code == 200


@pytest.mark.parametrize(
    "url_name", ["cameras-board", "evidence-register", "evidence-register-export", "control-room"]
)
def test_the_mobility_operator_sees_nothing_of_cctv_evidence_or_the_control_room(
    mobility_operator, url_name
) -> None:
    assert _client(mobility_operator).get(reverse(url_name)).status_code == 403


def test_an_operator_sees_the_board_but_not_the_feed_configuration(operator) -> None:
    client = _client(operator)
    assert client.get(reverse("mobility-board")).status_code == 200
    assert client.get(reverse("mobility-feeds")).status_code == 403


@pytest.mark.parametrize("persona", ["field_agent", "police_officer", "elected_official"])
def test_roles_outside_mobility_are_refused_the_board(request, persona) -> None:
    user = request.getfixturevalue(persona)
    assert _client(user).get(reverse("mobility-board")).status_code == 403


def test_a_visitor_is_sent_to_log_in(db) -> None:
    response = Client().get(reverse("mobility-board"))
    assert response.status_code == 302
    assert "/login" in response["Location"] or "connexion" in response["Location"]
