"""Event → control-room screens: latency and delivery for 1, 10, 50 and 200 WebSockets.

OnDijon's path is measured end to end: an event is published in a committed transaction,
its delta is encoded once and published on Redis, the ASGI server (uvicorn, one worker)
receives it on its one live-feed subscription and hands it to every screen. Beside it, in
the same run, a bare `websockets` broadcast server relays the same number of messages to
the same number of clients: the floor.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ondijon_bench \\
    REDIS_URL=redis://127.0.0.1:6379/8 .venv/bin/python bench/ws_fanout.py

BENCH_SCREENS (default 1,10,50,200) and BENCH_EVENTS (default 100 a round) bound the run;
BENCH_PROFILE=<file> records a py-spy profile of the server meanwhile (py-spy on the PATH).
Loopback only; every loop is bounded in count and time.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    ROOT,
    free_port,
    header,
    percentile,
    save,
    setup_django,
    staff_session,
    stop,
    wait_for_port,
)

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
    return (
        f"p50 {percentile(values, 0.50):6.1f} ms  p95 {percentile(values, 0.95):6.1f} ms"
        f"  p99 {percentile(values, 0.99):6.1f} ms"
    )


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


def figures(result: Result) -> dict[str, float | int]:
    return {
        "p50": round(percentile(result.latencies, 0.50), 2),
        "p95": round(percentile(result.latencies, 0.95), 2),
        "p99": round(percentile(result.latencies, 0.99), 2),
        "delivered": result.delivered,
        "expected": result.expected,
    }


def main() -> None:
    setup_django(inventory=False)
    from bench_layer import BenchEvent, BenchLayer  # type: ignore[import-not-found]
    from django.db import transaction

    from hypervisor import events
    from hypervisor.registry import registry

    registry.add_layer(BenchLayer())
    session_key = staff_session()

    def publish(number: int) -> None:
        with transaction.atomic():
            events.publish(BenchEvent(asset_id=str(number)))

    port, bare_port = free_port(), free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "ondijon.asgi:application", "--port", str(port),
         "--ws", "websockets-sansio", "--log-level", "warning", "--lifespan", "off"],
        cwd=ROOT, start_new_session=True,
    )  # fmt: skip
    bare = subprocess.Popen(
        [sys.executable, "-c", BARE_SERVER, str(bare_port)], start_new_session=True
    )
    rounds = []
    profiler = None
    try:
        wait_for_port(port, server)
        wait_for_port(bare_port, bare)
        if os.environ.get("BENCH_PROFILE"):
            # py-spy samples every thread of the server while the rounds run.
            profiler = subprocess.Popen(
                ["py-spy", "record", "--pid", str(server.pid), "--rate", "200",
                 "--format", "raw", "--output", os.environ["BENCH_PROFILE"], "--nonblocking"],
            )  # fmt: skip
        header("Event → control-room screens")
        print(f"{EVENTS} events at {1 / INTERVAL:.0f}/s a round, {WARMUP} warm-up events first")
        origin = f"http://127.0.0.1:{port}"
        for screens in SCREENS:
            ours = asyncio.run(
                ondijon_round(
                    f"ws://127.0.0.1:{port}/ws/control/",
                    origin,
                    f"sessionid={session_key}",
                    screens,
                    publish,
                )
            )
            floor = asyncio.run(bare_round(f"ws://127.0.0.1:{bare_port}/", screens))
            ratio = statistics.median(ours.latencies) / max(
                statistics.median(floor.latencies), 0.001
            )
            load = os.getloadavg()[0]
            print(
                f"{screens:4d} screens  OnDijon {percentiles(ours.latencies)}"
                f"  delivered {ours.delivered}/{ours.expected}"
                f"  | bare websockets {percentiles(floor.latencies)}"
                f"  delivered {floor.delivered}/{floor.expected}  | median ratio {ratio:.1f}×"
                f"  | load {load:.1f}"
            )
            sys.stdout.flush()
            rounds.append(
                {"screens": screens, "ondijon": figures(ours), "bare": figures(floor), "load": load}
            )
    finally:
        if profiler is not None:
            profiler.send_signal(signal.SIGINT)
            profiler.wait(30)
        stop(server, bare)
    save("ws_fanout", {"events_per_round": EVENTS, "rounds": rounds})


if __name__ == "__main__":
    main()
