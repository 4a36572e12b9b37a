"""The operator's incident desk in Chromium at 1920×1080, on the real stack.

An incident opened from the map and reassigned leaves the first crew's tablet live; a phone
report with no position is placed on a map from the dispatch queue and dispatched.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import transaction
from playwright.sync_api import expect

from citizens import services as citizen_services
from incidents import services
from incidents.models import CrewMember, Incident, LocatedBy, Task, Trade
from tests.incidents.factories import CrewFactory

pytestmark = pytest.mark.e2e


def _in_thread(work) -> object:  # type: ignore[no-untyped-def]
    """Run a write in a thread of its own: its after-commit push must not run beside
    Playwright's event loop, which owns the test thread."""
    result = []

    def run() -> None:
        with transaction.atomic():
            result.append(work())

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result[0]


def _wait_for(check, what: str, seconds: float = 15):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"never happened: {what}")


@pytest.fixture
def crews(reference_configuration, field_agent):  # type: ignore[no-untyped-def]
    electrician = Trade.objects.get(code="electricien")
    near = CrewFactory(
        code="desk-a", name="Éclairage A", trades=[electrician], lat=47.324, lon=5.033
    )
    CrewMember.objects.create(user=field_agent, crew=near)
    far = CrewFactory(code="desk-b", name="Éclairage B", trades=[electrician], lat=47.345, lon=5.06)
    return near, far


def test_an_incident_opened_from_the_map_is_reassigned_and_the_tablet_follows(
    real_services, celery_worker, crews, operator, field_agent, open_page, asgi_server
) -> None:
    near, far = crews
    incident = _in_thread(
        lambda: services.incident_open(
            category_code="eclairage-panne",
            description="Lampadaire éteint place Darcy",
            lat=47.3225,
            lon=5.0317,
            source=services.Source.WEB,
        )
    )
    task = _wait_for(
        lambda: Task.objects.filter(incident=incident, crew=near).first(), "dispatch to crew A"
    )

    tablet = open_page(width=1024, height=768, username=field_agent.username, mobile=True)
    tablet.goto(f"{asgi_server.url}/terrain/")
    tablet_task = tablet.locator(f'.task-item[data-task-id="{task.pk}"]')
    expect(tablet_task).to_be_visible()

    room = open_page(width=1920, height=1080, username=operator.username)
    room.goto(f"{asgi_server.url}/controle/")
    expect(room.locator("#live-status")).to_have_attribute("data-state", "live")
    marker = room.locator(f".incident-marker-{incident.pk}")
    expect(marker).to_have_count(1)
    marker.click(force=True)  # the mark on the map, above the equipment layers

    panel = room.locator("#incident-desk")
    expect(panel).to_be_visible()
    expect(panel.locator(".detail-ref")).to_have_text(incident.reference)
    expect(panel.get_by_test_id("task-crew")).to_have_text("Éclairage A")
    panel.locator(f"#crew-{task.pk}").select_option(str(far.pk))
    panel.get_by_role("button", name="Réaffecter").click()

    expect(panel.get_by_test_id("task-crew")).to_have_text("Éclairage B")
    expect(tablet_task).to_have_count(0, timeout=3000)  # crew A's tablet drops it live
    task.refresh_from_db()
    assert task.crew == far


def test_a_phone_report_without_a_place_is_placed_on_the_map_and_dispatched(
    real_services, celery_worker, crews, operator, open_page, asgi_server
) -> None:
    near, _far = crews
    report = _in_thread(
        lambda: citizen_services.report_submit(
            category_code="eclairage-panne",
            description="Un lampadaire ne s'allume plus, l'appelant ne sait pas l'adresse",
            lat=None,
            lon=None,
            address="près de chez ma voisine",
            source=services.Source.PHONE,
        )
    )
    incident_id = report.incident_id

    page = open_page(width=1920, height=1080, username=operator.username)
    page.goto(f"{asgi_server.url}/interventions/")
    waiting = page.locator(f'#to-locate-list li[data-incident-id="{incident_id}"]')
    expect(waiting).to_be_visible()
    waiting.get_by_role("link", name="Placer sur la carte").click()

    expect(page.get_by_test_id("position")).to_contain_text("À localiser")
    minimap = page.locator(".incident-minimap")
    box = minimap.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.get_by_test_id("locate-submit").click()

    expect(page.get_by_test_id("position")).to_contain_text("Placé par un opérateur")
    task = _wait_for(
        lambda: Task.objects.filter(incident_id=incident_id, crew__isnull=False).first(),
        "dispatch after placing",
    )
    assert task.crew == near
    page.reload()
    expect(page.get_by_test_id("task-crew")).to_have_text("Éclairage A")
    assert Incident.objects.get(pk=incident_id).located_by == LocatedBy.OPERATOR
