"""Citizen report → crew tablet: from the form's POST to the task on the crew's WebSocket.

The real chain: a `manage.py serve` process takes the report (HTTP, the citizen form),
commits the incident; a Celery worker process routes and dispatches it through the Redis
broker; the assigned crew's tablet, a /ws/field/ socket logged in as the crew's agent on
the same server, receives the task through the Redis channel layer. Beside it, in the
same run: a raw Redis round trip (PING, and PUBLISH → a subscriber).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ondijon_bench \\
    REDIS_URL=redis://127.0.0.1:6379/8 .venv/bin/python bench/report_to_tablet.py

Reports are filed one at a time (`--reports`, default 30) near a crew of the benchmark's
own, on shift and placed away from the demo crews, so that it is the nearest; each
incident is cancelled once measured so the crew's queue stays empty. Loopback only.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import random
import sys
import threading
import time
import urllib.parse
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    celery_worker,
    free_port,
    header,
    percentile,
    save,
    serve,
    setup_django,
    staff_session,
    stop,
)

TIMEOUT = 10.0  # seconds a report may take before it counts as lost


def summary(samples: list[float]) -> dict[str, float]:
    return {
        "p50": round(percentile(samples, 0.50), 2),
        "p95": round(percentile(samples, 0.95), 2),
        "max": round(max(samples), 2) if samples else float("nan"),
        "n": len(samples),
    }


def redis_round_trips(url: str, count: int) -> tuple[list[float], list[float]]:
    """Milliseconds of PING, and of PUBLISH until a subscriber on another connection has it."""
    import redis

    client = redis.Redis.from_url(url)
    subscriber = redis.Redis.from_url(url).pubsub(ignore_subscribe_messages=True)
    channel = f"bench-round-trip-{time.time_ns()}"
    subscriber.subscribe(channel)
    subscriber.get_message(timeout=1)
    pings, publishes = [], []
    for _ in range(count):
        began = time.perf_counter()
        client.ping()
        pings.append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        client.publish(channel, b"x")
        while subscriber.get_message(timeout=1) is None:
            pass
        publishes.append((time.perf_counter() - began) * 1000)
    subscriber.close()
    client.close()
    return pings, publishes


def quiet_place() -> tuple[float, float]:
    """A point of the territory as far as possible from every lighting crew of the demo."""
    from hypervisor.selectors import commune_at
    from incidents.models import Crew

    crews = list(Crew.objects.exclude(lat=None).values_list("lat", "lon"))
    best, best_distance = (47.3220, 5.0415), -1.0
    for lat in [47.26 + step * 0.005 for step in range(20)]:
        for lon in [4.96 + step * 0.008 for step in range(25)]:
            if commune_at(lat=lat, lon=lon) is None:
                continue
            nearest = min(
                (math.hypot(lat - c_lat, (lon - c_lon) * 0.68) for c_lat, c_lon in crews),
                default=1.0,
            )
            if nearest > best_distance:
                best, best_distance = (lat, lon), nearest
    return best


def bench_crew(lat: float, lon: float) -> tuple[int, str]:
    """The benchmark's lighting crew, on shift and placed here; returns it and its agent."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from incidents.models import Category
    from incidents.services import crew_ensure, crew_member_set, crew_position_report, shift_add

    trades = list(
        Category.objects.get(code="eclairage-panne").trades.values_list("code", flat=True)
    )
    crew = crew_ensure(code="bench-eclairage", name="Banc d'essai", trade_codes=trades)
    now = timezone.now()
    shift_add(crew_id=crew.pk, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=4))
    crew_position_report(crew_id=crew.pk, lat=lat, lon=lon)
    agent, _created = get_user_model().objects.get_or_create(username="bench-agent")
    agent.groups.set([Group.objects.get(name="field_agent")])
    crew_member_set(user=agent, crew_id=crew.pk)
    return crew.pk, staff_session(role="field_agent", username="bench-agent")


class Tablet:
    """The crew's tablet: a thread reading /ws/field/ and stamping each task's arrival."""

    def __init__(self, socket: Any) -> None:
        self.socket = socket
        snapshot = json.loads(socket.recv(timeout=10))
        assert snapshot["type"] == "snapshot", snapshot
        self.arrived: dict[str, float] = {}
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        try:
            for raw in self.socket:
                message = json.loads(raw)
                if message.get("op") == "upsert":
                    description = message["task"].get("description", "")
                    self.arrived.setdefault(description, time.perf_counter())
        except Exception:  # noqa: S110 (the socket closes at the end of the run)
            pass


def file_report(port: int, description: str, lat: float, lon: float) -> tuple[float, float]:
    """POST the citizen form as a browser does (CSRF cookie and field): sent and answered."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/signaler/")
    response = connection.getresponse()
    response.read()
    cookie = response.getheader("Set-Cookie", "")
    token = cookie.split("csrftoken=", 1)[1].split(";", 1)[0]
    body = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "category": "eclairage-panne",
            "description": description,
            "lat": f"{lat:.6f}",
            "lon": f"{lon:.6f}",
            "submit_anyway": "1",
        }
    )
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={token}",
        "Referer": f"http://127.0.0.1:{port}/signaler/",
    }
    sent = time.perf_counter()
    connection.request("POST", "/signaler/", body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    answered = time.perf_counter()
    connection.close()
    if response.status != 302:
        raise RuntimeError(f"the report was not accepted: HTTP {response.status}")
    return sent, answered


def cancel_open_incidents(crew_id: int) -> None:
    from django.contrib.auth import get_user_model

    from incidents.models import OPEN_TASK_STATUSES, Task
    from incidents.services import incident_cancel

    operator = get_user_model().objects.get(username="bench-operator")
    open_tasks = Task.objects.filter(crew_id=crew_id, status__in=OPEN_TASK_STATUSES)
    for incident_id in set(open_tasks.values_list("incident_id", flat=True)):
        incident_cancel(incident_id=incident_id, by=operator, reason="Banc d'essai")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=30)
    parser.add_argument("--round-trips", type=int, default=200)
    args = parser.parse_args()

    setup_django()
    import os

    from websockets.sync.client import connect

    staff_session()  # the operator who cancels measured incidents
    lat, lon = quiet_place()
    crew_id, agent_session = bench_crew(lat, lon)
    cancel_open_incidents(crew_id)
    port = free_port()
    environment = {"ONDIJON_CITIZEN_RATE_LIMIT": "100000/m"}
    server = serve(port, **environment)
    worker = celery_worker(**environment)
    latencies: list[float] = []
    answers: list[float] = []  # the form's response (the incident committed)
    lost = 0
    try:
        time.sleep(3)  # the worker connects to the broker
        header("Citizen report → crew tablet")
        with connect(
            f"ws://127.0.0.1:{port}/ws/field/",
            additional_headers={"Cookie": f"sessionid={agent_session}"},
            origin=f"http://127.0.0.1:{port}",
        ) as socket:
            tablet = Tablet(socket)
            rng = random.Random(21)
            for number in range(args.reports + 2):
                description = f"Lampadaire éteint, banc {time.time_ns()}"
                sent, answered = file_report(
                    port,
                    description,
                    lat + rng.uniform(-0.0005, 0.0005),
                    lon + rng.uniform(-0.0005, 0.0005),
                )
                deadline = time.monotonic() + TIMEOUT
                while description not in tablet.arrived and time.monotonic() < deadline:
                    time.sleep(0.002)
                if number >= 2:  # the first two warm the server and the worker up
                    answers.append((answered - sent) * 1000)
                    if description in tablet.arrived:
                        latencies.append((tablet.arrived[description] - sent) * 1000)
                    else:
                        lost += 1
                cancel_open_incidents(crew_id)
                time.sleep(0.2)
        pings, publishes = redis_round_trips(os.environ["REDIS_URL"], args.round_trips)
    finally:
        stop(server, worker)
        cancel_open_incidents(crew_id)

    ours, ping, pubsub = summary(latencies), summary(pings), summary(publishes)
    answer = summary(answers)
    print(
        f"report → tablet: p50 {ours['p50']:.0f} ms, p95 {ours['p95']:.0f} ms, "
        f"max {ours['max']:.0f} ms over {ours['n']} reports ({lost} not received in "
        f"{TIMEOUT:.0f} s); target p95 ≤ 1,000 ms"
    )
    print(
        f"  of which the form's answer (incident committed): p50 {answer['p50']:.0f} ms, "
        f"p95 {answer['p95']:.0f} ms"
    )
    print(
        f"raw Redis, same run: PING p50 {ping['p50']:.2f} ms, p95 {ping['p95']:.2f} ms; "
        f"PUBLISH → subscriber p50 {pubsub['p50']:.2f} ms, p95 {pubsub['p95']:.2f} ms "
        f"({ping['n']} each)"
    )
    print(f"ratio report p50 / PUBLISH round trip p50: {ours['p50'] / pubsub['p50']:.0f}×")
    save(
        "report_to_tablet",
        {
            "report_to_tablet_ms": ours,
            "form_answer_ms": answer,
            "lost": lost,
            "redis_ping_ms": ping,
            "redis_publish_ms": pubsub,
            "load_after": os.getloadavg()[0],
        },
    )


if __name__ == "__main__":
    main()
