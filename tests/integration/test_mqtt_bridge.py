"""The MQTT bridge against the real Mosquitto broker (127.0.0.1:1883 in CI)."""

from __future__ import annotations

import json
import socket
import time
import uuid

import paho.mqtt.client as mqtt
import pytest

from hypervisor.models import TelemetryReading
from hypervisor.telemetry.mqtt import MqttBridge
from hypervisor.telemetry.services import gateway_create
from tests.services import unavailable
from tests.traffic.factories import CrossroadFactory
from traffic.models import Crossroad

pytestmark = pytest.mark.integration
BROKER = ("127.0.0.1", 1883)


@pytest.fixture
def broker() -> None:
    try:
        socket.create_connection(BROKER, timeout=1).close()
    except OSError as error:
        unavailable(f"MQTT broker at {BROKER[0]}:{BROKER[1]} does not answer: {error}")


@pytest.fixture
def bridge(broker):  # type: ignore[no-untyped-def]
    prefix = f"ondijon-test/{uuid.uuid4().hex[:8]}"
    bridge = MqttBridge(url=f"mqtt://{BROKER[0]}:{BROKER[1]}", topic=prefix, flush_seconds=0.1)
    bridge.start()
    assert bridge.wait_subscribed(), "the bridge did not subscribe"
    yield bridge
    bridge.stop()


def _publish(topic: str, payload: str) -> None:
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    client.connect(*BROKER)
    client.loop_start()
    client.publish(topic, payload, qos=1).wait_for_publish(timeout=5)
    client.loop_stop()
    client.disconnect()


def _reading(message_id: str, state: str) -> dict:
    return {
        "message_id": message_id,
        "asset_type": "crossroad",
        "asset_id": "CAR-MQTT",
        "measured_at": "2026-01-15T21:00:00+01:00",
        "values": {"state": state, "code": "E12"},
    }


def _drain(bridge: MqttBridge, expected: int, timeout: float = 5.0) -> int:
    accepted, duplicates, deadline = 0, 0, time.monotonic() + timeout
    while accepted + duplicates < expected and time.monotonic() < deadline:
        time.sleep(0.1)
        result = bridge.flush()
        accepted, duplicates = accepted + result.accepted, duplicates + result.duplicates
    return accepted


def test_readings_published_on_the_broker_reach_the_assets(db, bridge) -> None:
    CrossroadFactory(reference="CAR-MQTT")
    gateway_create(name="carrefours")
    _publish(f"{bridge.prefix}/carrefours", json.dumps([_reading("q1", "flashing")]))
    assert _drain(bridge, 1) == 1
    assert Crossroad.objects.get(reference="CAR-MQTT").state == "flashing"


def test_a_message_published_twice_over_mqtt_is_applied_once(db, bridge) -> None:
    CrossroadFactory(reference="CAR-MQTT")
    gateway_create(name="carrefours")
    payload = json.dumps(_reading("q2", "dark"))
    _publish(f"{bridge.prefix}/carrefours", payload)
    _publish(f"{bridge.prefix}/carrefours", payload)
    assert _drain(bridge, 2) == 1
    assert TelemetryReading.objects.filter(message_id="q2").count() == 1


def test_readings_from_an_unknown_gateway_are_dropped(db, bridge) -> None:
    CrossroadFactory(reference="CAR-MQTT")
    _publish(f"{bridge.prefix}/inconnue", json.dumps(_reading("q3", "dark")))
    time.sleep(0.5)
    assert bridge.flush().accepted == 0
    assert Crossroad.objects.get(reference="CAR-MQTT").state == "normal"


def test_bridges_of_one_share_group_split_the_readings_and_apply_each_once(db, broker) -> None:
    CrossroadFactory(reference="CAR-MQTT")
    gateway_create(name="carrefours")
    prefix = f"ondijon-test/{uuid.uuid4().hex[:8]}"
    group = f"bridges-{uuid.uuid4().hex[:8]}"
    bridges = [
        MqttBridge(url=f"mqtt://{BROKER[0]}:{BROKER[1]}", topic=prefix, share_group=group)
        for _ in range(2)
    ]
    for bridge in bridges:
        bridge.start()
        assert bridge.wait_subscribed(), "a bridge did not subscribe"
    try:
        for number in range(40):
            _publish(f"{prefix}/carrefours", json.dumps(_reading(f"s{number}", "flashing")))
        deadline, received, accepted = time.monotonic() + 10, [0, 0], 0
        while accepted < 40 and time.monotonic() < deadline:
            time.sleep(0.1)
            for index, bridge in enumerate(bridges):
                result = bridge.flush()
                accepted += result.accepted
                received[index] += result.accepted + result.duplicates
        time.sleep(0.5)  # a copy still on its way to the other bridge would show here
        for index, bridge in enumerate(bridges):
            result = bridge.flush()
            received[index] += result.accepted + result.duplicates
    finally:
        for bridge in bridges:
            bridge.stop()
    assert sum(received) == 40  # each message reached one bridge, not both
    assert all(count > 0 for count in received)  # and each bridge took a share
    assert TelemetryReading.objects.filter(message_id__startswith="s").count() == 40
