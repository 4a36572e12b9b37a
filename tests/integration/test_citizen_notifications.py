"""A status change reaches the reporter through the real broker and a real Celery worker."""

from __future__ import annotations

import json
import time

import pytest
from django.db import transaction

from citizens import services
from citizens.models import CitizenMessage
from incidents.models import Incident, Status
from incidents.services.lifecycle import incident_move

pytestmark = pytest.mark.integration


def test_a_resolved_incident_is_told_to_its_reporter_by_the_worker(
    real_services, celery_worker, reference_configuration, settings, tmp_path
) -> None:
    settings.NOTIFICATIONS_FILE = tmp_path / "notifications.log"
    report = services.report_submit(
        category_code="eclairage-panne",
        description="Lampadaire éteint rue de la Liberté",
        lat=47.3222,
        lon=5.0390,
        contact_email="ana@example.org",
        contact_consent=True,
    )
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=report.incident_id)
        if incident.status == Status.NEW:
            incident_move(incident=incident, to=Status.ROUTED)
        incident_move(incident=incident, to=Status.RESOLVED, note="Lampe remplacée")
    deadline = time.monotonic() + 15
    fixed = CitizenMessage.objects.filter(channel="email", body__contains="Lampe remplacée")
    while time.monotonic() < deadline:
        if fixed.filter(status=CitizenMessage.Status.SENT).exists():
            break
        time.sleep(0.1)
    assert fixed.get().status == CitizenMessage.Status.SENT
    lines = [json.loads(line) for line in settings.NOTIFICATIONS_FILE.read_text().splitlines()]
    [line] = [line for line in lines if "Lampe remplacée" in line["body"]]
    assert line["to"] == "ana@example.org"
