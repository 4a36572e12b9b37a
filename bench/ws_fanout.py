"""Event → control-room screens: latency and delivery for 1, 10, 50 and 200 WebSockets.

OnDijon's path is measured end to end: an event is published in a committed transaction,
its delta goes through the Redis channel layer to the ASGI server (uvicorn, one worker)
and out to every screen. Beside it, in the same run, a bare `websockets` broadcast server
relays the same number of messages to the same number of clients: the floor.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ondijon_bench \\
    REDIS_URL=redis://127.0.0.1:6379/13 .venv/bin/python bench/ws_fanout.py

Loopback only; every loop is bounded in count and time.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ondijon.settings")

SCREENS = [int(n) for n in os.environ.get("BENCH_SCREENS", "1,10,50,200").split(",")]
EVENTS = int(os.environ.get("BENCH_EVENTS", "100"))
WARMUP = 5  # first messages per round set up connections; not counted
INTERVAL = 0.02  # seconds between events: 50 events/s, a busy control room
TIMEOUT = 60.0

BARE_SERVER = """
import asyncio, sys, websockets
clients = set()
async def handler(socket):
    clients.add(socket)
    try:
        async for message in socket:
            websockets.broadcast([c for c in clients if c is not socket], message)
    finally:
        clients.discard(socket)
async def main():
    async with websockets.serve(handler, "127.0.0.1", int(sys.argv[1]), max_queue=None):
        await asyncio.Future()
asyncio.run(main())
"""


def percentiles(values: list[float]) -> str:
    if not values:
        return "no message"
    ordered = sorted(values)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return f"p50 {pick(0.50):6.1f} ms  p95 {pick(0.95):6.1f} ms  p99 {pick(0.99):6.1f} ms"


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int) -> None:
    import socket

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}")


@dataclass
class Result:
    latencies: list[float]
    delivered: int
    expected: int


async def collect(sockets: list, count: int, key: str, skip: int = WARMUP) -> Result:  # type: ignore[type-arg]
    latencies: list[float] = []
    delivered = 0

    async def read(socket) -> None:  # type: ignore[no-untyped-def]
        nonlocal delivered
        seen = 0
        while seen < count:
            message = json.loads(await socket.recv())
            sent = (
                (message.get("feature") or message).get(key) if isinstance(message, dict) else None
            )
            if sent is None:
                continue
            seen += 1
            if seen > skip:
                latencies.append((time.time() - sent) * 1000)
                delivered += 1

    await asyncio.wait_for(asyncio.gather(*(read(s) for s in sockets)), TIMEOUT)
    return Result(latencies, delivered, (count - skip) * len(sockets))


async def ondijon_round(url: str, origin: str, cookie: str, screens: int, publish) -> Result:  # type: ignore[no-untyped-def]
    import websockets

    sockets = [
        await websockets.connect(
            url, additional_headers={"Cookie": cookie}, origin=origin, max_queue=None
        )
        for _ in range(screens)
    ]
    for socket in sockets:
        json.loads(await socket.recv())  # snapshot
    reader = asyncio.create_task(collect(sockets, EVENTS + WARMUP, "sent"))
    loop = asyncio.get_running_loop()
    for number in range(EVENTS + WARMUP):
        await loop.run_in_executor(None, publish, number)
        await asyncio.sleep(INTERVAL)
    result = await reader
    for socket in sockets:
        await socket.close()
    return result


async def bare_round(url: str, screens: int) -> Result:
    import websockets

    sockets = [await websockets.connect(url, max_queue=None) for _ in range(screens)]
    publisher = await websockets.connect(url)
    await asyncio.sleep(0.2)
    reader = asyncio.create_task(collect(sockets, EVENTS + WARMUP, "sent"))
    for number in range(EVENTS + WARMUP):
        await publisher.send(json.dumps({"id": number, "sent": time.time()}))
        await asyncio.sleep(INTERVAL)
    result = await reader
    for socket in [*sockets, publisher]:
        await socket.close()
    return result


def ensure_database(url: str) -> None:
    """Create the benchmark's PostgreSQL database when it does not exist yet."""
    from urllib.parse import urlparse

    import psycopg2

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    connection = psycopg2.connect(url.replace(parsed.path, "/postgres"))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def main() -> None:
    if not os.environ.get("REDIS_URL") or not os.environ.get("DATABASE_URL"):
        sys.exit(
            "Set DATABASE_URL (PostgreSQL) and REDIS_URL: the benchmark runs on the real stack."
        )
    import django

    ensure_database(os.environ["DATABASE_URL"])
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True)
    django.setup()
    from bench_layer import BenchEvent, BenchLayer  # type: ignore[import-not-found]
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction

    from hypervisor import events
    from hypervisor.registry import registry

    registry.add_layer(BenchLayer())
    user, _created = get_user_model().objects.get_or_create(username="bench-operator")
    user.groups.set([Group.objects.get(name="operator")])
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()

    def publish(number: int) -> None:
        with transaction.atomic():
            events.publish(BenchEvent(asset_id=str(number)))

    port, bare_port = free_port(), free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "ondijon.asgi:application", "--port", str(port),
         "--ws", "websockets-sansio", "--log-level", "warning", "--lifespan", "off"],
        cwd=ROOT,
    )  # fmt: skip
    bare = subprocess.Popen([sys.executable, "-c", BARE_SERVER, str(bare_port)])
    try:
        wait_for_port(port)
        wait_for_port(bare_port)
        print("command:", " ".join([sys.executable, *sys.argv]))
        load = os.getloadavg()[0]
        print(f"machine: {os.cpu_count()} cores, load {load:.1f}; {EVENTS} events at 50/s a round")
        origin = f"http://127.0.0.1:{port}"
        for screens in SCREENS:
            ours = asyncio.run(
                ondijon_round(
                    f"ws://127.0.0.1:{port}/ws/control/",
                    origin,
                    f"sessionid={session.session_key}",
                    screens,
                    publish,
                )
            )
            floor = asyncio.run(bare_round(f"ws://127.0.0.1:{bare_port}/", screens))
            ratio = statistics.median(ours.latencies) / max(
                statistics.median(floor.latencies), 0.001
            )
            print(
                f"{screens:4d} screens  OnDijon {percentiles(ours.latencies)}"
                f"  delivered {ours.delivered}/{ours.expected}"
                f"  | bare websockets {percentiles(floor.latencies)}"
                f"  delivered {floor.delivered}/{floor.expected}  | median ratio {ratio:.1f}×"
            )
    finally:
        server.terminate()
        bare.terminate()
        server.wait(10)
        bare.wait(10)


if __name__ == "__main__":
    main()
