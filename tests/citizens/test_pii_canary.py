"""Reporters' personal data never reaches the logs, on any channel, down to the notifications.

Canary names, e-mail addresses, phone numbers and descriptions go in through the web form,
Open311 and the phone portal; the reports are routed and their reporters told of the fix
through the embedded outbox, an SMTP server that refuses the address and an SMS gateway
that refuses the number (the paths that log the most). Every record, at DEBUG on every
logger, the console output and the production JSON lines are then searched for the
canaries. SQL stays out on purpose: its parameters would carry them, which is why
`django.db.backends` is pinned at INFO in the settings (proven here with a debug cursor).
"""

from __future__ import annotations

import io
import json
import logging
import smtplib
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection

from citizens.models import Report
from incidents.models import Incident, Status
from incidents.services.lifecycle import incident_move
from tests.citizens.factories import DIJON
from tests.citizens.test_notifications import SmsGateway
from tests.test_logs import formatter

FIRST_NAME = "Canaryfirstname"
LAST_NAME = "Canarylastname"
EMAIL = "canary.mail.5e1c@example.org"
OPEN311_EMAIL = "canary.open311.5e1c@example.org"
PHONE = "0611975310"
OPEN311_PHONE = "0622975310"
CALLER_PHONE = "0633975310"
DESCRIPTIONS = {
    "web": "Canari-web-5e1c lampadaire penché au-dessus du trottoir",
    "open311": "Canari-open311-5e1c nid-de-poule devant la boulangerie",
    "phone": "Canari-phone-5e1c nid-de-poule signalé par téléphone",
}
CANARIES = [
    FIRST_NAME,
    LAST_NAME,
    EMAIL,
    OPEN311_EMAIL,
    PHONE,
    OPEN311_PHONE,
    CALLER_PHONE,
    "06 11 97 53 10",
    *DESCRIPTIONS.values(),
]


class RefusingSmtpBackend(BaseEmailBackend):
    """A mail server that refuses every recipient, naming them as real servers do."""

    def send_messages(self, email_messages: Any) -> int:
        recipients = {
            address: (550, f"5.1.1 <{address}>: Recipient address rejected".encode())
            for message in email_messages
            for address in message.recipients()
        }
        raise smtplib.SMTPRecipientsRefused(recipients)


@pytest.fixture
def sms_gateway() -> Iterator[SmsGateway]:
    """An SMS gateway answering 400 to every number; keeps what it was sent."""
    gateway = SmsGateway(400)
    yield gateway
    gateway.server.shutdown()


@pytest.fixture
def every_log(caplog) -> Iterator[io.StringIO]:  # type: ignore[no-untyped-def]
    """Every logger at DEBUG into caplog, and the production JSON lines into a buffer."""
    manager = logging.root.manager
    loggers = [logging.getLogger(name) for name in list(manager.loggerDict)]
    levels = {logger: logger.level for logger in loggers}
    for logger in loggers:
        if not logger.name.startswith("django.db.backends"):
            logger.setLevel(logging.DEBUG)
    caplog.set_level(logging.DEBUG)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter("json"))
    handler.setLevel(logging.DEBUG)
    logging.getLogger().addHandler(handler)
    connection.force_debug_cursor = True  # SQL would be logged, parameters and all
    yield stream
    connection.force_debug_cursor = False
    logging.getLogger().removeHandler(handler)
    for logger, level in levels.items():
        logger.setLevel(level)


def leaks(text: str) -> list[str]:
    return [canary for canary in CANARIES if canary.casefold() in text.casefold()]


def record_text(record: logging.LogRecord) -> str:
    """Everything a handler could print of a record: message, arguments, extra fields."""
    parts = [record.getMessage(), repr(record.args)]
    parts += [repr(value) for key, value in vars(record).items() if key not in {"msg", "args"}]
    if record.exc_info and record.exc_info[1] is not None:
        parts.append(logging.Formatter().formatException(record.exc_info))
    return "\n".join(parts)


def test_the_canary_search_finds_a_planted_leak(every_log, caplog) -> None:
    # Guards the search itself: a canary logged anywhere, at DEBUG, is found.
    logging.getLogger("citizens.anything").debug("contact %s", EMAIL)
    assert leaks("\n".join(record_text(record) for record in caplog.records)) == [EMAIL]
    assert leaks(every_log.getvalue()) == [EMAIL]


def resolve(incident_id: int, note: str) -> None:
    incident = Incident.objects.get(pk=incident_id)
    if incident.status != Status.ROUTED:
        incident_move(incident=incident, to=Status.ROUTED)
    incident_move(incident=incident, to=Status.RESOLVED, note=note)


def test_reporters_personal_data_never_reaches_the_logs(
    client,
    teleoperator,
    reference_configuration,
    open311_key,
    settings,
    sms_gateway,
    every_log,
    caplog,
    capfd,
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        web = client.post(
            "/signaler/",
            {
                "category": "eclairage-panne",
                "description": DESCRIPTIONS["web"],
                "lat": str(DIJON["lat"]),
                "lon": str(DIJON["lon"]),
                "contact_email": EMAIL,
                "contact_phone": PHONE,
                "consent": "on",
            },
        )
        invalid = client.post(
            "/signaler/",
            {"category": "", "description": DESCRIPTIONS["web"], "contact_email": EMAIL},
        )
        open311 = client.post(
            "/open311/v2/requests.json",
            {
                "api_key": open311_key,
                "jurisdiction_id": "dijon-metropole.fr",
                "service_code": "voirie-nid-de-poule",
                "lat": str(DIJON["lat"] + 0.01),
                "long": str(DIJON["lon"] + 0.01),
                "description": DESCRIPTIONS["open311"],
                "email": OPEN311_EMAIL,
                "first_name": FIRST_NAME,
                "last_name": LAST_NAME,
                "phone": OPEN311_PHONE,
            },
        )
        client.force_login(teleoperator)
        phone = client.post(
            "/portail/",
            {
                "action": "report",
                "category": "voirie-nid-de-poule",
                "description": DESCRIPTIONS["phone"],
                "place": "Chenôve",
                "caller_number": CALLER_PHONE,
                "sms_consent": "on",
            },
        )
    assert (web.status_code, invalid.status_code, phone.status_code) == (302, 400, 302)
    assert open311.status_code in (200, 201)
    reports = {report.source: report for report in Report.objects.all()}
    assert set(reports) == set(DESCRIPTIONS)
    routed = Incident.objects.exclude(status=Status.NEW)
    assert sorted(routed.values_list("description", flat=True)) == sorted(DESCRIPTIONS.values())

    # The fix is told to each reporter: the embedded outbox for the web report…
    with django_capture_on_commit_callbacks(execute=True):
        resolve(reports["web"].incident_id, "Lampe remplacée")
    # …a refusing SMTP server and SMS gateway for the others.
    settings.EMAIL_DELIVERY = "smtp"
    settings.EMAIL_BACKEND = f"{__name__}.RefusingSmtpBackend"
    settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_TOKEN = sms_gateway.url, "token"
    for source in ("open311", "phone"):
        with django_capture_on_commit_callbacks(execute=True):
            resolve(reports[source].incident_id, "Nid-de-poule rebouché")

    # The data did travel: to the outbox file and the gateway, which is where it belongs.
    outbox = settings.NOTIFICATIONS_FILE.read_text(encoding="utf-8")
    assert EMAIL in outbox
    assert PHONE in outbox
    assert {message["to"] for message in sms_gateway.received} == {OPEN311_PHONE, CALLER_PHONE}

    records = "\n".join(record_text(record) for record in caplog.records)
    console = capfd.readouterr()
    assert len(caplog.records) > 10  # the paths above did log
    assert leaks(records) == []
    assert leaks(every_log.getvalue()) == []
    assert leaks(console.err) == []
    for line in every_log.getvalue().splitlines():
        json.loads(line)
