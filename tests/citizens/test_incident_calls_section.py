"""The calls taken about an incident, listed in its staff detail (page and panel)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from citizens import selectors
from citizens.models import CallReason
from citizens.services import call_log
from incidents.models import Incident, Source
from incidents.services import incident_open

pytestmark = pytest.mark.django_db


def _incident(reference_configuration, description: str) -> Incident:
    return incident_open(
        category_code="voirie-nid-de-poule",
        description=description,
        lat=47.3225,
        lon=5.0317,
        source=Source.PHONE,
    )


@pytest.fixture
def two_incidents(reference_configuration) -> tuple[Incident, Incident]:
    return _incident(reference_configuration, "Trou rue Monge"), _incident(
        reference_configuration, "Trou place Darcy"
    )


def _page(user, incident: Incident, url_name: str = "incident-page") -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse(url_name, args=[incident.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_call_about_an_incident_is_listed_on_its_page_with_who_took_it(
    two_incidents, operator, teleoperator
) -> None:
    teleoperator.first_name, teleoperator.last_name = "Théa", "Morel"
    teleoperator.save()
    about, _other = two_incidents
    call_log(
        reason=CallReason.COMPLAINT,
        note="Toujours pas réparé",
        incident_id=about.pk,
        taken_by=teleoperator,
    )
    html = _page(operator, about)
    assert 'data-section="citizen-calls"' in html
    assert "Toujours pas réparé" in html
    assert "Théa Morel" in html


def test_a_call_is_not_listed_on_another_incidents_detail(
    two_incidents, operator, teleoperator
) -> None:
    about, other = two_incidents
    call_log(reason=CallReason.COMPLAINT, note="Trou rue Monge", incident_id=about.pk,
             taken_by=teleoperator)  # fmt: skip
    call_log(reason=CallReason.INFORMATION, note="Question Darcy", incident_id=other.pk,
             taken_by=teleoperator)  # fmt: skip
    panel = _page(operator, other, "incident-panel")
    assert "Trou rue Monge" not in panel.split('data-section="citizen-calls"')[1]
    # Positive control: the other incident's own call is in the same panel.
    assert "Question Darcy" in panel


def test_an_incident_nobody_called_about_has_no_calls_section(two_incidents, operator) -> None:
    quiet, called = two_incidents
    call_log(reason=CallReason.INFORMATION, incident_id=called.pk, taken_by=operator)
    assert 'data-section="citizen-calls"' not in _page(operator, quiet)
    assert 'data-section="citizen-calls"' in _page(operator, called)


def test_the_calls_section_counts_every_call_and_shows_the_latest(
    two_incidents, teleoperator, settings
) -> None:
    about, _other = two_incidents
    for number in range(3):
        call_log(reason=CallReason.FOLLOW_UP, note=f"appel {number}", incident_id=about.pk,
                 taken_by=teleoperator)  # fmt: skip
    section = selectors.incident_calls_section(about.pk)
    assert section is not None
    assert section["count"] == 3
    assert next(call.note for call in section["calls"]) == "appel 2"
