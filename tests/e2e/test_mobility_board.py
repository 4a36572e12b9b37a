"""The mobility board as the mobility operator sees it, in a real browser."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hypervisor.roles import Role
from mobility.models import IncidentTransitImpact, TransportOperatorContact
from tests.hypervisor.factories import UserFactory
from tests.mobility.factories import CarParkFactory

pytestmark = pytest.mark.e2e


def test_the_mobility_operator_sees_a_full_car_park_and_notifies_the_transport_operator(
    real_services, open_page, asgi_server, reference_configuration
) -> None:
    from incidents.models import Source
    from incidents.services import incident_open

    user = UserFactory(username="mathis", roles=[Role.MOBILITY_OPERATOR])
    CarParkFactory(
        reference="dauphine", name="Parking Dauphine", occupancy_percent=100.0,
        state="full", observed_at=timezone.now(),
    )  # fmt: skip
    incident = incident_open(
        category_code="voirie-obstacle", description="Camion", lat=47.3225, lon=5.0356,
        source=Source.PHONE,
    )  # fmt: skip
    TransportOperatorContact.objects.create(
        category_code="voirie-obstacle", recipient_name="PC Divia", email="pc@divia.example"
    )
    IncidentTransitImpact.objects.create(
        incident_id=incident.pk, reference=incident.reference, category_code="voirie-obstacle",
        lat=47.3225, lon=5.0356, found_at=timezone.now(),
        lines=[{"route_id": "T1", "name": "T1", "stops": ["Darcy"]}],
    )  # fmt: skip
    page = open_page(width=1440, height=900, username=user.username)
    page.goto(f"{asgi_server.url}/mobilite/")
    assert "COMPLET" in page.get_by_test_id("car-parks").inner_text()  # badge in capitals
    # The map asked for the live layers and drew them.
    # (A locator, not wait_for_function: the page's CSP forbids evaluating strings.)
    expect(page.locator("#map-updated")).to_have_text(re.compile(r"^Mis à jour"))
    assert page.locator("#mobility-map").get_attribute("data-drawn") == "1"
    page.get_by_role("button", name="Prévenir l'exploitant des transports").click()
    page.wait_for_load_state()
    assert "a été prévenu" in page.content()
    assert "prévenu à" in page.get_by_test_id("incident-impacts").inner_text()
