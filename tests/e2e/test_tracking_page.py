"""The reporter's tracking page on a phone: saying the fix did not hold reopens the incident."""

from __future__ import annotations

import re

import pytest
from django.db import transaction
from playwright.sync_api import expect

from incidents.models import Incident, Status
from incidents.services.lifecycle import incident_move
from tests.citizens.factories import submit_report

pytestmark = pytest.mark.e2e


def test_the_reporter_reopens_from_the_tracking_page_and_sees_it_in_the_history(
    real_services, celery_worker, reference_configuration, open_page, asgi_server
) -> None:
    report = submit_report()
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=report.incident_id)
        if incident.status == Status.NEW:
            incident_move(incident=incident, to=Status.ROUTED)
        incident_move(incident=incident, to=Status.RESOLVED, note="Lampe remplacée")
    phone = open_page(width=390, height=844, mobile=True)
    phone.goto(f"{asgi_server.url}/suivi/{report.token}/")
    phone.locator("#reopen-description").fill("Toujours éteint ce soir")
    phone.get_by_role("button", name=re.compile("toujours là")).click()
    expect(phone.locator(".timeline li[data-status=reopened]")).to_contain_text("Rouvert")
    expect(phone.get_by_test_id("reopened")).to_be_visible()
    incident.refresh_from_db()
    assert incident.reopen_count == 1
    assert incident.reference == report.reference
