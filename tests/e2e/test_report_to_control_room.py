"""A citizen reports on a phone; the operator's map shows it live, routed to its service."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from citizens.models import Report
from tests.citizens.factories import image_bytes

pytestmark = pytest.mark.e2e


def test_a_citizen_report_with_a_photo_appears_live_on_the_operator_map_with_its_service(
    real_services, celery_worker, reference_configuration, operator, open_page, asgi_server
) -> None:
    control_room = open_page(width=1920, height=1080, username=operator.username)
    control_room.goto(f"{asgi_server.url}/controle/")
    expect(control_room.locator("#live-status")).to_have_attribute("data-state", "live")
    control_room.evaluate("window.__sameDocument = true")

    phone = open_page(width=390, height=844, mobile=True)
    phone.goto(f"{asgi_server.url}/signaler/")
    phone.locator("label", has_text="Lampadaire éteint").click()
    report_map = phone.locator("#report-map")
    report_map.scroll_into_view_if_needed()
    box = report_map.bounding_box()
    report_map.click(
        position={"x": box["width"] / 2, "y": box["height"] / 2}
    )  # the territory's centre
    expect(phone.locator("#map-status")).to_have_attribute("data-state", "set")
    phone.locator("textarea[name=description]").fill("Lampadaire éteint devant l'arrêt de bus")
    phone.locator("#id_photos").set_input_files(
        files=[
            {
                "name": "lampadaire.jpg",
                "mimeType": "image/jpeg",
                "buffer": image_bytes(size=(800, 600), gps=(47.32, 5.04)),
            }
        ]
    )
    phone.get_by_role("button", name=re.compile("Envoyer")).click()

    phone.wait_for_url(re.compile(r"/suivi/[\w-]+/$"))
    reference = phone.get_by_test_id("reference").inner_text().strip()
    expect(phone.get_by_role("img", name="Votre photo 1")).to_have_count(1)
    assert Report.objects.get(reference=reference).photos.count() == 1

    control_room.locator("#tab-incidents").click()
    item = control_room.locator(".incident-item", has_text=reference)
    expect(item).to_be_visible(timeout=15_000)
    expect(item).to_contain_text("Éclairage public")
    assert control_room.evaluate("window.__sameDocument") is True  # no reload happened


def test_an_invalid_report_keeps_the_text_and_says_what_is_missing(
    open_page, asgi_server, reference_configuration
) -> None:
    phone = open_page(width=390, height=844, mobile=True)
    phone.goto(f"{asgi_server.url}/signaler/")
    phone.locator("textarea[name=description]").fill("Un arbre bloque la piste cyclable")
    phone.get_by_role("button", name=re.compile("Envoyer")).click()
    summary = phone.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("type de problème")
    expect(phone.locator("textarea[name=description]")).to_have_value(
        "Un arbre bloque la piste cyclable"
    )
