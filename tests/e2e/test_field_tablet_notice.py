"""The tablet tells the agent when a task is added to the crew (1024×768, live socket)."""

from __future__ import annotations

import threading

import pytest
from django.db import transaction
from playwright.sync_api import expect

from incidents import services
from incidents.models import CrewMember, Trade
from tests.incidents.factories import CrewFactory

pytestmark = pytest.mark.e2e


def test_a_task_added_to_the_crew_is_announced_on_the_open_tablet(
    real_services, celery_worker, reference_configuration, field_agent, open_page, asgi_server
) -> None:
    crew = CrewFactory(
        code="eclairage-notice",
        trades=[Trade.objects.get(code="electricien")],
        lat=47.324,
        lon=5.033,
    )
    CrewMember.objects.create(user=field_agent, crew=crew)
    tablet = open_page(width=1024, height=768, username=field_agent.username, mobile=True)
    tablet.goto(f"{asgi_server.url}/terrain/")
    expect(tablet.locator("#field-app")).to_have_attribute("data-live", "live")
    notice = tablet.locator("#field-notice")
    expect(notice).to_be_hidden()

    def report() -> None:
        with transaction.atomic():
            services.incident_open(
                category_code="eclairage-panne",
                description="Lampadaire éteint place Darcy",
                lat=47.3225,
                lon=5.0317,
                source=services.Source.WEB,
            )

    thread = threading.Thread(target=report)
    thread.start()
    thread.join()
    expect(notice).to_be_visible(timeout=15_000)
    expect(notice).to_contain_text("Nouvelle tâche")
    expect(tablet.locator(".task-item")).to_have_count(1)
