"""The control room's live feed and alarm chain on the real Redis layer, broker and worker."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from websockets.sync.client import connect

from hypervisor import events
from hypervisor.models import Alarm, EscalationPolicy, Notification, StaffProfile
from hypervisor.registry import registry
from hypervisor.services import alarm_rule_ensure
from hypervisor.tasks import escalate_alarms

pytestmark = pytest.mark.integration


@dataclass(frozen=True, kw_only=True)
class Pulse(events.DomainEvent):
    kind = "test.pulse"
    asset_type = "pulse"


class PulseLayer:
    name = "test-pulses"
    label = "Pulses"
    event_kinds = frozenset({Pulse.kind})

    def snapshot(self) -> list[dict[str, Any]]:
        return []

    def feature(self, asset_id: str) -> dict[str, Any]:
        return {"id": asset_id, "lat": 47.32, "lon": 5.04}


@pytest.fixture
def pulse_layer():  # type: ignore[no-untyped-def]
    registry.add_layer(PulseLayer())
    yield
    registry._layers.pop(PulseLayer.name)


def screen(server, client, user):  # type: ignore[no-untyped-def]
    client.force_login(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    url = server.url.replace("http", "ws") + "/ws/control/"
    return connect(url, additional_headers={"Cookie": cookie}, origin=server.url, max_queue=None)


def test_a_burst_of_hundreds_of_events_reaches_the_screen_without_a_gap(
    real_services, pulse_layer, asgi_server, operator, client
) -> None:
    burst = 400
    with screen(asgi_server, client, operator) as socket:
        assert json.loads(socket.recv(timeout=10))["type"] == "snapshot"
        published = []
        for number in range(burst):
            with transaction.atomic():
                published.append(events.publish(Pulse(asset_id=str(number))).pk)
        received: set[int] = set()
        deadline = time.monotonic() + 30
        while len(received) < burst and time.monotonic() < deadline:
            message = json.loads(socket.recv(timeout=10))
            if message.get("layer") == PulseLayer.name:
                received.add(message["seq"])
    assert received == set(published)


def test_an_event_raises_an_alarm_that_escalates_to_a_notification_sent_by_the_worker(
    real_services, celery_worker, supervisor, settings, tmp_path
) -> None:
    from tests.hypervisor.conftest import CabinetPowerLost

    settings.NOTIFICATIONS_FILE = tmp_path / "notifications.log"
    supervisor.email = "samuel@ondijon.example"
    supervisor.save()
    StaffProfile.objects.create(user=supervisor, phone="+33600000001", on_duty=True)
    EscalationPolicy.objects.update_or_create(
        alarm_kind="cabinet-power",
        severity="",
        defaults={"supervisor_after_minutes": 0, "duty_officer_after_minutes": 0},
    )
    alarm_rule_ensure(
        event_kind=CabinetPowerLost.kind,
        action="raise",
        alarm_kind="cabinet-power",
        severity="critical",
    )
    with transaction.atomic():
        events.publish(CabinetPowerLost(asset_id="C-12", lat=47.32, lon=5.04))

    def eventually(check, timeout: float = 15.0):  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if check():
                return
            time.sleep(0.1)
        raise AssertionError("not reached in time")

    eventually(lambda: Alarm.objects.filter(kind="cabinet-power").exists())
    escalate_alarms.delay()  # stage 1: supervisors (push, e-mail)
    eventually(lambda: Alarm.objects.get().escalation_stage == 1)
    escalate_alarms.delay()  # stage 2: the duty officer's SMS
    eventually(lambda: Alarm.objects.get().escalation_stage == 2)
    eventually(
        lambda: (
            not Notification.objects.exclude(status="sent").exists()
            and Notification.objects.count() == 3
        )
    )
    lines = [json.loads(line) for line in settings.NOTIFICATIONS_FILE.read_text().splitlines()]
    assert {line["channel"] for line in lines} == {"email", "sms"}
