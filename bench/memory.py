"""Resident memory of one web process with the full Dijon inventory, after warming everything.

A `manage.py serve` process (production settings, PostgreSQL and Redis from DATABASE_URL
and REDIS_URL, the Dijon demo inventory) is read from /proc before and after two passes
over every page an administrator can open (each URL without a parameter in the URL
configuration, the admin's lists included), every equipment layer by viewport at four
zooms, the open-data exports (the whole light layer as GeoJSON and CSV, OGC API pages),
the API schema and a control-room WebSocket snapshot:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ondijon_bench \\
    REDIS_URL=redis://127.0.0.1:6379/8 .venv/bin/python bench/memory.py

Target: RSS ≤ 300 MB. Production runs two such processes per container (uvicorn --workers 2).
"""

from __future__ import annotations

import http.client
import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    free_port,
    header,
    production_environment,
    rss_mb,
    save,
    serve,
    setup_django,
    staff_session,
    stop,
)

TERRITORY = (4.90, 47.22, 5.20, 47.39)
CITY = (5.02, 47.31, 5.05, 47.33)
SKIPPED = re.compile(r"(deconnexion|logout|password_change|autocomplete|jsi18n)")


def parameterless_paths() -> list[str]:
    """Every URL of the configuration that takes no parameter."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found: list[str] = []

    def walk(patterns: list[object], prefix: str) -> None:
        for pattern in patterns:
            route = str(pattern.pattern)  # type: ignore[attr-defined]
            if route.startswith("^"):
                route = route[1:].removesuffix("$").removesuffix(r"\Z")
            if re.search(r"[<(\[\\?*+]", route):
                continue
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + route)
            elif isinstance(pattern, URLPattern):
                found.append("/" + prefix + route)

    walk(get_resolver().url_patterns, "")
    return sorted({path for path in found if not SKIPPED.search(path)})


def admin_session() -> str:
    from django.contrib.auth import get_user_model

    key = staff_session(role="admin", username="bench-admin")
    get_user_model().objects.filter(username="bench-admin").update(is_staff=True, is_superuser=True)
    return key


def warm(port: int, session_key: str, paths: list[str]) -> dict[int, int]:
    """GET every path once; returns how many answered with each status."""
    from hypervisor.registry import registry

    layer_paths = [
        f"/controle/couches/{layer.name}/?bbox={','.join(map(str, box))}&zoom={zoom}"
        for layer in registry.asset_layers()
        for box, zoom in [(TERRITORY, 11), (TERRITORY, 13), (CITY, 15), (CITY, 17)]
    ]
    opendata = [
        "/api/v1/datasets/light-points/geojson/",
        "/api/v1/datasets/light-points/csv/",
        "/ogcapi/collections/light-points/items?limit=1000",
        f"/ogcapi/collections/light-points/items?bbox={','.join(map(str, CITY))}&limit=1000",
    ]
    statuses: dict[int, int] = {}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Cookie": f"sessionid={session_key}", "X-Forwarded-Proto": "https"}
    for path in [*paths, *layer_paths, *opendata]:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        statuses[response.status] = statuses.get(response.status, 0) + 1
    connection.close()
    from websockets.sync.client import connect

    with connect(
        f"ws://127.0.0.1:{port}/ws/control/",
        additional_headers={"Cookie": f"sessionid={session_key}"},
        origin=f"http://127.0.0.1:{port}",
    ) as socket:
        json.loads(socket.recv(timeout=30))
    return statuses


def peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    setup_django()
    from lighting.models import LightPoint

    session_key = admin_session()
    paths = parameterless_paths()
    port = free_port()
    server = serve(port, **production_environment())
    try:
        header("Web process memory with the full inventory")
        time.sleep(1)
        started = rss_mb(server.pid)
        passes = []
        for number in (1, 2):
            statuses = warm(port, session_key, paths)
            passes.append({"rss_mb": round(rss_mb(server.pid), 1), "statuses": statuses})
            print(
                f"after pass {number}: RSS {passes[-1]['rss_mb']:.0f} MB "
                f"({sum(statuses.values())} requests: "
                + ", ".join(f"{count}× {status}" for status, count in sorted(statuses.items()))
                + ")"
            )
        peak = peak_mb(server.pid)
    finally:
        stop(server)
    final = passes[-1]["rss_mb"]
    print(
        f"web process RSS: {started:.0f} MB after start, {final:.0f} MB after warming "
        f"{len(paths)} pages, every layer and the open-data exports twice "
        f"(peak {peak:.0f} MB); {LightPoint.objects.count():,} light points; "
        f"target ≤ 300 MB"
    )
    save(
        "memory",
        {
            "rss_start_mb": round(started, 1),
            "passes": passes,
            "rss_mb": final,
            "peak_mb": round(peak, 1),
            "pages": len(paths),
        },
    )


if __name__ == "__main__":
    main()
