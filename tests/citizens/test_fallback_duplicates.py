"""A commune's stand-in point never links two reports as duplicates.

Replays the review's attack: two pothole calls in different streets of Chenôve, both filed
on the phone portal with only the commune, became one incident.
"""

from __future__ import annotations

from citizens import selectors
from citizens.models import Report
from tests.citizens.factories import submit_report


def _phone_report(client, description: str) -> Report:  # type: ignore[no-untyped-def]
    response = client.post(
        "/portail/",
        {
            "action": "report",
            "category": "voirie-nid-de-poule",
            "description": description,
            "place": "Chenôve",
        },
    )
    assert response.status_code == 302
    return Report.objects.latest("pk")


def test_two_phone_reports_placed_only_by_commune_stay_two_problems(
    client, teleoperator, reference_configuration
) -> None:
    client.force_login(teleoperator)
    first = _phone_report(client, "Nid-de-poule rue Jean Moulin à Chenôve")
    second = _phone_report(client, "Nid-de-poule avenue Roland Carraz à Chenôve")
    assert (first.incident.lat, first.incident.lon) == (second.incident.lat, second.incident.lon)
    assert second.master_incident_id is None
    assert first.master_incident_id is None


def test_a_precise_report_is_not_linked_to_one_placed_only_by_commune(
    client, teleoperator, reference_configuration
) -> None:
    client.force_login(teleoperator)
    vague = _phone_report(client, "Nid-de-poule quelque part à Chenôve").incident
    precise = submit_report(category_code="voirie-nid-de-poule", lat=vague.lat, lon=vague.lon)
    assert precise.master_incident_id is None


def test_precise_reports_at_one_place_are_still_linked(reference_configuration) -> None:
    first = submit_report(category_code="voirie-nid-de-poule", lat=47.2940, lon=5.0050)
    second = submit_report(category_code="voirie-nid-de-poule", lat=47.2940, lon=5.0050)
    assert not selectors.is_fallback_location(lat=47.2940, lon=5.0050)
    assert second.master_incident_id == first.incident_id  # positive control
