from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail

from citizens.models import CitizenMessage, Report
from citizens.services import citizen_message_deliver, citizens_notify_status_change
from citizens.services.notifications import RetryLater
from incidents.models import Incident, Status
from incidents.services import incident_reject
from incidents.services.lifecycle import incident_move
from tests.citizens.factories import submit_report


class SmsGateway:
    """A stand-in for the SMS gateway, answering with a chosen status."""

    def __init__(self, status: int) -> None:
        self.received: list[dict] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                gateway.received.append(json.loads(self.rfile.read(length)))
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/messages"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def gateway(request, settings) -> Iterator[SmsGateway]:  # type: ignore[no-untyped-def]
    fake = SmsGateway(getattr(request, "param", 200))
    settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_TOKEN = fake.url, "token"
    yield fake
    fake.server.shutdown()


@pytest.fixture
def mail_server(settings) -> None:  # type: ignore[no-untyped-def]
    """Django's in-memory outbox stands in for the SMTP server."""
    settings.EMAIL_DELIVERY = "smtp"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def reachable_report(reference_configuration) -> Report:  # type: ignore[no-untyped-def]
    return submit_report(
        contact_email="ana@example.org", contact_phone="0612345678", contact_consent=True
    )


def _resolve(incident_id: int, note: str) -> None:
    incident = Incident.objects.get(pk=incident_id)
    incident_move(incident=incident, to=Status.ROUTED)
    incident_move(incident=incident, to=Status.RESOLVED, note=note)


def test_the_reporter_is_emailed_and_texted_the_fix_with_the_closing_note(
    reachable_report, gateway, mail_server, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _resolve(reachable_report.incident_id, "Lampe remplacée")
    [email] = mail.outbox
    assert email.to == ["ana@example.org"]
    assert reachable_report.reference in email.subject
    assert "Lampe remplacée" in email.body
    assert f"/suivi/{reachable_report.token}/" in email.body
    [sms] = gateway.received
    assert sms["to"] == "0612345678"
    assert "Lampe remplacée" in sms["text"]


def test_the_rejection_reason_reaches_the_reporter(
    reachable_report, mail_server, operator, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        incident_reject(incident_id=reachable_report.incident_id, by=operator, reason="Voie privée")
    assert any("Voie privée" in email.body for email in mail.outbox)


def test_in_the_embedded_mode_messages_are_written_to_the_notifications_file(
    reachable_report, settings, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _resolve(reachable_report.incident_id, "Lampe remplacée")
    lines = [json.loads(line) for line in settings.NOTIFICATIONS_FILE.read_text().splitlines()]
    assert {(line["channel"], line["to"]) for line in lines} == {
        ("email", "ana@example.org"),
        ("sms", "0612345678"),
    }


def test_a_reporter_without_contact_gets_nothing(
    reference_configuration, mail_server, django_capture_on_commit_callbacks
) -> None:
    report = submit_report()
    with django_capture_on_commit_callbacks(execute=True):
        _resolve(report.incident_id, "OK")
    assert not CitizenMessage.objects.exists()
    assert mail.outbox == []


def test_a_follower_hears_of_the_incident_they_follow(
    reference_configuration, mail_server, django_capture_on_commit_callbacks
) -> None:
    from citizens.services import incident_follow

    report = submit_report()
    incident_follow(incident_id=report.incident_id, contact_email="voisin@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        _resolve(report.incident_id, "Réparé")
    assert [email.to for email in mail.outbox] == [["voisin@example.org"]]


def test_the_reporter_of_a_duplicate_hears_of_the_master_incident(
    reference_configuration, mail_server, django_capture_on_commit_callbacks
) -> None:
    master = submit_report()
    duplicate = submit_report(
        lat=master.lat + 0.0001,  # type: ignore[operator]
        contact_email="second@example.org",
        contact_consent=True,
    )
    assert duplicate.master_incident_id == master.incident_id
    with django_capture_on_commit_callbacks(execute=True):
        _resolve(master.incident_id, "Réparé")
    assert [email.to for email in mail.outbox] == [["second@example.org"]]


def test_a_replayed_status_change_sends_nothing_twice(reachable_report, mail_server) -> None:
    arguments = {
        "incident_id": reachable_report.incident_id,
        "to_status": "resolved",
        "note": "",
        "event_id": "2026-11-22T10:00:00+00:00",
    }
    assert len(citizens_notify_status_change(**arguments)) == 2
    assert citizens_notify_status_change(**arguments) == []


@pytest.mark.parametrize("gateway", [400], indirect=True)
def test_a_refused_sms_fails_for_good_without_retry(reachable_report, gateway) -> None:
    [sms] = [
        message
        for message in citizens_notify_status_change(
            incident_id=reachable_report.incident_id, to_status="resolved", event_id="x"
        )
        if message.channel == "sms"
    ]
    citizen_message_deliver(message_id=sms.pk)
    sms.refresh_from_db()
    assert (sms.status, sms.attempts) == (CitizenMessage.Status.FAILED, 1)


@pytest.mark.parametrize("gateway", [503], indirect=True)
def test_an_unavailable_sms_gateway_is_retried(reachable_report, gateway) -> None:
    [sms] = [
        message
        for message in citizens_notify_status_change(
            incident_id=reachable_report.incident_id, to_status="resolved", event_id="y"
        )
        if message.channel == "sms"
    ]
    with pytest.raises(RetryLater):
        citizen_message_deliver(message_id=sms.pk)
    sms.refresh_from_db()
    assert (sms.status, sms.attempts) == (CitizenMessage.Status.PENDING, 1)


def test_followers_are_told_of_a_reopening_but_not_what_the_reporter_wrote(
    reachable_report, mail_server, django_capture_on_commit_callbacks
) -> None:
    from citizens.services import incident_follow, report_reopen

    incident_follow(incident_id=reachable_report.incident_id, contact_email="voisin@example.org")
    _resolve(reachable_report.incident_id, "Lampe remplacée")
    with django_capture_on_commit_callbacks(execute=True):
        report_reopen(token=reachable_report.token, description="Mon voisin M. Martin dit non")
    reopened = [email for email in mail.outbox if "Rouvert" in email.subject]
    assert sorted(email.to[0] for email in reopened) == ["ana@example.org", "voisin@example.org"]
    assert all(reachable_report.reference in email.subject for email in reopened)
    assert not any("Martin" in email.body for email in mail.outbox)
