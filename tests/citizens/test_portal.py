from __future__ import annotations

import pytest

from citizens.models import CallLog, CallReason, QuickAnswer, Report
from incidents.models import Incident
from tests.citizens.factories import submit_report


def test_a_teleoperator_opens_the_phone_portal(
    client, teleoperator, reference_configuration
) -> None:
    client.force_login(teleoperator)
    assert client.get("/portail/").status_code == 200


@pytest.mark.parametrize(
    "persona", ["operator", "supervisor", "field_agent", "police_officer", "elected_official"]
)
def test_other_roles_are_refused_the_phone_portal(client, request, persona: str) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/portail/").status_code == 403
    assert client.post("/portail/", {"action": "call", "reason": "information"}).status_code == 403
    assert not CallLog.objects.exists()


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, db) -> None:
    response = client.get("/portail/")
    assert response.status_code == 302
    assert response.url.startswith("/connexion/")


def test_a_call_is_logged_with_its_reason_and_optional_number(
    client, teleoperator, reference_configuration
) -> None:
    client.force_login(teleoperator)
    client.post("/portail/", {"action": "call", "reason": "complaint", "caller_number": ""})
    client.post(
        "/portail/", {"action": "call", "reason": "information", "caller_number": "0380000000"}
    )
    assert set(CallLog.objects.values_list("reason", "caller_number")) == {
        ("complaint", ""),
        ("information", "0380000000"),
    }
    assert set(CallLog.objects.values_list("taken_by", flat=True)) == {teleoperator.pk}


def test_a_call_without_a_reason_is_refused(client, teleoperator, reference_configuration) -> None:
    client.force_login(teleoperator)
    response = client.post("/portail/", {"action": "call", "caller_number": "0380000000"})
    assert response.status_code == 400
    assert not CallLog.objects.exists()


def test_a_report_filed_for_a_caller_is_a_phone_report_logged_as_a_call(
    client, teleoperator, reference_configuration
) -> None:
    client.force_login(teleoperator)
    response = client.post(
        "/portail/",
        {
            "action": "report",
            "category": "voirie-nid-de-poule",
            "description": "Nid-de-poule signalé par téléphone",
            "place": "Chenôve",
            "caller_number": "0611223344",
            "sms_consent": "on",
        },
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert Incident.objects.get(pk=report.incident_id).source == "phone"
    assert report.contact_phone == "0611223344"
    assert report.lat is not None
    call = CallLog.objects.get()
    assert (call.reason, call.report_id) == (CallReason.NEW_REPORT, report.pk)


def test_an_incident_is_found_by_its_reference_to_say_it_is_already_handled(
    client, teleoperator, reference_configuration
) -> None:
    report = submit_report()
    client.force_login(teleoperator)
    page = client.get("/portail/", {"q": report.reference.lower()}).content.decode()
    assert f"<strong>{report.reference}</strong>" in page


def test_open_incidents_are_found_by_commune(
    client, teleoperator, reference_configuration, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        report = submit_report()
    commune = Incident.objects.get(pk=report.incident_id).commune
    client.force_login(teleoperator)
    page = client.get("/portail/", {"commune": commune.name}).content.decode()
    assert report.reference in page


def test_quick_answers_are_searched_by_keyword(client, teleoperator, db) -> None:
    QuickAnswer.objects.create(title="Horaires des piscines", body="9 h–18 h", keywords="natation")
    QuickAnswer.objects.create(title="Cantine", body="Espace famille", keywords="école")
    client.force_login(teleoperator)
    page = client.get("/portail/", {"answer": "natation"}).content.decode()
    assert "Horaires des piscines" in page
    assert "Espace famille" not in page


def test_the_day_statistics_count_calls_by_reason(client, teleoperator, db) -> None:
    from django.utils import timezone

    from citizens.selectors import call_statistics
    from citizens.services import call_log

    for reason in (CallReason.INFORMATION, CallReason.INFORMATION, CallReason.COMPLAINT):
        call_log(reason=reason, taken_by=teleoperator)
    counts = {row["reason"]: row["count"] for row in call_statistics(day=timezone.localdate())}
    assert counts == {"information": 2, "new_report": 0, "follow_up": 0, "complaint": 1}
