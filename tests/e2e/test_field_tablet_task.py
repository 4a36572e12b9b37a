"""The field tablet at tablet sizes: where to go, how to get there, what the reporter saw."""

from __future__ import annotations

import os
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from citizens import services as citizen_services
from citizens.models import ReportPhoto
from incidents.models import CrewMember, Task, Trade
from tests.citizens.factories import image_bytes
from tests.citizens.repair import dispatched_task
from tests.hypervisor import address_accuracy
from tests.incidents.factories import CrewFactory

pytestmark = pytest.mark.e2e

PLACE_DARCY = (47.3224, 5.0343)
SHOTS = os.environ.get("ONDIJON_SCREENSHOTS", "")


@pytest.fixture
def reported_task(reference_configuration, field_agent) -> Task:  # type: ignore[no-untyped-def]
    """A citizen's report with a photo at place Darcy, dispatched to the agent's crew."""
    address_accuracy.load_gazetteer()
    crew = CrewFactory(
        code="eclairage-e2e",
        trades=[Trade.objects.get(code="electricien")],
        lat=47.3300,
        lon=5.0400,
    )
    CrewMember.objects.create(user=field_agent, crew=crew)
    tasks: list[Task] = []

    def report() -> None:
        # A thread of its own: Playwright's event loop owns the test thread.
        citizen_services.photos_stage(
            form_token="d" * 32,
            uploads=[SimpleUploadedFile("mat.jpg", image_bytes(), content_type="image/jpeg")],
        )
        submitted = citizen_services.report_submit(
            category_code="eclairage-panne",
            description="Lampadaire éteint côté jardin",
            lat=PLACE_DARCY[0],
            lon=PLACE_DARCY[1],
            form_token="d" * 32,
        )
        tasks.append(dispatched_task(submitted))

    thread = threading.Thread(target=report)
    thread.start()
    thread.join()
    return tasks[0]


def _open_task(open_page, asgi_server, field_agent, task, width: int, height: int):  # type: ignore[no-untyped-def]
    tablet = open_page(width=width, height=height, username=field_agent.username, mobile=True)
    tablet.goto(f"{asgi_server.url}/terrain/")
    map_box = tablet.locator("#field-map").bounding_box()
    pane_box = tablet.locator(".field-detail-pane").bounding_box()
    assert map_box is not None
    assert pane_box is not None
    # With no task open, the map fills its pane.
    assert map_box["height"] >= 0.9 * min(pane_box["height"], height - map_box["y"])
    tablet.locator(f'.task-item[data-task-id="{task.pk}"]').click()
    return tablet


def test_an_agent_opens_navigation_and_sees_the_reporters_photo_in_portrait(
    reported_task, field_agent, open_page, asgi_server
) -> None:
    tablet = _open_task(open_page, asgi_server, field_agent, reported_task, 800, 1280)
    navigate = tablet.get_by_test_id("navigate")
    expect(navigate).to_have_attribute(
        "href",
        f"geo:{PLACE_DARCY[0]},{PLACE_DARCY[1]}?q={PLACE_DARCY[0]},{PLACE_DARCY[1]}(2%20Place%20Darcy%2C%20Dijon)",
    )
    expect(tablet.locator(".task-where")).to_contain_text("Place Darcy, Dijon")
    photo = tablet.get_by_test_id("citizen-photos").get_by_role("img")
    expect(photo).to_have_attribute("src", ReportPhoto.objects.get().image.url)
    expect(photo).to_have_js_property("complete", True)
    expect(tablet.locator(".task-marker")).to_have_count(1)
    expect(tablet.locator(".task-marker")).to_contain_text("1")
    if SHOTS:
        tablet.screenshot(path=f"{SHOTS}/tablet-800x1280.png", full_page=True)


def test_the_task_reads_the_same_in_landscape(
    reported_task, field_agent, open_page, asgi_server
) -> None:
    tablet = _open_task(open_page, asgi_server, field_agent, reported_task, 1024, 768)
    expect(tablet.get_by_test_id("navigate")).to_be_visible()
    expect(tablet.get_by_test_id("citizen-photos").get_by_role("img")).to_be_visible()
    # Distances in the French way: a decimal comma.
    expect(tablet.locator(".task-item .task-meta")).to_contain_text(",")
    if SHOTS:
        tablet.screenshot(path=f"{SHOTS}/tablet-1024x768.png")
