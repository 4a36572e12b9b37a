"""The operator's page during a burst of simultaneous citizen reports.

A `manage.py serve` process (uvicorn, one process, as `make run` and each compose worker)
takes `--reports` simultaneous report posts (default 200, each from its own address, as
200 citizens) while an operator reloads the control room page one request after another.
Printed: the page's latency idle and during the burst (p50, p95, max, and the ratio), the
burst's status codes and duration, and the peak number of PostgreSQL connections of the
database. Target: the operator page under 1 s during the burst, no 5xx.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ondijon_bench \\
    REDIS_URL=redis://127.0.0.1:6379/8 .venv/bin/python bench/report_burst.py

Loopback only.
"""

from __future__ import annotations

import argparse
import re
import sys
import threading
import time
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    free_port,
    header,
    percentile,
    require_stack,
    save,
    serve,
    setup_django,
    staff_session,
    stop,
)

OPERATOR_PAGE = "/controle/"


def summary(samples: list[float]) -> dict[str, float]:
    return {
        "p50": round(percentile(samples, 0.50), 1),
        "p95": round(percentile(samples, 0.95), 1),
        "max": round(max(samples), 1) if samples else float("nan"),
        "n": len(samples),
    }


def page_times(url: str, session_key: str, stop_at: threading.Event, least: int) -> list[float]:
    """Milliseconds of each operator page load, back to back, until told to stop."""
    samples: list[float] = []
    with requests.Session() as browser:
        browser.cookies.set("sessionid", session_key)
        while not stop_at.is_set() or len(samples) < least:
            began = time.perf_counter()
            response = browser.get(url + OPERATOR_PAGE, timeout=60)
            samples.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, response.status_code
    return samples


def connections(database_url: str) -> int:
    import psycopg2

    name = urllib.parse.urlparse(database_url).path.lstrip("/")
    with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [name])
        return int(cursor.fetchone()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=200)
    arguments = parser.parse_args()
    database, _redis = require_stack()
    setup_django()
    operator = staff_session()
    port = free_port()
    # Each simulated citizen posts from its own address, written by the "proxy".
    server = serve(port, ONDIJON_CLIENT_IP_HEADER="X-Forwarded-For")
    url = f"http://127.0.0.1:{port}"
    try:
        header("Operator page during a burst of citizen reports")
        idle_done = threading.Event()
        idle_done.set()
        idle = page_times(url, operator, idle_done, least=20)
        form = requests.Session()
        token = re.search(
            r'name="csrfmiddlewaretoken" value="([^"]+)"', form.get(url + "/signaler/").text
        )
        assert token is not None
        cookies = {name: value or "" for name, value in form.cookies.get_dict().items()}

        def report(number: int) -> int:
            return requests.post(
                url + "/signaler/",
                data={
                    "csrfmiddlewaretoken": token.group(1),
                    "category": "voirie-nid-de-poule",
                    "description": f"Nid-de-poule numéro {number} (banc d'essai)",
                    "lat": 47.315 + (number % 20) * 0.0008,
                    "lon": 5.025 + (number // 20 % 20) * 0.0015,
                    "submit_anyway": "1",
                },
                cookies=cookies,
                headers={"X-Forwarded-For": f"198.51.{number // 250}.{number % 250 + 1}"},
                allow_redirects=False,
                timeout=300,
            ).status_code

        burst_over = threading.Event()
        during: list[float] = []
        peak = [0]

        def operator_reloads() -> None:
            during.extend(page_times(url, operator, burst_over, least=1))

        def sample_connections() -> None:
            while not burst_over.is_set():
                peak[0] = max(peak[0], connections(database))
                time.sleep(0.05)

        watchers = [
            threading.Thread(target=operator_reloads),
            threading.Thread(target=sample_connections),
        ]
        for watcher in watchers:
            watcher.start()
        began = time.perf_counter()
        with ThreadPoolExecutor(max_workers=arguments.reports) as pool:
            codes = Counter(pool.map(report, range(arguments.reports)))
        burst_seconds = time.perf_counter() - began
        burst_over.set()
        for watcher in watchers:
            watcher.join()
    finally:
        stop(server)
    figures = {
        "reports": arguments.reports,
        "status_codes": {str(code): count for code, count in sorted(codes.items())},
        "burst_seconds": round(burst_seconds, 2),
        "operator_page_idle_ms": summary(idle),
        "operator_page_during_burst_ms": summary(during),
        "ratio_p95_burst_over_idle": round(percentile(during, 0.95) / percentile(idle, 0.95), 2),
        "peak_database_connections": peak[0],
    }
    for name, value in figures.items():
        print(f"{name}: {value}")
    save("report_burst", figures)


if __name__ == "__main__":
    main()
