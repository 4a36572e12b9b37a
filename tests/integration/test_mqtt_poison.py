"""Poison messages on the real Mosquitto (127.0.0.1:1883): the bridge refuses them and goes on.

Replays the review's attack: an anonymous publisher's message holding a 5,000-digit integer,
or a NaN reading on a real gateway's topic, made `mqtt_bridge` exit and lose the flush.
"""

from __future__ import annotations

import json
import logging
import uuid

import pytest

from hypervisor.models import TelemetryReading
from hypervisor.registry import registry
from hypervisor.telemetry.mqtt import MqttBridge
from hypervisor.telemetry.services import gateway_create
from hypervisor.telemetry.types import HandlerOutcome, Reading
from tests.integration.test_mqtt_bridge import BROKER, _publish, _reading, broker  # noqa: F401
from tests.traffic.factories import CrossroadFactory
from traffic.models import Crossroad

pytestmark = pytest.mark.integration


@pytest.fixture
def bridge(broker):  # noqa: F811
    prefix = f"ondijon-test/{uuid.uuid4().hex[:8]}"
    bridge = MqttBridge(url=f"mqtt://{BROKER[0]}:{BROKER[1]}", topic=prefix, flush_seconds=0.1)
    bridge.start()
    assert bridge.wait_subscribed(), "the bridge did not subscribe"
    yield bridge
    bridge.stop()


@pytest.fixture
def crossroad(db):
    CrossroadFactory(reference="CAR-MQTT")
    gateway_create(name="carrefours")


def _wait_for(bridge: MqttBridge, messages: int) -> None:
    """Until the broker has delivered `messages` messages to the bridge's inbox."""
    import time

    deadline = time.monotonic() + 5
    while bridge.inbox.qsize() < messages and time.monotonic() < deadline:
        time.sleep(0.05)
    assert bridge.inbox.qsize() == messages


def test_a_huge_integer_from_an_anonymous_publisher_does_not_stop_the_bridge(
    crossroad, bridge, caplog
) -> None:
    poison = '[{"message_id":"x","values":{"a":' + "9" * 5000 + "}}]"
    _publish(f"{bridge.prefix}/whatever", poison)
    _publish(f"{bridge.prefix}/carrefours", poison)
    _publish(f"{bridge.prefix}/carrefours", json.dumps([_reading("after", "flashing")]))
    _wait_for(bridge, 3)
    with caplog.at_level(logging.WARNING, logger="hypervisor.telemetry.mqtt"):
        result = bridge.flush()  # raised here, ending the command's loop
    assert result.accepted == 1
    assert Crossroad.objects.get(reference="CAR-MQTT").state == "flashing"
    # The refusal is logged with its reason (in the server's language).
    assert "Refused reading from 'carrefours'" in caplog.text
    assert "'reason': \"99999" in caplog.text
    assert "unknown gateway 'whatever'" in caplog.text


def test_a_nan_reading_on_a_real_gateway_is_refused_and_the_rest_of_the_flush_kept(
    crossroad, bridge, caplog
) -> None:
    nan = json.dumps([_reading("nan", "dark") | {"values": {"state": "dark", "v": float("nan")}}])
    assert "NaN" in nan
    _publish(f"{bridge.prefix}/carrefours", json.dumps([_reading("before", "normal")]))
    _publish(f"{bridge.prefix}/carrefours", nan)
    _publish(f"{bridge.prefix}/carrefours", json.dumps([_reading("after", "flashing")]))
    _wait_for(bridge, 3)
    with caplog.at_level(logging.WARNING, logger="hypervisor.telemetry.mqtt"):
        result = bridge.flush()
    assert (result.accepted, len(result.refused)) == (2, 1)
    assert set(TelemetryReading.objects.values_list("message_id", flat=True)) == {
        "before",
        "after",
    }
    assert "Refused reading from 'carrefours'" in caplog.text


@pytest.fixture
def faulty_asset_type():
    """An app whose handler fails on one value: a bug the validation cannot foresee."""

    def apply(readings: list[Reading], *, now: object) -> HandlerOutcome:
        if any(reading.values.get("fail") for reading in readings):
            raise RuntimeError("handler bug")
        return HandlerOutcome(applied=len(readings))

    registry.add_telemetry_handler("faulty-probe", apply)
    yield "faulty-probe"
    registry._telemetry_handlers.pop("faulty-probe")


def test_a_batch_that_fails_is_retried_message_by_message(
    crossroad, bridge, faulty_asset_type, caplog
) -> None:
    failing = _reading("bad", "dark") | {"asset_type": faulty_asset_type, "values": {"fail": 1}}
    _publish(f"{bridge.prefix}/carrefours", json.dumps([_reading("first", "normal")]))
    _publish(f"{bridge.prefix}/carrefours", json.dumps([failing]))
    _publish(f"{bridge.prefix}/carrefours", json.dumps([_reading("last", "flashing")]))
    _wait_for(bridge, 3)
    with caplog.at_level(logging.WARNING, logger="hypervisor.telemetry.mqtt"):
        result = bridge.flush()
    assert result.accepted == 2
    assert set(TelemetryReading.objects.values_list("message_id", flat=True)) == {"first", "last"}
    assert Crossroad.objects.get(reference="CAR-MQTT").state == "flashing"
    assert "retrying it message by message" in caplog.text
    assert "Dropped a message of 1 readings from 'carrefours'" in caplog.text
