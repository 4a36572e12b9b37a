"""The citizen's tracking page on a phone (390×844): the report, then the crew's closing note."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from citizens import services
from citizens.models import Report
from tests.citizens.factories import DIJON, image_bytes
from tests.citizens.repair import crew_near, repair

pytestmark = pytest.mark.e2e
SHOTS = os.environ.get("ONDIJON_SCREENSHOTS", "")


def _in_thread(work: Callable[[], Any]) -> Any:
    """Database work beside Playwright, whose event loop owns the test thread."""
    done: list[Any] = []
    thread = threading.Thread(target=lambda: done.append(work()))
    thread.start()
    thread.join()
    return done[0]


def _report_with_photo() -> Report:
    services.photos_stage(
        form_token="s" * 32,
        uploads=[SimpleUploadedFile("trou.jpg", image_bytes(), content_type="image/jpeg")],
    )
    return services.report_submit(
        category_code="eclairage-panne",
        description="Lampadaire éteint devant l'école",
        lat=DIJON["lat"],
        lon=DIJON["lon"],
        form_token="s" * 32,
    )


def test_the_tracking_page_shows_the_report_then_the_closing_note_when_fixed(
    reference_configuration, open_page, asgi_server
) -> None:
    report = _in_thread(_report_with_photo)
    agent = _in_thread(lambda: crew_near(DIJON["lat"], DIJON["lon"]))
    phone = open_page(width=390, height=844, mobile=True)
    phone.add_init_script("window.ONDIJON_TRACKING_REFRESH_MS = 500;")
    phone.goto(f"{asgi_server.url}/suivi/{report.token}/")
    expect(phone.get_by_test_id("description")).to_have_text("Lampadaire éteint devant l'école")
    expect(
        phone.get_by_test_id("reported").get_by_role("img", name="Votre photo 1")
    ).to_be_visible()
    expect(phone.locator("#tracking-map")).to_be_visible()
    expect(phone.get_by_test_id("expected")).to_be_visible()
    expect(phone.get_by_test_id("closing")).to_have_count(0)
    if SHOTS:
        phone.screenshot(path=f"{SHOTS}/tracking-390-reported.png", full_page=True)
    _in_thread(lambda: repair(report, agent, note="Lampe remplacée, mât contrôlé"))
    # The page follows the change without being reloaded.
    expect(phone.get_by_test_id("closing-note")).to_have_text("Lampe remplacée, mât contrôlé")
    expect(phone.get_by_test_id("status")).to_have_text("Résolu")
    if SHOTS:
        phone.screenshot(path=f"{SHOTS}/tracking-390-fixed.png", full_page=True)
