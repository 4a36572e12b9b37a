"""Redis restarted under 20 connected control-room screens: all of them converge.

A private redis-server (never the shared one) carries the live feed between this test
process, which commits the events, and a `manage.py serve` process holding the 20 sockets.
Events are committed before, during and after Redis is down. The server's feed hub
subscribes again once Redis is back and tells its screens to resync; each screen then
catches up from its last sequence number, as static/js/live-socket.js does.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.db.models import Max
from django.test import Client

from hypervisor.models import Event
from hypervisor.registry import registry
from hypervisor.selectors import live_snapshot
from incidents.models import Source
from incidents.services import incident_cancel, incident_open
from ondijon.celery import app as celery_app
from tests.conftest import free_port
from tests.private_redis import PrivateRedis
from tests.services import require_postgresql

pytestmark = pytest.mark.integration

SCREENS = 20
CONVERGENCE = 45.0  # seconds after Redis is back: screens back off up to 2 s between tries
ROOT = Path(__file__).resolve().parents[2]


class Screen:
    """A control-room screen as live-socket.js keeps it: last sequence and open incidents."""

    def __init__(self, url: str, origin: str, cookie: str) -> None:
        self.url, self.origin, self.cookie = url, origin, cookie
        self.seq: int | None = None
        self.incidents: dict[str, dict[str, Any]] = {}
        self.connections = 0
        self.resyncs = 0

    def apply(self, message: dict[str, Any]) -> bool:
        """Apply one message; False when the server asks for a resync."""
        if message["type"] == "resync":
            self.resyncs += 1
            return False
        if message["type"] == "snapshot":
            self.seq = message["seq"]
            self.incidents = {str(f["id"]): f for f in message["layers"].get("incidents", [])}
        elif message["type"] == "caught_up":
            self.seq = message["seq"]
        elif message["type"] == "delta":
            self.seq = max(self.seq or 0, message["seq"])
            if message["layer"] == "incidents":
                if message["op"] == "upsert":
                    self.incidents[str(message["id"])] = message["feature"]
                else:
                    self.incidents.pop(str(message["id"]), None)
        return True

    async def run(self) -> None:
        import websockets

        failures = 0
        while True:
            since = "" if self.seq is None else f"?since={self.seq}"
            resync = False
            try:
                async with websockets.connect(
                    self.url + since,
                    additional_headers={"Cookie": self.cookie},
                    origin=self.origin,
                    open_timeout=5,
                    max_queue=None,
                ) as socket:
                    self.connections += 1
                    failures = 0
                    async for raw in socket:
                        if not self.apply(json.loads(raw)):
                            resync = True
                            break
            except (OSError, TimeoutError, websockets.exceptions.WebSocketException):
                failures += 1
            # As live-socket.js: a resync reconnects at once (spread), anything else backs off.
            delay = random.random() * 0.5 if resync else min(2.0, 0.1 * 2**failures)
            await asyncio.sleep(delay)


class Screens:
    """The 20 screens, in an event loop of their own thread; the test thread commits."""

    def __init__(self, screens: list[Screen]) -> None:
        self.screens = screens
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="screens")

    def __enter__(self) -> Screens:
        self.thread.start()
        for screen in self.screens:
            asyncio.run_coroutine_threadsafe(screen.run(), self.loop)
        return self

    def __exit__(self, *exc_info: object) -> None:
        async def stop() -> None:
            tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


def server_environment(redis_url: str, var_dir: Path) -> dict[str, str]:
    database = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "ONDIJON_VAR_DIR": str(var_dir),
    }
    env.pop("ONDIJON_SIMULATOR", None)
    return env


def wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    import socket

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve exited:\n{log.read_text()[-3000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("serve did not listen in time")


def database_state() -> tuple[int, set[str]]:
    """Sequence of the last event a screen is sent, and the open incidents on the map."""
    kinds = set().union(*(layer.event_kinds for layer in registry.layers()))
    last = Event.objects.filter(kind__in=kinds).aggregate(last=Max("id"))["last"] or 0
    return last, {str(feature["id"]) for feature in live_snapshot()["layers"]["incidents"]}


@pytest.fixture
def private_redis(real_services, settings):  # type: ignore[no-untyped-def]
    """This test process publishes to the private Redis too; tasks run in-process."""
    require_postgresql()
    with PrivateRedis() as private:
        settings.CHANNEL_LAYERS = {
            "default": {
                "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
                "CONFIG": {"hosts": [private.url]},
            }
        }
        eager = celery_app.conf.task_always_eager
        celery_app.conf.task_always_eager = True
        try:
            yield private
        finally:
            celery_app.conf.task_always_eager = eager
            private.stop()


def test_screens_converge_to_the_database_after_redis_restarts(
    private_redis, reference_configuration, operator, tmp_path
) -> None:
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "serve", "--port", str(port)],
            cwd=ROOT,
            env=server_environment(private_redis.url, tmp_path),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for_port(port, server, log)
        origin = f"http://127.0.0.1:{port}"
        screens = []
        for _ in range(SCREENS):
            client = Client()
            client.force_login(operator)
            cookie = f"{django_settings.SESSION_COOKIE_NAME}={client.cookies['sessionid'].value}"
            screens.append(Screen(f"ws://127.0.0.1:{port}/ws/control/", origin, cookie))
        number = iter(range(1000))

        def open_incidents(count: int) -> list[int]:
            return [
                incident_open(
                    category_code="eclairage-panne",
                    description=f"Lampadaire éteint n° {next(number)}",
                    lat=47.32 + random.random() * 0.01,
                    lon=5.03 + random.random() * 0.01,
                    source=Source.OPERATOR,
                ).pk
                for _ in range(count)
            ]

        def converged() -> bool:
            last, open_ids = database_state()
            return all(
                screen.seq is not None and screen.seq >= last and set(screen.incidents) == open_ids
                for screen in screens
            )

        def until(check, timeout: float, what: str) -> float:  # type: ignore[no-untyped-def]
            started = time.monotonic()
            while not check():
                if time.monotonic() - started > timeout:
                    raise AssertionError(f"{what} not reached in {timeout} s")
                time.sleep(0.1)
            return time.monotonic() - started

        with Screens(screens):
            until(lambda: all(s.seq is not None for s in screens), 30, "20 screens connected")
            before = open_incidents(5)
            until(converged, 30, "screens up to date before the restart")

            private_redis.stop()
            time.sleep(1)
            during = open_incidents(3)  # committed while no delta can travel
            incident_cancel(incident_id=before[0], by=operator, reason="Doublon")
            time.sleep(2)
            private_redis.start()  # same port, nothing kept: every subscription is gone

            open_incidents(2)
            incident_cancel(incident_id=during[0], by=operator, reason="Erreur de saisie")
            took = until(converged, CONVERGENCE, "every screen back to the database state")

        last, open_ids = database_state()
        assert len(open_ids) == 5 + 3 + 2 - 2
        # Each screen was told to resync once the feed was back, and reconnected to catch up.
        assert all(screen.resyncs >= 1 and screen.connections >= 2 for screen in screens)
        print(f"\n{SCREENS} screens converged {took:.1f} s after the last event (seq {last})")
    finally:
        server.terminate()
        server.wait(15)
