"""A supervisor and emulated sites on real TCP (free ports), in an event loop of their own.

Every message either side sends or receives is recorded, so the tests can validate all of
them against the published schemas.
"""

from __future__ import annotations

import asyncio
import random
import threading
import time
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from traffic.rsmp import protocol
from traffic.rsmp.emulator import EmulatorSettings, SiteEmulator
from traffic.rsmp.store import DatabaseStore
from traffic.rsmp.supervisor import Supervisor, SupervisorSettings

T = TypeVar("T")


class RsmpHarness:
    def __init__(self, **supervisor_settings: Any) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="rsmp", daemon=True)
        self.thread.start()
        self.supervisor_sent: list[dict[str, Any]] = []
        self.supervisor_received: list[dict[str, Any]] = []
        self.sites_sent: list[dict[str, Any]] = []
        settings = SupervisorSettings(
            host="127.0.0.1", port=0, command_poll=0.1, signal_group_flush=0.2,
            **supervisor_settings,
        )  # fmt: skip
        self.supervisor = Supervisor(settings, DatabaseStore())
        self.supervisor.on_message = self._supervisor_message
        self.call(self.supervisor.start())
        self.port = self.supervisor.port
        self.emulators: list[SiteEmulator] = []

    def _supervisor_message(self, direction: str, message: dict[str, Any]) -> None:
        (self.supervisor_sent if direction == "out" else self.supervisor_received).append(message)

    def call(self, coroutine: Coroutine[Any, Any, T], timeout: float = 20) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def site(self, site_id: str, *, signal_groups: int = 4, **settings: Any) -> SiteEmulator:
        emulator_settings = EmulatorSettings(
            host="127.0.0.1", port=self.port, reconnect_interval=0.2, command_delay=0.1,
            stage_seconds=(3600, 3600), alarms_per_day=0, **settings,
        )  # fmt: skip
        emulator = SiteEmulator(
            site_id, signal_groups=signal_groups, settings=emulator_settings, rng=random.Random(7)
        )
        emulator.on_message = lambda d, m: self.sites_sent.append(m) if d == "out" else None

        async def start() -> None:
            emulator.start()

        self.call(start())
        self.emulators.append(emulator)
        return emulator

    def stop(self) -> None:
        for emulator in self.emulators:
            self.call(emulator.stop())
        self.call(self.supervisor.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)

    def every_message(self) -> list[dict[str, Any]]:
        return [*self.supervisor_sent, *self.sites_sent]


def wait_for(condition: Callable[[], Any], timeout: float = 10, message: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {message or condition}")


class RawSite:
    """A site written by hand for bad input: a plain socket speaking whatever it is told."""

    def __init__(self, port: int) -> None:
        import socket

        self.socket = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.buffer = b""

    def send(self, message: dict[str, Any] | bytes) -> None:
        data = message if isinstance(message, bytes) else protocol.encode(message)
        self.socket.sendall(data)

    def receive(self, timeout: float = 5) -> dict[str, Any] | None:
        import json

        self.socket.settimeout(timeout)
        while protocol.FRAME_END not in self.buffer:
            try:
                chunk = self.socket.recv(65536)
            except TimeoutError:
                return None
            if not chunk:
                return None
            self.buffer += chunk
        frame, _sep, self.buffer = self.buffer.partition(protocol.FRAME_END)
        return json.loads(frame)  # type: ignore[no-any-return]

    def receive_until(
        self, predicate: Callable[[dict[str, Any]], bool], timeout: float = 5
    ) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            message = self.receive(max(0.05, deadline - time.monotonic()))
            if message is None:
                break
            if predicate(message):
                return message
        raise AssertionError("the expected message never came")

    def closed(self, timeout: float = 5) -> bool:
        self.socket.settimeout(timeout)
        try:
            while True:
                chunk = self.socket.recv(65536)
                if not chunk:
                    return True
        except TimeoutError:
            return False
        except OSError:
            return True

    def handshake(self, site_id: str) -> None:
        self.send(protocol.version(site_id=site_id))
        self.receive_until(lambda m: m["type"] == "Version")
        self.send(protocol.watchdog())
        self.receive_until(lambda m: m["type"] == "Watchdog")

    def close(self) -> None:
        self.socket.close()
