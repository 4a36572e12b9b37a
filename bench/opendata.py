"""Open-data layer speed: the whole light layer as GeoJSON, uncached and cached, and bbox pages.

Run from the project directory against a database of its own (migrated, given the territory
and the demo inventory of ~35,000 light points if it has fewer):

    ONDIJON_VAR_DIR=/tmp/ondijon-bench-opendata .venv/bin/python bench/opendata.py

or on PostgreSQL with DATABASE_URL=… set. Uncached: the process drops every cached table
and body before each request, so the time covers the read of 35,000 rows through the
lighting selector, the ordering, the GeoJSON rendering, the hash, the cache write and the
response. Cached and bbox
requests go over HTTP on the loopback to a `manage.py serve` process on the same database.
Loops are bounded (--runs, --pages); figures are milliseconds.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import random
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ondijon.settings")
LAYER = "/api/v1/datasets/light-points/geojson/"
TERRITORY = (4.90, 47.22, 5.20, 47.39)


def machine() -> str:
    memory_kb = 0
    with open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                memory_kb = int(line.split()[1])
    return (
        f"{os.cpu_count()} cores ({platform.processor() or platform.machine()}), "
        f"{memory_kb / 1024 / 1024:.1f} GiB memory, Python {platform.python_version()}"
    )


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"median {statistics.median(ordered):7.1f}  p95 {p95:7.1f}  "
        f"min {ordered[0]:7.1f}  max {ordered[-1]:7.1f}  (n={len(ordered)})"
    )


def prepare() -> int:
    from django.core.management import call_command

    from hypervisor import selectors as hypervisor
    from lighting import selectors as lighting

    call_command("migrate", verbosity=0)
    if not hypervisor.territory_is_loaded():
        call_command("load_territory", verbosity=0)
    if lighting.inventory_counts()["points"] < 30_000:
        call_command("seed_demo", verbosity=0)
    return lighting.inventory_counts()["points"]


def uncached(runs: int) -> tuple[list[float], list[float], int]:
    """Wall-clock and CPU milliseconds of this process per uncached request.

    The CPU time is what the machine's other users cannot inflate much: on a loaded
    machine the wall clock also counts the time spent waiting for a core. It leaves out
    the database server's own work (none with SQLite, which runs in this process).
    """
    from django.core.cache import cache
    from django.test import Client

    from opendata import store

    client = Client(HTTP_HOST="127.0.0.1")
    samples, cpu, size = [], [], 0
    for _ in range(runs):
        store.forget()
        cache.clear()
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(LAYER)
        cpu.append((time.process_time() - started_cpu) * 1000)
        samples.append((time.perf_counter() - started) * 1000)
        size = len(response.content)
        assert response.status_code == 200, response.status_code
    return samples, cpu, size


def get(connection: http.client.HTTPConnection, path: str, **headers: str) -> tuple[float, int]:
    started = time.perf_counter()
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status in (200, 304), (path, response.status, body[:200])
    return elapsed, len(body)


def serve(port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "ONDIJON_OPENDATA_RATE_ANONYMOUS": "1000000/min"}
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise SystemExit("the server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="requests per whole-layer figure")
    parser.add_argument("--pages", type=int, default=200, help="bbox pages requested")
    parser.add_argument("--port", type=int, default=8093)
    parser.add_argument("--seed", type=int, default=2154)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection as database

    points = prepare()
    load_before = os.getloadavg()
    cold, cold_cpu, size = uncached(args.runs)

    database.close()
    process = serve(args.port)
    try:
        http_connection = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
        get(http_connection, LAYER)  # fills the server's cache
        cached = [get(http_connection, LAYER)[0] for _ in range(args.runs)]
        cached_gzip = [
            get(http_connection, LAYER, **{"Accept-Encoding": "gzip"})[0] for _ in range(args.runs)
        ]
        rng = random.Random(args.seed)
        pages, features = [], []
        for _ in range(args.pages):
            # A street-level view: about 600 m by 400 m somewhere in the territory.
            lon = rng.uniform(TERRITORY[0], TERRITORY[2] - 0.008)
            lat = rng.uniform(TERRITORY[1], TERRITORY[3] - 0.0036)
            bbox = f"{lon:.5f},{lat:.5f},{lon + 0.008:.5f},{lat + 0.0036:.5f}"
            path = f"/ogcapi/collections/light-points/items?bbox={bbox}&limit=1000"
            elapsed, length = get(http_connection, path)
            pages.append(elapsed)
            features.append(length)
    finally:
        process.terminate()
        process.wait(timeout=10)

    load_after = os.getloadavg()
    print(f"machine: {machine()}")
    print(
        "load average (1, 5, 15 min) before / after: "
        + " / ".join(" ".join(f"{v:.1f}" for v in load) for load in (load_before, load_after))
    )
    print(f"database: {database.vendor}, light points: {points}")
    print(f"command: {shlex.join([sys.executable, *sys.argv])}")
    print(f"whole layer, {size / 1e6:.1f} MB of GeoJSON")
    print(f"  uncached (in process, every cache dropped)  {summary(cold)}")
    print(f"  uncached, CPU time of this process          {summary(cold_cpu)}")
    print(f"  cached   (HTTP loopback)                    {summary(cached)}")
    print(f"  cached, gzip (HTTP loopback)                {summary(cached_gzip)}")
    print(f"bbox page, OGC API items (HTTP loopback)       {summary(pages)}")
    print(f"  mean body {statistics.mean(features) / 1000:.1f} kB")


if __name__ == "__main__":
    main()
