"""Telemetry ingestion throughput on PostgreSQL, beside `psql \\copy` of the same rows.

Run from the project directory against a PostgreSQL database of its own (it is migrated,
given the territory and the demo inventory if empty, and its telemetry tables grow):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ondijon_bench \\
        .venv/bin/python bench/ingestion.py --readings 200000 --batch 5000

Each batch is NDJSON bytes parsed and ingested by the same service as
POST /api/v1/telemetry/ (validation, idempotency receipts, lamp state, history); lamp
readings mirror a night: most lamps unchanged, a few failing. Then the same rows go
through `psql \\copy` into a scratch copy of the history table, and both rates are printed.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import random
import shlex
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ondijon.settings")


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


def _ingest(job: tuple[int, list[bytes]]) -> tuple[int, int]:
    from django.db import connection

    from hypervisor.models import Gateway
    from hypervisor.telemetry.services import batch_parse, telemetry_ingest

    connection.close()
    gateway = Gateway.objects.get(pk=job[0])
    accepted = refused = 0
    for body in job[1]:
        result = telemetry_ingest(gateway=gateway, items=batch_parse(body))
        accepted += result.accepted
        refused += len(result.refused)
    return accepted, refused


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readings", type=int, default=200_000)
    parser.add_argument("--batch", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=2154)
    parser.add_argument(
        "--workers", type=int, default=1, help="ingesting processes, like web workers in production"
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL=postgres://…")
    from hypervisor.models import TelemetryReading
    from hypervisor.telemetry.services import gateway_create
    from lighting.models import LightPoint

    call_command("migrate", verbosity=0)
    if not LightPoint.objects.exists():
        call_command("load_territory", "--if-empty", verbosity=0)
        call_command("seed_demo", "--if-empty", verbosity=0)
    references = list(LightPoint.objects.order_by("pk").values_list("reference", flat=True))
    # A few lamps are dark all night (failed); the others report lit at full power.
    failing = set(random.Random(args.seed).sample(references, len(references) // 500))
    gateway, _token = gateway_create(name=f"bench-{time.time_ns()}")
    start = datetime(2026, 1, 15, 21, 0, tzinfo=UTC)
    run = time.time_ns()

    batches: list[bytes] = []
    rows: list[str] = []
    for first in range(0, args.readings, args.batch):
        lines = []
        for n in range(first, min(first + args.batch, args.readings)):
            asset_id = references[n % len(references)]
            lit = asset_id not in failing
            reading = {
                "message_id": f"{run}-{n}",
                "asset_type": "lamp",
                "asset_id": asset_id,
                "measured_at": (start + timedelta(seconds=n // 1000)).isoformat(),
                "values": {"lit": lit, "level": 100 if lit else 0},
            }
            lines.append(json.dumps(reading, separators=(",", ":")))
            rows.append(
                "\t".join(
                    [str(gateway.pk), reading["message_id"], "lamp", reading["asset_id"],
                     reading["measured_at"], start.isoformat(),
                     json.dumps(reading["values"], separators=(",", ":"))]
                )
            )  # fmt: skip
        batches.append("\n".join(lines).encode())

    connection.close()  # each worker process opens its own connection
    began = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(args.workers) as pool:
        results = pool.map(
            _ingest, [(gateway.pk, batches[k :: args.workers]) for k in range(args.workers)]
        )
    ingest_seconds = time.perf_counter() - began
    accepted = sum(result[0] for result in results)
    refused = sum(result[1] for result in results)

    table = TelemetryReading._meta.db_table
    scratch = f"bench_copy_{run}"
    columns = 'gateway_id, message_id, asset_type, asset_id, measured_at, received_at, "values"'
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {scratch} (LIKE {table} INCLUDING ALL)")
    connection.commit() if not connection.get_autocommit() else None
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
    copy_seconds = time.perf_counter() - began
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {scratch}")  # noqa: S608 (scratch table name)
        copied = cursor.fetchone()[0]
        cursor.execute(f"DROP TABLE {scratch}")
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    os.unlink(tsv)

    ingest_rate = accepted / ingest_seconds
    copy_rate = copied / copy_seconds
    print(f"machine: {machine()}, PostgreSQL {server}")
    print(f"command: {' '.join(shlex.quote(part) for part in sys.argv)}")
    print(f"inventory: {len(references)} light points")
    print(
        f"ingestion: {accepted} readings accepted ({refused} refused) in {ingest_seconds:.2f} s"
        f" = {ingest_rate:,.0f} readings/s (batches of {args.batch}, {args.workers} worker(s);"
        " NDJSON parsed, receipts, lamp state, history)"
    )
    print(f"psql \\copy: {copied} rows in {copy_seconds:.2f} s = {copy_rate:,.0f} rows/s")
    print(f"ratio ingestion / \\copy: {ingest_rate / copy_rate:.2f}")


if __name__ == "__main__":
    main()
