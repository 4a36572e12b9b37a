"""The reference Mosquitto configuration (deploy/mosquitto) run by a private broker.

Replays the review's attack: the reference broker let anyone publish under the telemetry
prefix, in any gateway's name. Now every client needs its own user, a gateway may publish
only to its own topic, and the bridge reads them all.
"""

from __future__ import annotations

import getpass
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
import pytest

from hypervisor.telemetry.mqtt import MqttBridge
from tests.conftest import free_port
from tests.services import unavailable

pytestmark = pytest.mark.integration
DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "mosquitto"
USERS = {"ondijon-bridge": "bridge-secret", "carrefours": "gw-secret", "feux": "other-secret"}


@pytest.fixture
def reference_broker(tmp_path: Path) -> Iterator[int]:
    mosquitto, passwd = (
        shutil.which("mosquitto", path="/usr/sbin:/usr/bin"),
        shutil.which("mosquitto_passwd"),
    )
    if not mosquitto or not passwd:
        unavailable("needs the mosquitto and mosquitto_passwd programs")
    assert mosquitto
    assert passwd
    port = free_port()
    config = (DEPLOY / "mosquitto.conf").read_text(encoding="utf-8")
    config = config.replace("listener 1883", f"listener {port} 127.0.0.1")
    config = config.replace("/mosquitto/config/", f"{tmp_path}/").replace(
        "/mosquitto/data/", f"{tmp_path}/"
    )
    # Run as whoever runs the tests (as root, Mosquitto would switch to a user that cannot
    # read the test's temporary directory).
    config += f"\nuser {getpass.getuser()}\n"
    (tmp_path / "mosquitto.conf").write_text(config, encoding="utf-8")
    shutil.copy(DEPLOY / "acl", tmp_path / "acl")
    # The documented way of issuing credentials (docs/equipment.md).
    (tmp_path / "passwd").touch()
    for user, password in USERS.items():
        subprocess.run([passwd, "-b", str(tmp_path / "passwd"), user, password], check=True)
    process = subprocess.Popen(
        [mosquitto, "-c", str(tmp_path / "mosquitto.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=5)


def _connect(port: int, user: str | None, password: str | None) -> tuple[mqtt.Client, Any]:
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    outcome: dict[str, Any] = {}

    def on_connect(client: mqtt.Client, userdata: Any, flags: Any, reason: Any, props: Any) -> None:
        outcome.setdefault("reason", reason)

    client.on_connect = on_connect
    if user:
        client.username_pw_set(user, password)
    client.connect("127.0.0.1", port)
    client.loop_start()
    deadline = time.monotonic() + 5
    while "reason" not in outcome and time.monotonic() < deadline:
        time.sleep(0.02)
    return client, outcome.get("reason")


def test_an_anonymous_publisher_is_refused_by_the_reference_broker(reference_broker) -> None:
    client, reason = _connect(reference_broker, None, None)
    client.loop_stop()
    assert reason is not None
    assert reason.is_failure
    gateway, accepted = _connect(reference_broker, "carrefours", "gw-secret")
    gateway.loop_stop()
    gateway.disconnect()
    assert accepted is not None
    assert not accepted.is_failure


def test_a_gateway_cannot_publish_in_another_gateways_name(reference_broker) -> None:
    bridge = MqttBridge(
        url=f"mqtt://ondijon-bridge:bridge-secret@127.0.0.1:{reference_broker}",
        topic="ondijon/telemetry",
    )
    bridge.start()
    assert bridge.wait_subscribed()
    try:
        gateway, _reason = _connect(reference_broker, "carrefours", "gw-secret")
        gateway.publish("ondijon/telemetry/feux", b"[]", qos=1).wait_for_publish(timeout=5)
        gateway.publish("ondijon/telemetry/carrefours", b"[]", qos=1).wait_for_publish(timeout=5)
        gateway.loop_stop()
        gateway.disconnect()
        time.sleep(0.5)
        received = []
        while not bridge.inbox.empty():
            received.append(bridge.inbox.get_nowait()[0])
    finally:
        bridge.stop()
    assert received == ["carrefours"]
