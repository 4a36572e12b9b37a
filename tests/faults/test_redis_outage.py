"""Redis unreachable for 30 s while citizens keep sending reports.

The web server (`manage.py serve`), a worker and beat run as processes on a private Redis,
which is killed (as a crashed server is) while several clients post the report form, then
started again 30 s later. Redis carries the cache (and with it the per-client rate limit),
the live channel layer and the Celery broker; sessions and the report itself are in
PostgreSQL. Every report must be accepted without a long wait, and routed once Redis is
back.
"""

from __future__ import annotations

import statistics
import threading
import time
from dataclasses import dataclass, field

import pytest
import requests

from incidents.models import Incident
from tests.conftest import free_port
from tests.faults.conftest import PrivateRedis, Processes, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.faults, pytest.mark.timeout(300)]

CLIENTS = 5
PAUSE_BETWEEN_REPORTS = 0.8  # per client: about six reports a second in all
OUTAGE_SECONDS = 30
MOST_REPORTS = 300


@dataclass
class Submissions:
    """What the clients saw: one (started, seconds, status) per report sent."""

    results: list[tuple[float, float, int | str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)

    def next_number(self) -> int | None:
        with self.lock:
            if len(self.results) >= MOST_REPORTS:
                return None
            self.results.append((0.0, 0.0, "pending"))
            return len(self.results) - 1


def _citizen(base: str, submissions: Submissions) -> None:
    """One phone: opens the form once, then sends a report now and then."""
    session = requests.Session()
    session.get(f"{base}/signaler/", timeout=10).raise_for_status()
    while not submissions.stop.is_set():
        number = submissions.next_number()
        if number is None:
            return
        started = time.monotonic()
        try:
            response = session.post(
                f"{base}/signaler/",
                data={
                    "csrfmiddlewaretoken": session.cookies["csrftoken"],
                    "category": "eclairage-panne",
                    "description": f"Lampadaire éteint devant le n° {number}",
                    # 70 m apart at least: none is taken for a duplicate of another.
                    "lat": f"{47.315 + number % 20 * 0.0007:.6f}",
                    "lon": f"{5.025 + number // 20 * 0.0009:.6f}",
                    "submit_anyway": "1",
                },
                allow_redirects=False,
                timeout=10,
            )
            outcome: int | str = response.status_code
        except requests.RequestException as error:
            outcome = type(error).__name__
        submissions.results[number] = (started, time.monotonic() - started, outcome)
        submissions.stop.wait(PAUSE_BETWEEN_REPORTS)


def test_reports_sent_while_redis_is_down_are_all_accepted_quickly_and_routed_after(
    processes: Processes, private_redis: PrivateRedis, reference_configuration: None
) -> None:
    processes.environment.update(
        ONDIJON_CITIZEN_RATE_LIMIT="100000/10m",  # every client shares 127.0.0.1
        ONDIJON_RELAY_AFTER_SECONDS="30",  # production waits 120 s before the sweep
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    processes.serve(port)
    processes.worker("worker")
    processes.beat()
    wait_until(
        lambda: _answers(f"{base}/readyz"), timeout=60, interval=0.2, what="the server is ready"
    )

    submissions = Submissions()
    clients = [
        threading.Thread(target=_citizen, args=(base, submissions), daemon=True)
        for _ in range(CLIENTS)
    ]
    for client in clients:
        client.start()
    time.sleep(3)
    private_redis.stop()
    down_at = time.monotonic()
    time.sleep(2)
    readiness = requests.get(f"{base}/readyz", timeout=10)
    time.sleep(down_at + OUTAGE_SECONDS - time.monotonic())
    private_redis.start()
    up_at = time.monotonic()
    time.sleep(3)
    submissions.stop.set()
    for client in clients:
        client.join(timeout=15)
    assert not any(client.is_alive() for client in clients), "a client is stuck"

    outcomes = [outcome for _started, _seconds, outcome in submissions.results]
    assert outcomes
    assert set(outcomes) == {302}, outcomes
    durations = sorted(seconds for _started, seconds, _outcome in submissions.results)
    during = [seconds for started, seconds, _ in submissions.results if down_at <= started < up_at]
    p99 = durations[int(0.99 * (len(durations) - 1))]
    assert len(during) >= 50
    assert p99 < 2.0
    assert readiness.status_code == 503
    assert {"redis", "broker"} <= set(readiness.json()["down"])

    reports = len(outcomes)
    assert Incident.objects.count() == reports
    wait_until(
        lambda: not Incident.objects.filter(routed_at__isnull=True).exists(),
        timeout=150,
        interval=0.5,
        what=lambda: (
            "every report routed once Redis is back "
            f"({Incident.objects.filter(routed_at__isnull=True).count()} waiting)"
        ),
    )
    print(
        f"\n{reports} reports, {len(during)} during the {OUTAGE_SECONDS} s outage: "
        f"median {statistics.median(durations) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, "
        f"max {durations[-1] * 1000:.0f} ms; all routed "
        f"{time.monotonic() - up_at:.0f} s after Redis came back"
    )


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False
