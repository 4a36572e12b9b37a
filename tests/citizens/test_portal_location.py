"""The phone portal: placing the caller's problem, warning of duplicates, finding incidents."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.template import Context, Template

from citizens import selectors, services
from citizens.models import CallLog, CallReason, Follower, Report
from incidents.models import Incident
from tests.citizens.factories import submit_report

EXTRACT = Path(__file__).parent.parent / "hypervisor" / "data" / "adresses-21-extract.csv"
RUE_MONGE_12 = {"lat": 47.31899, "lon": 5.03655}


@pytest.fixture
def gazetteer(reference_configuration) -> None:  # type: ignore[no-untyped-def]
    call_command("load_addresses", str(EXTRACT), stdout=StringIO(), stderr=StringIO())


@pytest.fixture
def portal(client, teleoperator, gazetteer):  # type: ignore[no-untyped-def]
    client.force_login(teleoperator)
    return client


def _report(**overrides: Any) -> dict[str, Any]:
    return {
        "action": "report",
        "category": "voirie-nid-de-poule",
        "description": "Nid-de-poule profond devant le 12",
        "address": "12 bis Rue Monge, Dijon",
        "lat": str(RUE_MONGE_12["lat"]),
        "lon": str(RUE_MONGE_12["lon"]),
        "place": "",
        "caller_number": "0611223344",
        "sms_consent": "on",
        **overrides,
    }


def _pothole_at_rue_monge() -> Report:
    return submit_report(category_code="voirie-nid-de-poule", **RUE_MONGE_12)


def test_a_report_filed_at_an_address_takes_its_point_and_links_the_call(portal) -> None:
    response = portal.post("/portail/", _report())
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.lat, report.lon) == (RUE_MONGE_12["lat"], RUE_MONGE_12["lon"])
    call = CallLog.objects.get()
    assert (call.report_id, call.incident_id) == (report.pk, report.incident_id)


def test_a_report_without_any_place_is_refused_with_a_clear_error(portal) -> None:
    response = portal.post("/portail/", _report(address="", lat="", lon=""))
    assert response.status_code == 400
    assert "Find the address" in response.content.decode() or "Trouvez" in (
        response.content.decode()
    )
    assert not Report.objects.exists()


def test_an_incident_nearby_is_shown_before_filing_and_nothing_is_filed(portal) -> None:
    existing = _pothole_at_rue_monge()
    response = portal.post("/portail/", _report())
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="duplicate-warning"' in page
    assert existing.reference in page
    assert Report.objects.count() == 1


def test_one_click_adds_the_caller_as_a_follower_and_logs_the_call(portal) -> None:
    existing = _pothole_at_rue_monge()
    response = portal.post(
        "/portail/",
        {
            "action": "follow",
            "incident": existing.incident_id,
            "category": "voirie-nid-de-poule",
            "lat": RUE_MONGE_12["lat"],
            "lon": RUE_MONGE_12["lon"],
            "caller_number": "0611223344",
            "sms_consent": "on",
        },
    )
    assert response.status_code == 302
    follower = Follower.objects.get()
    assert (follower.incident_id, follower.contact_phone) == (existing.incident_id, "0611223344")
    call = CallLog.objects.get()
    assert (call.reason, call.incident_id) == (CallReason.FOLLOW_UP, existing.incident_id)
    assert Report.objects.count() == 1


def test_following_an_incident_that_was_not_offered_is_refused(portal) -> None:
    far = submit_report(category_code="voirie-nid-de-poule", lat=47.2913, lon=5.0063)
    _pothole_at_rue_monge()
    response = portal.post(
        "/portail/",
        {
            "action": "follow",
            "incident": far.incident_id,
            "category": "voirie-nid-de-poule",
            "lat": RUE_MONGE_12["lat"],
            "lon": RUE_MONGE_12["lon"],
        },
    )
    assert response.status_code == 302
    assert not Follower.objects.exists()
    assert not CallLog.objects.exists()


def test_filing_all_the_same_after_the_warning_links_the_report_as_a_duplicate(portal) -> None:
    existing = _pothole_at_rue_monge()
    response = portal.post("/portail/", _report(file_anyway="on"))
    assert response.status_code == 302
    report = Report.objects.exclude(pk=existing.pk).get()
    assert report.master_incident_id == existing.incident_id
    assert CallLog.objects.get().incident_id == existing.incident_id


def test_a_commune_only_report_is_never_matched_against_others(portal) -> None:
    dijon = next(place for place in selectors.places() if place["name"] == "Dijon")
    at_centre = submit_report(
        category_code="voirie-nid-de-poule", lat=dijon["lat"], lon=dijon["lon"]
    )
    response = portal.post("/portail/", _report(address="", lat="", lon="", place="Dijon"))
    assert response.status_code == 302
    report = Report.objects.exclude(pk=at_centre.pk).get()
    assert report.master_incident_id is None
    assert Incident.objects.get(pk=report.incident_id).status != "duplicate"


def test_an_incident_is_found_by_its_street(portal) -> None:
    existing = _pothole_at_rue_monge()
    elsewhere = submit_report(category_code="voirie-nid-de-poule", lat=47.2913, lon=5.0063)
    page = portal.get("/portail/", {"q": "rue monge"}).content.decode()
    assert existing.reference in page
    assert elsewhere.reference not in page


def test_an_incident_is_found_by_its_reference_typed_with_spaces(portal) -> None:
    existing = _pothole_at_rue_monge()
    spaced = f"{existing.reference[:3]} {existing.reference[3:]}".lower()
    found = selectors.portal_incident_search(query=spaced)
    assert [row["reference"] for row in found["results"]] == [existing.reference]


def test_the_category_narrows_the_search(portal) -> None:
    pothole = _pothole_at_rue_monge()
    lamp = submit_report(category_code="eclairage-panne", **RUE_MONGE_12)
    found = selectors.portal_incident_search(query="rue monge", category_code="eclairage-panne")
    references = [row["reference"] for row in found["results"]]
    assert references == [lamp.reference]
    assert pothole.reference not in references


def test_the_commune_list_names_each_incidents_address(
    portal, django_capture_on_commit_callbacks
) -> None:
    # The commune is set by routing, after the report's transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        _pothole_at_rue_monge()
    found = selectors.portal_incident_search(commune="Dijon")
    assert [row["address"] for row in found["results"]] == ["12 bis Rue Monge, Dijon"]


def test_a_call_about_an_incident_named_by_its_reference_is_linked_to_it(
    portal, teleoperator
) -> None:
    existing = _pothole_at_rue_monge()
    portal.post(
        "/portail/",
        {"action": "call", "reason": "follow_up", "reference": existing.reference.lower()},
    )
    assert CallLog.objects.get().incident_id == existing.incident_id


def test_a_call_naming_an_unknown_reference_is_refused(portal) -> None:
    response = portal.post(
        "/portail/", {"action": "call", "reason": "follow_up", "reference": "ZZZ"}
    )
    assert response.status_code == 400
    assert not CallLog.objects.exists()


def test_the_incident_page_include_lists_the_calls_about_it(gazetteer, teleoperator) -> None:
    existing = _pothole_at_rue_monge()
    other = submit_report(category_code="eclairage-panne", lat=47.2913, lon=5.0063)
    services.call_log(
        reason=CallReason.COMPLAINT,
        note="Toujours là",
        incident_id=existing.incident_id,
        taken_by=teleoperator,
    )
    services.call_log(
        reason=CallReason.INFORMATION, incident_id=other.incident_id, taken_by=teleoperator
    )
    assert [
        call.note for call in selectors.calls_for_incident(incident_id=existing.incident_id)
    ] == ["Toujours là"]
    html = Template("{% load citizens_calls %}{% incident_calls incident_id %}").render(
        Context({"incident_id": existing.incident_id})
    )
    assert "Toujours là" in html
    assert html.count("<li>") == 1
