"""RSMP supervisor under the load of the territory's controllers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ondijon_bench \\
    REDIS_URL=redis://127.0.0.1:6379/15 .venv/bin/python bench/rsmp_supervisor.py \\
        [--sites 180] [--seconds 30] [--alarms 40] [--plans 20]

Starts `manage.py rsmp_supervisor` (its own process, as deployed) and a Celery worker, and
runs the emulated sites here, in one asyncio loop. Three figures:

1. CPU share of the supervisor process while every site sends a status update (S0001, a
   stage change) every second;
2. alarm raised by a site → its alarm delta published to the control-room screens' feed
   (the Redis channel every server process relays to its screens), p50/p95;
3. time-plan command from the control room → the crossroads' status change (the new plan,
   reported by the site) published to the screens' feed, p50/p95.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    celery_worker,
    cpu_seconds,
    free_port,
    header,
    percentile,
    save,
    setup_django,
    start,
    stop,
    wait_for_port,
)

PREFIX = "BENCH-RSMP-"


def sites_ready(count: int) -> list[tuple[str, int]]:
    """`count` crossroads with an RSMP site each, created once in the benchmark database."""
    from traffic.models import Crossroad, RsmpSite

    wanted = [f"{PREFIX}{n:03d}" for n in range(1, count + 1)]
    have = set(Crossroad.objects.filter(reference__in=wanted).values_list("reference", flat=True))
    rng = random.Random(1)
    for reference in wanted:
        if reference in have:
            continue
        crossroad = Crossroad.objects.create(
            reference=reference, name=f"Banc {reference}", commune_insee="21231",
            lat=47.32 + rng.uniform(-0.03, 0.03), lon=5.04 + rng.uniform(-0.04, 0.04),
            controller_id=f"KK+{reference}", signal_groups=8,
        )  # fmt: skip
        RsmpSite.objects.create(site_id=f"KK+{reference}", crossroad=crossroad)
    return [(f"KK+{reference}", 8) for reference in wanted]


class Feed:
    """The screens' feed: every delta the server processes would relay, with its arrival."""

    def __init__(self, redis_url: str) -> None:
        import redis

        from hypervisor.fanout import channel_name

        self.client = redis.Redis.from_url(redis_url)
        self.pubsub = self.client.pubsub()
        self.pubsub.subscribe(channel_name(redis_url))
        self.deltas: list[tuple[float, dict[str, Any]]] = []
        self.thread = threading.Thread(target=self._listen, daemon=True)
        self.thread.start()

    def _listen(self) -> None:
        for message in self.pubsub.listen():
            if message["type"] != "message":
                continue
            _audience, _sep, text = message["data"].decode().partition("\n")
            self.deltas.append((time.time(), json.loads(text)))

    def first(self, since: float, match: Any, timeout: float = 10) -> float | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for at, delta in list(self.deltas):
                if at >= since and match(delta):
                    return at
            time.sleep(0.005)
        return None


def figures(latencies: list[float]) -> dict[str, float]:
    return {
        "count": len(latencies),
        "p50": round(percentile(latencies, 0.5), 1),
        "p95": round(percentile(latencies, 0.95), 1),
    }


def spread(latencies: list[float], asked: int) -> str:
    got = figures(latencies)
    return f"{got['count']}/{asked} arrived, p50 {got['p50']:.0f} ms, p95 {got['p95']:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sites", type=int, default=180)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--alarms", type=int, default=40)
    parser.add_argument("--plans", type=int, default=20)
    args = parser.parse_args()
    header("RSMP supervisor: 1 status/s per site, alarm → screens, plan change → map")
    setup_django(inventory=False)
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from traffic.models import Crossroad
    from traffic.rsmp.emulator import EmulatorSettings, SiteEmulator
    from traffic.services import signal_command_request

    sites = sites_ready(args.sites)
    operator, _created = get_user_model().objects.get_or_create(username="bench-rsmp-operator")
    operator.groups.set([Group.objects.get(name="operator")])
    port = free_port()
    supervisor = start(
        [sys.executable, "manage.py", "rsmp_supervisor", "--port", str(port)], quiet=True
    )
    worker = celery_worker()
    feed = Feed(settings.REDIS_URL)
    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_forever, daemon=True).start()

    def run(coroutine: Any, timeout: float = 60) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, loop).result(timeout)

    emulators: list[SiteEmulator] = []
    try:
        wait_for_port(port, supervisor)
        emulator_settings = EmulatorSettings(
            port=port, stage_seconds=(1e9, 1e9), alarms_per_day=0, command_delay=0.0,
            security_code=settings.RSMP_SECURITY_CODE,
        )  # fmt: skip

        async def connect_all() -> None:
            for index, (site_id, groups) in enumerate(sites):
                emulator = SiteEmulator(
                    site_id, signal_groups=groups, settings=emulator_settings,
                    rng=random.Random(index),
                )  # fmt: skip
                emulator.start()
                emulators.append(emulator)
            await asyncio.gather(*(e.connected.wait() for e in emulators))
            while not all(e.subscriptions for e in emulators):
                await asyncio.sleep(0.1)

        started = time.monotonic()
        run(connect_all(), timeout=120)
        print(
            f"{len(emulators)} sites connected and subscribed in {time.monotonic() - started:.1f} s"
        )

        stop_load = threading.Event()

        async def load() -> None:
            """Each site changes stage once a second, spread over the second."""
            while not stop_load.is_set():
                tick = time.monotonic()
                for index, emulator in enumerate(emulators):
                    emulator.stage = emulator.stage % 4 + 1
                    await emulator.statuses_changed({"S0001"})
                    if index % 20 == 19:
                        await asyncio.sleep(
                            max(0, tick + (index + 1) / len(emulators) - time.monotonic())
                        )
                await asyncio.sleep(max(0, tick + 1 - time.monotonic()))

        load_future = asyncio.run_coroutine_threadsafe(load(), loop)
        time.sleep(3)  # steady state first
        cpu_before, wall_before = cpu_seconds(supervisor.pid), time.monotonic()
        time.sleep(args.seconds)
        cpu_share = (cpu_seconds(supervisor.pid) - cpu_before) / (time.monotonic() - wall_before)
        print(f"supervisor CPU, {len(emulators)} sites at 1 status/s: {cpu_share:.1%} of one core")

        # Baseline on the same machine at the same moment: one publish on the screens' feed
        # straight back to this process (what any path to the screens costs at least).
        from hypervisor.fanout import publish

        baseline: list[float] = []
        for number in range(20):
            marker = f"bench-rsmp-baseline-{number}-{time.time()}"
            t0 = time.time()
            publish(audience="", text=json.dumps({"type": "bench", "id": marker}))
            arrived = feed.first(t0, lambda d, m=marker: d.get("id") == m)
            if arrived is not None:
                baseline.append((arrived - t0) * 1000)
            time.sleep(0.05)
        print(f"baseline, publish → feed: {spread(baseline, 20)}")

        # Alarm → screens, under the same status load.
        alarm_latencies: list[float] = []
        rng = random.Random(2)
        for _ in range(args.alarms):
            emulator = rng.choice(emulators)
            component = f"{emulator.site_id}.SG{rng.randint(1, 8)}"
            reference = emulator.site_id.removeprefix("KK+")
            t0 = time.time()
            run(emulator.raise_alarm("A0201", component=component, color="red"))
            arrived = feed.first(
                t0,
                lambda d, r=reference, c=component: (
                    d.get("layer") == "alarms"
                    and d.get("event", {}).get("kind") == "alarm.raised"
                    # The screens show the crossroads' alarm with the lamp alarm under it,
                    # or the lamp alarm alone when it comes first: whichever shows first.
                    and str((d.get("feature") or {}).get("asset", ""))
                    in (f"crossroad:{r}", f"signal_alarm:{r}/A0201/{c}")
                ),
            )
            if arrived is not None:
                alarm_latencies.append((arrived - t0) * 1000)
            elif os.environ.get("BENCH_RSMP_DEBUG"):
                seen = [d for at, d in feed.deltas if at >= t0 and reference in json.dumps(d)]
                print("missed", reference, component, json.dumps(seen)[:1500])
            run(emulator.clear_alarm(f"A0201/{component}"))
            time.sleep(0.3)
        print(f"alarm → screens: {spread(alarm_latencies, args.alarms)}")

        # Time-plan command → the new plan on the map.
        plan_latencies: list[float] = []
        for number in range(args.plans):
            emulator = emulators[(number * 7) % len(emulators)]
            reference = emulator.site_id.removeprefix("KK+")
            crossroad = Crossroad.objects.get(reference=reference)
            plan = 10 + number % 5 if crossroad.time_plan != 10 + number % 5 else 20
            t0 = time.time()
            signal_command_request(
                crossroad=crossroad, action="time_plan", time_plan=plan,
                reason="banc de mesure", by=operator,
            )  # fmt: skip
            arrived = feed.first(
                t0,
                lambda d, r=reference: (
                    d.get("layer") == "signals"
                    and d.get("id") == r
                    and d.get("event", {}).get("kind") == "crossroad.status_changed"
                ),
            )
            if arrived is not None:
                plan_latencies.append((arrived - t0) * 1000)
        print(f"plan change → map: {spread(plan_latencies, args.plans)}")
        stop_load.set()
        load_future.result(10)
        save(
            "rsmp_supervisor",
            {
                "sites": len(emulators), "seconds": args.seconds,
                "supervisor_cpu_share": round(cpu_share, 4),
                "baseline_publish_to_feed_ms": figures(baseline),
                "alarm_to_screens_ms": figures(alarm_latencies),
                "plan_change_to_map_ms": figures(plan_latencies),
            },
        )  # fmt: skip
    finally:
        for emulator in emulators:
            with contextlib.suppress(Exception):
                run(emulator.stop(), timeout=5)
        stop(supervisor, worker)
        loop.call_soon_threadsafe(loop.stop)


if __name__ == "__main__":
    main()
