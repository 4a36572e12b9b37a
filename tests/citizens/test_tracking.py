from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from citizens import services
from citizens.models import Report
from incidents.models import Incident, Status
from incidents.services.lifecycle import incident_move
from tests.citizens.factories import form_data, submit_report


def _resolve(report: Report, note: str = "") -> None:
    incident = Incident.objects.get(pk=report.incident_id)
    incident_move(incident=incident, to=Status.ROUTED)
    incident_move(incident=incident, to=Status.RESOLVED, note=note)


def test_the_tracking_page_shows_the_reporters_own_words_beside_the_progress(
    client, reference_configuration
) -> None:
    client.post("/signaler/", form_data(description="Lampadaire éteint devant le numéro 12"))
    report = Report.objects.get()
    page = client.get(f"/suivi/{report.token}/").content.decode()
    assert report.reference in page
    assert "Lampadaire éteint devant le numéro 12" in page


def test_the_tracking_page_shows_neither_the_reporters_contact_nor_other_reporters(
    client, reference_configuration
) -> None:
    mine = submit_report(contact_email="moi@example.org", contact_consent=True)
    submit_report(
        lat=mine.lat + 0.0001,  # type: ignore[operator]
        contact_name="Autre Personne",
        contact_email="autre@example.org",
        contact_phone="0611111111",
        contact_consent=True,
    )
    page = client.get(f"/suivi/{mine.token}/").content.decode()
    for private in ("moi@example.org", "autre@example.org", "0611111111", "Autre Personne"):
        assert private not in page


def test_a_report_linked_as_duplicate_follows_its_master(client, reference_configuration) -> None:
    first = submit_report()
    second = submit_report(lat=first.lat + 0.0001)  # type: ignore[operator]
    page = client.get(f"/suivi/{second.token}/").content.decode()
    assert first.reference in page


def test_the_tracking_page_is_kept_out_of_caches_and_referrers(
    client, reference_configuration
) -> None:
    client.post("/signaler/", form_data())
    response = client.get(f"/suivi/{Report.objects.get().token}/")
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]


def test_an_unknown_tracking_token_is_not_found(client, db) -> None:
    assert client.get("/suivi/not-a-real-token/").status_code == 404


def test_tracking_tokens_cannot_be_guessed_from_one_another(reference_configuration) -> None:
    first, second = submit_report().token, submit_report(lat=47.30).token
    assert len(first) >= 24
    assert first[:8] != second[:8]


def test_the_reporter_confirms_the_fix_and_the_incident_is_closed(
    client, reference_configuration
) -> None:
    report = submit_report()
    _resolve(report)
    assert 'id="fix-answer"' in client.get(f"/suivi/{report.token}/").content.decode()
    response = client.post(f"/suivi/{report.token}/reponse/", {"answer": "confirm"})
    assert response.status_code == 302
    assert Incident.objects.get(pk=report.incident_id).status == Status.CLOSED
    report.refresh_from_db()
    assert report.confirmed_fixed_at is not None


def test_the_reporter_reopens_and_the_same_incident_comes_back(
    client, reference_configuration
) -> None:
    report = submit_report()
    reference = report.reference
    _resolve(report)
    client.post(
        f"/suivi/{report.token}/reponse/", {"answer": "reopen", "description": "Toujours éteint"}
    )
    report.refresh_from_db()
    assert report.reference == reference
    assert Incident.objects.count() == 1
    incident = Incident.objects.get(pk=report.incident_id)
    assert incident.status in (Status.NEW, Status.ROUTED, Status.ASSIGNED)
    assert "Toujours éteint" in incident.transitions.last().note


def test_the_tracking_page_shows_the_reopening_in_the_history(
    client, reference_configuration
) -> None:
    report = submit_report()
    _resolve(report)
    services.report_reopen(token=report.token, description="Toujours éteint")
    page = client.get(f"/suivi/{report.token}/").content.decode()
    assert 'data-status="reopened"' in page
    assert "Rouvert" in page
    assert 'id="fix-answer"' not in page
    assert "Toujours éteint" not in page  # the reporter's words stay with the staff


def test_a_report_linked_as_duplicate_reopens_its_master(reference_configuration) -> None:
    first = submit_report()
    second = submit_report(lat=first.lat + 0.0001)  # type: ignore[operator]
    _resolve(first)
    services.report_reopen(token=second.token, description="")
    master = Incident.objects.get(pk=first.incident_id)
    assert master.reopen_count == 1
    assert Incident.objects.get(pk=second.incident_id).status == Status.DUPLICATE


def test_the_fix_cannot_be_disputed_twice(reference_configuration) -> None:
    report = submit_report()
    _resolve(report)
    services.report_reopen(token=report.token, description="")
    with pytest.raises(services.FixAnswerRefused):
        services.report_reopen(token=report.token, description="")


def test_the_fix_cannot_be_disputed_after_the_set_number_of_days(
    reference_configuration, settings
) -> None:
    settings.CITIZENS_REOPEN_DAYS = 7
    report = submit_report()
    _resolve(report)
    with (
        time_machine.travel(timezone.now() + timedelta(days=8)),
        pytest.raises(services.FixAnswerRefused),
    ):
        services.report_reopen(token=report.token, description="")


def test_an_open_incident_cannot_be_confirmed_fixed(reference_configuration) -> None:
    report = submit_report()
    with pytest.raises(services.FixAnswerRefused):
        services.report_confirm_fix(token=report.token)


def _reason_on_page(client, report: Report, **headers: str) -> str:  # type: ignore[no-untyped-def]
    page = client.get(f"/suivi/{report.token}/", **headers).content.decode()
    if 'data-testid="reason"' not in page:
        return ""
    return page.split('data-testid="reason">', 1)[1].split("</p>", 1)[0]


def test_an_open_report_shows_no_reason(client, reference_configuration) -> None:
    assert _reason_on_page(client, submit_report()) == ""


def test_a_rejection_says_why_in_plain_words(
    english_visitor, client, reference_configuration, operator
) -> None:
    from incidents.services import incident_reject

    report = submit_report()
    incident_reject(
        incident_id=report.incident_id, by=operator, reason="Ce terrain est une propriété privée."
    )
    reason = _reason_on_page(client, report)
    assert "Why the city cannot act on it:" in reason
    assert "Ce terrain est une propriété privée." in reason


def test_a_cancellation_says_why(
    english_visitor, client, reference_configuration, operator
) -> None:
    from incidents.services import incident_cancel

    report = submit_report()
    incident_cancel(incident_id=report.incident_id, by=operator, reason="Réparé par Enedis.")
    reason = _reason_on_page(client, report)
    assert "Why it was cancelled:" in reason
    assert "Réparé par Enedis." in reason


def test_a_duplicate_names_the_incident_that_carries_the_work_and_nothing_else(
    english_visitor, client, reference_configuration, operator
) -> None:
    from incidents.services import incident_mark_duplicate

    first = submit_report(contact_email="premier@example.org", contact_consent=True)
    second = submit_report(lat=47.30, link_duplicates=False)
    incident_mark_duplicate(
        incident_id=second.incident_id, master_id=first.incident_id, by=operator
    )
    reason = _reason_on_page(client, second)
    assert f"already been reported (reference {first.reference})" in reason
    assert "It is now: New." in reason
    assert "premier@example.org" not in client.get(f"/suivi/{second.token}/").content.decode()
