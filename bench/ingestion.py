"""Telemetry ingestion throughput: batched HTTP and MQTT, beside `psql \\copy` of the same rows.

Run from the project directory against a PostgreSQL database of its own (it is migrated,
given the territory and the demo inventory if empty, and its telemetry tables grow) and the
local Mosquitto broker:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ondijon_bench \\
    REDIS_URL=redis://127.0.0.1:6379/8 .venv/bin/python bench/ingestion.py

Paths, each with its own gateway and the same kind of readings (a night: most lamps lit,
a few failing):

- service: NDJSON batches parsed and ingested in `--workers` processes through the service
  behind POST /api/v1/telemetry/ (validation, idempotency receipts, lamp state, history);
- http: the same batches POSTed over the loopback to `--workers` `manage.py serve` processes
  (the real API: authentication, DRF, the ASGI server), two client threads each;
- mqtt: messages of `--mqtt-message` readings published to Mosquitto (QoS 1) and consumed
  by `--workers` `manage.py mqtt_bridge` processes of one share group, timed until the last
  reading is stored;
- the limit: the service run's rows loaded with `psql \\copy` into a scratch copy of the
  history table (same indexes).

CPU-ms per reading is the ingesting processes' CPU time (from /proc) divided by the readings
stored, and beside it the CPU time of their PostgreSQL backends. Then the HTTP path is run
for each batch size of `--sweep` (the plot of rate against batch size). ThingsBoard's
published ceiling on 2 vCPU is quoted for context; it was not run here.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    cpu_seconds,
    free_port,
    header,
    load_average,
    save,
    serve,
    setup_django,
    start,
    stop,
)

THINGSBOARD_MSG_S = 6_000  # published ceiling, 2 vCPU (ThingsBoard performance tests)
# Persistent connections for the MQTT bridges, so that their PostgreSQL backends can be timed.
# The web process opens a connection per request under ASGI: its backends end with each
# request and their CPU time cannot be read, so the HTTP path reports the servers' only.
PERSISTENT = {"DATABASE_CONN_MAX_AGE": "600"}


class Readings:
    """Lamp readings of one night, each with a message id unique to this run."""

    def __init__(self, references: list[str], seed: int) -> None:
        self.references = references
        self.failing = set(random.Random(seed).sample(references, len(references) // 500))
        # Last night, 22:00 in Dijon: lamps are expected lit at full power.
        self.start = (datetime.now(UTC) - timedelta(days=1)).replace(
            hour=21, minute=0, second=0, microsecond=0
        )
        self.run = time.time_ns()
        self.made = 0

    def batch(self, size: int) -> list[dict[str, Any]]:
        readings = []
        for n in range(self.made, self.made + size):
            asset_id = self.references[n % len(self.references)]
            lit = asset_id not in self.failing
            readings.append(
                {
                    "message_id": f"{self.run}-{n}",
                    "asset_type": "lamp",
                    "asset_id": asset_id,
                    "measured_at": (self.start + timedelta(seconds=n // 1000)).isoformat(),
                    "values": {"lit": lit, "level": 100 if lit else 0},
                }
            )
        self.made += size
        return readings

    def batches(self, total: int, size: int) -> list[list[dict[str, Any]]]:
        return [self.batch(min(size, total - first)) for first in range(0, total, size)]


def ndjson(readings: list[dict[str, Any]]) -> bytes:
    return "\n".join(json.dumps(r, separators=(",", ":")) for r in readings).encode()


def backend_cpu() -> dict[int, float]:
    """CPU seconds so far of every PostgreSQL backend on this database but our own."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        pids = [row[0] for row in cursor.fetchall()]
    found = {}
    for pid in pids:
        try:
            found[pid] = cpu_seconds(pid)
        except OSError:
            continue  # ended meanwhile
    return found


def cpu_delta(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(spent - before.get(pid, 0.0) for pid, spent in after.items())


def stored(gateway_id: int) -> int:
    """Readings this gateway had accepted: its receipts, counted on their unique index (the
    history table has no index by gateway and grows with every run)."""
    from hypervisor.models import TelemetryReceipt

    return TelemetryReceipt.objects.filter(gateway_id=gateway_id).count()


def result(name: str, readings: int, seconds: float, app_cpu: float, db_cpu: float | None) -> dict:
    rate = readings / seconds if seconds else 0.0
    figures = {
        "path": name,
        "readings": readings,
        "seconds": round(seconds, 3),
        "rate": round(rate),
        "app_cpu_ms_per_reading": round(app_cpu * 1000 / max(readings, 1), 4),
        "db_cpu_ms_per_reading": None
        if db_cpu is None
        else round(db_cpu * 1000 / max(readings, 1), 4),
        "load": round(os.getloadavg()[0], 1),
    }
    database = (
        "PostgreSQL backends not measured (a connection per request)"
        if db_cpu is None
        else f"{figures['db_cpu_ms_per_reading']:.3f} ms (PostgreSQL backends)"
    )
    print(
        f"{name:>8}: {readings:,} readings in {seconds:.2f} s = {rate:,.0f} readings/s;"
        f" CPU per reading {figures['app_cpu_ms_per_reading']:.3f} ms (ingesting processes)"
        f" + {database}; load {figures['load']}"
    )
    sys.stdout.flush()
    return figures


def _ingest(job: tuple[int, list[bytes]]) -> tuple[int, float, float]:
    from django.db import connection

    from hypervisor.models import Gateway
    from hypervisor.telemetry.services import batch_parse, telemetry_ingest

    connection.close()
    gateway = Gateway.objects.get(pk=job[0])
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    cpu, db_cpu = time.process_time(), cpu_seconds(backend)
    accepted = 0
    for body in job[1]:
        accepted += telemetry_ingest(gateway=gateway, items=batch_parse(body)).accepted
    return accepted, time.process_time() - cpu, cpu_seconds(backend) - db_cpu


def service_path(bodies: list[bytes], workers: int, label: str = "service") -> dict:
    from django.db import connection

    from hypervisor.telemetry.services import gateway_create

    gateway, _token = gateway_create(name=f"bench-service-{time.time_ns()}")
    connection.close()  # each worker process opens its own connection
    began = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        done = pool.map(_ingest, [(gateway.pk, bodies[k::workers]) for k in range(workers)])
    seconds = time.perf_counter() - began
    return result(
        label,
        sum(d[0] for d in done),
        seconds,
        sum(d[1] for d in done),
        sum(d[2] for d in done),
    )


def http_path(
    bodies: list[bytes], servers: list[tuple[int, int]], token: str, name: str, label: str = "http"
) -> dict:
    """POST every body; two client threads per server process keep each one busy."""
    from hypervisor.models import Gateway

    gateway_id = Gateway.objects.values_list("pk", flat=True).get(name=name)
    before = stored(gateway_id)
    queue = list(enumerate(bodies))
    lock = threading.Lock()
    failures: list[str] = []

    def client(port: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/x-ndjson"}
        while True:
            with lock:
                if not queue:
                    break
                _index, body = queue.pop()
            connection.request("POST", "/api/v1/telemetry/", body=body, headers=headers)
            response = connection.getresponse()
            answer = response.read()
            if response.status != 200:
                failures.append(f"{response.status} {answer[:200]!r}")
        connection.close()

    app_before = {pid: cpu_seconds(pid) for _port, pid in servers}
    threads = [
        threading.Thread(target=client, args=(port,)) for port, _pid in servers for _ in range(2)
    ]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began
    app_cpu = sum(cpu_seconds(pid) - spent for pid, spent in app_before.items())
    if failures:
        print(f"    {len(failures)} requests failed, first: {failures[0]}")
    return result(label, stored(gateway_id) - before, seconds, app_cpu, None)


def mqtt_path(batches: list[list[dict[str, Any]]], message_size: int, bridges: int) -> dict:
    """`bridges` mqtt_bridge processes of one share group, as --workers server processes."""
    import paho.mqtt.client as mqtt

    from hypervisor.telemetry.services import gateway_create

    prefix = f"bench/{time.time_ns()}"
    gateway, _token = gateway_create(name=f"bench-mqtt-{time.time_ns()}")
    readings = [reading for batch in batches for reading in batch]
    messages = [
        json.dumps(readings[first : first + message_size], separators=(",", ":")).encode()
        for first in range(0, len(readings), message_size)
    ]
    command = [sys.executable, "manage.py", "mqtt_bridge", "--topic", prefix,
               "--share-group", f"bench-{time.time_ns()}", "--duration", "600"]  # fmt: skip
    processes = [start(command, quiet=True, **PERSISTENT) for _ in range(bridges)]
    publisher = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    publisher.max_queued_messages_set(0)
    publisher.connect("127.0.0.1", 1883)
    publisher.loop_start()
    try:
        # A bridge is ready once it has subscribed: a probe reading comes through.
        probe = Readings([readings[0]["asset_id"]], 0).batch(1)
        deadline = time.monotonic() + 60
        while stored(gateway.pk) == 0:
            if time.monotonic() > deadline or any(p.poll() is not None for p in processes):
                raise RuntimeError("the MQTT bridge did not start consuming")
            publisher.publish(f"{prefix}/{gateway.name}", json.dumps(probe), qos=1)
            time.sleep(0.5)
        time.sleep(2)  # the other bridges, started together, have subscribed too
        expected = stored(gateway.pk) + len(readings)
        app_before = [cpu_seconds(process.pid) for process in processes]
        db_before = backend_cpu()
        began = time.perf_counter()
        for message in messages:
            publisher.publish(f"{prefix}/{gateway.name}", message, qos=1)
        deadline = time.monotonic() + 600
        while stored(gateway.pk) < expected and time.monotonic() < deadline:
            time.sleep(0.05)
        seconds = time.perf_counter() - began
        app_cpu = sum(
            cpu_seconds(process.pid) - spent
            for process, spent in zip(processes, app_before, strict=True)
        )
        db_cpu = cpu_delta(db_before, backend_cpu())
        done = stored(gateway.pk) - (expected - len(readings))
    finally:
        publisher.loop_stop()
        publisher.disconnect()
        stop(*processes)
    return result("mqtt", done, seconds, app_cpu, db_cpu)


def copy_limit(batches: list[list[dict[str, Any]]]) -> dict:
    """The same rows through `psql \\copy` into a scratch copy of the history table."""
    from django.db import connection

    from hypervisor.models import TelemetryReading

    now = datetime.now(UTC).isoformat()
    rows = [
        "\t".join(
            ["0", r["message_id"], r["asset_type"], r["asset_id"], r["measured_at"], now,
             json.dumps(r["values"], separators=(",", ":"))]
        )
        for batch in batches
        for r in batch
    ]  # fmt: skip
    table = TelemetryReading._meta.db_table
    scratch = f"bench_copy_{time.time_ns()}"
    columns = 'gateway_id, message_id, asset_type, asset_id, measured_at, received_at, "values"'
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {scratch} (LIKE {table} INCLUDING ALL)")
    settings = connection.settings_dict
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as handle:
        handle.write("\n".join(rows) + "\n")
        tsv = handle.name
    psql = [
        "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1",
        "-h", settings["HOST"] or "127.0.0.1", "-p", str(settings["PORT"] or 5432),
        "-U", settings["USER"] or "postgres", "-d", settings["NAME"],
        "-c", f"\\copy {scratch} ({columns}) from '{tsv}'",
    ]  # fmt: skip
    env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
    began = time.perf_counter()
    subprocess.run(psql, check=True, env=env)
    seconds = time.perf_counter() - began
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {scratch}")  # noqa: S608 (scratch table name)
        copied = cursor.fetchone()[0]
        cursor.execute(f"DROP TABLE {scratch}")
    os.unlink(tsv)
    rate = copied / seconds
    print(f"   \\copy: {copied:,} rows in {seconds:.2f} s = {rate:,.0f} rows/s (the limit)")
    return {"path": "psql \\copy", "readings": copied, "seconds": round(seconds, 3),
            "rate": round(rate)}  # fmt: skip


def remember_sweep(sweep: list[dict], limit: dict) -> None:
    """The machine is shared and noisy: the plot shows the last few sweeps, not one."""
    from common import RESULTS

    if not sweep:
        return
    path = RESULTS / "ingestion_sweeps.json"
    history = json.loads(path.read_text()) if path.exists() else []
    history.append(
        {
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "load": load_average(),
            "copy": limit["rate"],
            "sweep": [[point["batch"], point["rate"]] for point in sweep],
        }
    )
    RESULTS.mkdir(exist_ok=True)
    path.write_text(json.dumps(history[-6:], indent=1) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readings", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=5_000, help="readings per HTTP batch")
    parser.add_argument("--workers", type=int, default=2, help="ingesting processes")
    parser.add_argument("--mqtt-message", type=int, default=100, help="readings per message")
    parser.add_argument("--sweep", default="100,500,1000,5000,10000", help="batch sizes")
    parser.add_argument("--sweep-readings", type=int, default=50_000)
    parser.add_argument("--paths", default="service,http,mqtt")
    parser.add_argument(
        "--sweep-only",
        action="store_true",
        help="only the HTTP batch-size sweep, added to the sweeps' history for the plot",
    )
    parser.add_argument("--seed", type=int, default=2154)
    args = parser.parse_args()
    paths = {"http"} if args.sweep_only else set(args.paths.split(","))

    setup_django()
    from django.db import connection

    from hypervisor.telemetry.services import gateway_create
    from lighting.models import LightPoint
    from ondijon.celery import app as celery_app

    header("Telemetry ingestion")
    references = list(LightPoint.objects.order_by("pk").values_list("reference", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        print(f"PostgreSQL {cursor.fetchone()[0]}; inventory: {len(references):,} light points")
    readings = Readings(references, args.seed)
    runs: list[dict] = []
    sweep: list[dict] = []

    # One reading per lamp first, untimed: lamps take their night state (lit, or failed).
    # A reading that changes a lamp's state publishes an event (live map, alarm rules);
    # the timed runs below are the steady state of a night, where few do.
    settle = service_path(
        [ndjson(b) for b in readings.batches(len(references), 5_000)], 1, label="settle"
    )
    main_batches = readings.batches(args.readings if not args.sweep_only else 0, args.batch)
    if "service" in paths:
        runs.append(service_path([ndjson(b) for b in main_batches], args.workers))

    if "http" in paths:
        name = f"bench-http-{time.time_ns()}"
        _gateway, token = gateway_create(name=name)
        ports = [free_port() for _ in range(args.workers)]
        servers = [serve(port) for port in ports]
        try:
            pids = [(port, server.pid) for port, server in zip(ports, servers, strict=True)]
            warm = [ndjson(b) for b in readings.batches(1000, 100)]
            http_path(warm, pids, token, name, label="warm-up")
            if main_batches:
                runs.append(http_path([ndjson(b) for b in main_batches], pids, token, name))
            for size in [int(size) for size in args.sweep.split(",")]:
                bodies = [ndjson(b) for b in readings.batches(args.sweep_readings, size)]
                label = f"{size:,}"
                sweep.append({"batch": size, **http_path(bodies, pids, token, name, label)})
        finally:
            stop(*servers)

    if "mqtt" in paths:
        batches = readings.batches(args.readings, args.batch)
        runs.append(mqtt_path(batches, args.mqtt_message, args.workers))

    limit = copy_limit(main_batches or readings.batches(args.sweep_readings, args.batch))
    remember_sweep(sweep, limit)
    if args.sweep_only:
        return
    best = max((run["rate"] for run in runs), default=0)
    print(
        f"best path / \\copy: {best / limit['rate']:.2f}; target 20,000 readings/s;"
        f" ThingsBoard's published ceiling: {THINGSBOARD_MSG_S:,} msg/s on 2 vCPU (not run here)"
    )
    # Lamp faults queued alarm-rule tasks on this benchmark's broker; no worker ran them.
    celery_app.control.purge()
    save(
        "ingestion",
        {
            "workers": args.workers,
            "batch": args.batch,
            "mqtt_message": args.mqtt_message,
            "settle": settle,
            "runs": runs,
            "limit": limit,
            "sweep": sweep,
            "thingsboard_msg_s": THINGSBOARD_MSG_S,
            "load_after": load_average(),
        },
    )


if __name__ == "__main__":
    main()
