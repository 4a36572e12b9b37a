"""TALQ log reports through /talq/ against readings through /api/v1/telemetry/, same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ondijon_bench \\
    REDIS_URL=redis://127.0.0.1:6379/15 .venv/bin/python bench/talq_ingestion.py

One `manage.py serve` process; a TALQ gateway declares `--lamps` of the demo inventory's
light points (matched by reference), then the same lamp states of one night are sent in
`--batch`-sized requests alternately by the two paths, `--rounds` times each after an
unmeasured warm-up round, two client
threads: NDJSON readings to /api/v1/telemetry/, and TALQ log reports (AttributeLogData of
LampActuator `actualLightState`, checked entry by entry against the published data model)
to /talq/log-reports. Rates are entries stored per second; the figure asked of TALQ is a
ratio ≥ 0.8 of the telemetry path's rate.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import sys
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import cpu_seconds, free_port, header, save, serve, setup_django, stop


def post_all(port: int, requests: list[tuple[str, bytes, dict[str, str]]]) -> list[str]:
    """Send every request with two client threads; returns the failures."""
    queue = list(requests)
    lock = threading.Lock()
    failures: list[str] = []

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while True:
            with lock:
                if not queue:
                    break
                url, body, headers = queue.pop()
            connection.request("POST", url, body=body, headers=headers)
            response = connection.getresponse()
            answer = response.read()
            if response.status not in (200, 201):
                failures.append(f"{response.status} {answer[:200]!r}")
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lamps", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    header("TALQ log reports against the telemetry HTTP path")
    setup_django()
    from hypervisor.models import TelemetryReceipt
    from hypervisor.telemetry.services import gateway_create
    from lighting.models import LightPoint
    from lighting.talq.services import talq_devices_declare, talq_gateway_register

    references = list(LightPoint.objects.values_list("reference", flat=True)[: args.lamps])
    stamp = time.time_ns()
    talq, secret = talq_gateway_register(name=f"bench-talq-{stamp}")
    devices = [
        {"address": str(uuid.uuid4()), "name": reference, "class": "LuminaireController",
         "functions": [{"id": "actuator", "type": "LampActuatorFunction"}]}
        for reference in references
    ]  # fmt: skip
    talq_devices_declare(gateway=talq, devices=devices)
    plain, token = gateway_create(name=f"bench-telemetry-{stamp}")
    night = (datetime.now(UTC) - timedelta(days=1)).replace(hour=21, minute=0, second=0)
    basic = base64.b64encode(f"{talq.address}:{secret}".encode()).decode()
    talq_headers = {"Authorization": f"Basic {basic}", "Content-Type": "application/json",
                    "talq-api-version": "2.7.1"}  # fmt: skip
    plain_headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/x-ndjson"}
    made = 0

    def batch() -> tuple[bytes, bytes]:
        nonlocal made
        readings, entries = [], []
        for n in range(made, made + args.batch):
            device = devices[n % len(devices)]
            at = (night + timedelta(seconds=n // len(devices))).isoformat()
            level = 100 if n % 7 else 50
            readings.append(
                {"message_id": f"{stamp}-{n}", "asset_type": "lamp", "asset_id": device["name"],
                 "measured_at": at, "values": {"lit": True, "level": level}}
            )  # fmt: skip
            entries.append(
                {"data": {"type": "AttributeLogData", "srcAddress": f"{device['address']}/actuator",
                          "timestamp": at, "attributeName": "actualLightState",
                          "attributeValue": {"type": "AttributeLevelState",
                                             "value": {"name": "LevelState", "value": level}}}}
            )  # fmt: skip
        made += args.batch
        ndjson = "\n".join(json.dumps(r, separators=(",", ":")) for r in readings).encode()
        report = json.dumps({"address": "ondijon-hourly-energy", "entries": entries}).encode()
        return ndjson, report

    port = free_port()
    server = serve(port, ONDIJON_TALQ_GATEWAY_RATE="1000000/min")
    totals = {"telemetry": [0, 0.0, 0.0], "talq": [0, 0.0, 0.0]}
    try:
        for round_number in range(args.rounds + 1):
            ndjson, report = zip(*(batch() for _ in range(4)), strict=True)
            query = f"clientAddress={talq.address}&talqRequestId={uuid.uuid4()}"
            for path, requests, gateway in (
                ("telemetry", [("/api/v1/telemetry/", b, plain_headers) for b in ndjson], plain),
                ("talq", [(f"/talq/log-reports?{query}", b, talq_headers) for b in report],
                 talq.credential),
            ):  # fmt: skip
                before = TelemetryReceipt.objects.filter(gateway=gateway).count()
                cpu = cpu_seconds(server.pid)
                began = time.perf_counter()
                failures = post_all(port, requests)
                seconds = time.perf_counter() - began
                if failures:
                    print(f"    {path}: {len(failures)} failed, first: {failures[0]}")
                if round_number == 0:
                    continue  # warm-up: first requests load code and compile the schemas
                totals[path][0] += TelemetryReceipt.objects.filter(gateway=gateway).count() - before
                totals[path][1] += seconds
                totals[path][2] += cpu_seconds(server.pid) - cpu
    finally:
        stop(server)
    runs = {}
    for path, (count, seconds, cpu) in totals.items():
        rate = count / seconds if seconds else 0.0
        runs[path] = {"entries": count, "seconds": round(seconds, 2), "rate": round(rate),
                      "server_cpu_ms_per_entry": round(cpu * 1000 / max(count, 1), 4)}  # fmt: skip
        print(f"{path:>9}: {count:,} entries in {seconds:.2f} s = {rate:,.0f}/s, "
              f"{runs[path]['server_cpu_ms_per_entry']:.3f} server CPU-ms per entry")  # fmt: skip
    ratio = runs["talq"]["rate"] / runs["telemetry"]["rate"] if runs["telemetry"]["rate"] else 0
    print(f"ratio TALQ / telemetry: {ratio:.2f} (asked: ≥ 0.8)")
    save("talq_ingestion", {"batch": args.batch, "lamps": len(devices), "runs": runs,
                            "ratio": round(ratio, 2)})  # fmt: skip


if __name__ == "__main__":
    main()
