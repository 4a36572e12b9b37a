"""Operators working together on the live control room, in Chromium."""

from __future__ import annotations

import time

import pytest
from django.db import transaction
from playwright.sync_api import expect

from hypervisor import events
from hypervisor.services import alarm_rule_ensure
from tests.hypervisor.conftest import CabinetPowerLost

pytestmark = pytest.mark.e2e


@pytest.fixture
def power_rule(real_services) -> None:  # type: ignore[no-untyped-def]
    alarm_rule_ensure(
        event_kind=CabinetPowerLost.kind,
        action="raise",
        alarm_kind="cabinet-power",
        severity="critical",
        title_fr="Coupure d'alimentation d'armoire",
    )


def raise_power_loss(cabinet: str) -> None:
    with transaction.atomic():
        events.publish(
            CabinetPowerLost(asset_id=cabinet, lat=47.3215, lon=5.0392, severity="critical")
        )


def open_control_room(open_page, server, user):  # type: ignore[no-untyped-def]
    page = open_page(width=1920, height=1080, username=user.username)
    page.goto(f"{server.url}/controle/")
    expect(page.locator("#live-status")).to_have_attribute("data-state", "live")
    return page


def test_an_acknowledgement_shows_on_the_other_operators_screen_within_a_second(
    power_rule, celery_worker, territory, operator, second_operator, open_page, asgi_server
) -> None:
    first = open_control_room(open_page, asgi_server, operator)
    second = open_control_room(open_page, asgi_server, second_operator)
    raise_power_loss("A-0412")
    alarm_on_first = first.locator(".alarm-item", has_text="A-0412")
    alarm_on_second = second.locator(".alarm-item", has_text="A-0412")
    expect(alarm_on_first).to_be_visible()
    expect(alarm_on_second).to_be_visible()

    alarm_on_first.locator("[data-action=acknowledge]").click()
    alarm_on_first.locator("input[name=comment]").fill("Équipe prévenue")
    clicked = time.monotonic()
    alarm_on_first.locator(".ack-form button[type=submit]").click()
    expect(alarm_on_second).to_have_attribute("data-state", "acknowledged", timeout=1000)
    assert time.monotonic() - clicked < 1.0
    expect(alarm_on_second.get_by_test_id("acknowledged-by")).to_contain_text(
        operator.get_full_name()
    )


def test_a_screen_that_lost_its_connection_catches_up_without_reloading(
    power_rule, celery_worker, territory, operator, open_page, asgi_server
) -> None:
    page = open_control_room(open_page, asgi_server, operator)
    page.evaluate("window.__sameDocument = true")
    asgi_server.stop()  # a restart: the socket drops, the screen keeps trying
    expect(page.locator("#live-status")).to_have_attribute("data-state", "reconnecting")
    raise_power_loss("B-0077")  # happens while the screen is disconnected
    asgi_server.start()
    expect(page.locator("#live-status")).to_have_attribute("data-state", "live", timeout=20_000)
    expect(page.locator(".alarm-item", has_text="B-0077")).to_be_visible()
    assert page.evaluate("window.__sameDocument") is True


def test_a_field_agents_session_cannot_open_the_control_room_socket(
    real_services, field_agent, open_page, asgi_server
) -> None:
    page = open_page(width=1280, height=800, username=field_agent.username)
    outcome = page.evaluate(
        """() => new Promise((resolve) => {
            const socket = new WebSocket(`ws://${location.host}/ws/control/`);
            socket.onopen = () => resolve("opened");
            socket.onclose = () => resolve("closed");
            setTimeout(() => resolve("timeout"), 5000);
        })"""
    )
    assert outcome == "closed"


def test_a_screen_told_to_resync_catches_up_from_its_last_sequence_without_reloading(
    power_rule, celery_worker, territory, operator, open_page, asgi_server
) -> None:
    from hypervisor import fanout

    page = open_control_room(open_page, asgi_server, operator)
    page.evaluate("window.__sameDocument = true")
    with page.expect_websocket(lambda socket: "since=" in socket.url, timeout=10_000):
        fanout.resync_local_screens()  # as when the feed's Redis subscription comes back
    expect(page.locator("#live-status")).to_have_attribute("data-state", "live")
    raise_power_loss("C-0310")
    expect(page.locator(".alarm-item", has_text="C-0310")).to_be_visible()
    assert page.evaluate("window.__sameDocument") is True
