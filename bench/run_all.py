"""`make bench`: every benchmark in sequence on the real stack, then the plots and a summary.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ondijon_bench \\
    REDIS_URL=redis://127.0.0.1:6379/15 .venv/bin/python bench/run_all.py [name ...]

Each benchmark starts what it needs (the ASGI server, a Celery worker, the MQTT bridge,
pygeoapi), prints its figures, the machine with its load average and its exact command,
and keeps its figures in bench/results/. Defaults are bounded: the whole run takes about
ten to twenty minutes on two cores. A benchmark that fails is reported and the others
still run. Benchmarks are not tests: nothing here asserts a time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import RESULTS, ROOT, ensure_database, machine, require_stack

BENCHMARKS = {
    "ingestion": ["bench/ingestion.py"],
    "ws_fanout": ["bench/ws_fanout.py"],
    "report_to_tablet": ["bench/report_to_tablet.py"],
    "opendata": ["bench/opendata.py", "--runs", "10", "--pages", "200"],
    "opendata_vs_pygeoapi": ["bench/opendata_vs_pygeoapi.py"],
    "control_room_paint": ["bench/control_room_paint.py"],
    "memory": ["bench/memory.py"],
    "rsmp_supervisor": ["bench/rsmp_supervisor.py"],
    # A gazetteer of its own (70,000 synthetic addresses): another database beside this one.
    "place_search": ["bench/place_search.py", "--addresses", "70000"],
}
OWN_DATABASE = {"place_search": "_places"}


def figures(name: str) -> dict:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else {}


def summary() -> list[str]:
    """One line per target, from the figures this run kept."""
    lines = []
    ingestion = figures("ingestion")
    if ingestion:
        runs = {run["path"]: run for run in ingestion["runs"]}
        limit = ingestion["limit"]["rate"]
        for path, run in runs.items():
            database = run["db_cpu_ms_per_reading"]
            cpu = f"{run['app_cpu_ms_per_reading']:.3f}" + (
                f" + {database:.3f} (PostgreSQL)" if database is not None else ""
            )
            lines.append(
                f"ingestion, {path}: {run['rate']:,} readings/s (target ≥ 20,000), "
                f"{cpu} CPU-ms per reading; \\copy {limit:,} rows/s, "
                f"ratio {run['rate'] / limit:.2f}"
            )
    fanout = figures("ws_fanout")
    for round_ in fanout.get("rounds", []):
        ours, bare = round_["ondijon"], round_["bare"]
        lines.append(
            f"event → {round_['screens']} screens: p99 {ours['p99']} ms (target ≤ 50 at 50), "
            f"delivered {ours['delivered']}/{ours['expected']}; bare websockets p99 "
            f"{bare['p99']} ms"
        )
    report = figures("report_to_tablet")
    if report:
        lines.append(
            f"report → tablet: p95 {report['report_to_tablet_ms']['p95']} ms (target ≤ 1,000); "
            f"Redis PUBLISH round trip p95 {report['redis_publish_ms']['p95']} ms"
        )
    pygeoapi = figures("opendata_vs_pygeoapi")
    for scenario in pygeoapi.get("scenarios", []):
        lines.append(
            f"open data, {scenario['scenario']}: OnDijon {scenario['ondijon']['rps']} req/s, "
            f"pygeoapi {scenario['pygeoapi']['rps']} req/s, {scenario['ratio']}× (target ≥ 3×)"
        )
    paint = figures("control_room_paint")
    if paint:
        median = paint["median"]
        lines.append(
            f"control room painted: {median['painted']:.0f} ms median (target ≤ 1,500), "
            f"JS heap {median['heap_mb']:.1f} MB"
        )
    memory = figures("memory")
    if memory:
        lines.append(f"web process RSS: {memory['rss_mb']:.0f} MB (target ≤ 300)")
    return lines


def main() -> None:
    require_stack()
    chosen = sys.argv[1:] or list(BENCHMARKS)
    unknown = set(chosen) - set(BENCHMARKS)
    if unknown:
        known = ", ".join(BENCHMARKS)
        sys.exit(f"unknown benchmark(s): {', '.join(sorted(unknown))}; known: {known}")
    failed = []
    began = time.monotonic()
    for name in chosen:
        print(f"\n### {name} — {machine()}", flush=True)
        started = time.monotonic()
        env = dict(os.environ)
        if name in OWN_DATABASE:
            env["DATABASE_URL"] += OWN_DATABASE[name]
            ensure_database(env["DATABASE_URL"])
        command = [sys.executable, *BENCHMARKS[name]]
        code = subprocess.run(command, cwd=ROOT, env=env, check=False).returncode
        print(f"### {name}: {'done' if code == 0 else f'FAILED ({code})'} "
              f"in {time.monotonic() - started:.0f} s", flush=True)  # fmt: skip
        if code != 0:
            failed.append(name)
    subprocess.run([sys.executable, "bench/plots.py"], cwd=ROOT, check=False)
    print(f"\n### summary ({time.monotonic() - began:.0f} s) — {machine()}")
    for line in summary():
        print(f"  {line}")
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
