"""Open data: OnDijon's OGC API Features beside pygeoapi serving the same light points.

pygeoapi (the OGC reference implementation in Python) is installed from PyPI into a
virtual environment of its own, bench/.venv-pygeoapi (never committed), with gunicorn.
The light points are exported from OnDijon's own GeoJSON dataset into bench/.pygeoapi/
(ignored by git) with a generated pygeoapi configuration (its GeoJSON provider) and
OpenAPI document. Both servers run as one process on the loopback: `manage.py serve`
(production settings, open-data throttling lifted for the run) and `gunicorn
pygeoapi.flask_app:APP` with one worker. The same requests go to both, from
`--clients` threads with keep-alive connections, bounded in count and time:

- bbox pages: street-level boxes (about 600 m × 400 m) at random in the territory,
  `…/collections/light-points/items?bbox=…&limit=1000`;
- the full collection in one response: OnDijon's `/api/v1/datasets/light-points/geojson/`
  and pygeoapi's `…/items?limit=40000`, and a first page of 10,000 from both OGC APIs.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ondijon_bench \\
    REDIS_URL=redis://127.0.0.1:6379/8 .venv/bin/python bench/opendata_vs_pygeoapi.py

Target: OnDijon ≥ 3× pygeoapi's requests/s.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    ROOT,
    free_port,
    header,
    percentile,
    production_environment,
    save,
    serve,
    setup_django,
    stop,
    wait_for_port,
)

VENV = ROOT / "bench" / ".venv-pygeoapi"
WORK = ROOT / "bench" / ".pygeoapi"
TERRITORY = (4.90, 47.22, 5.20, 47.39)
COLLECTION = "light-points"


def install_pygeoapi() -> str:
    python = VENV / "bin" / "python"
    if not (VENV / "bin" / "gunicorn").exists():
        print(f"installing pygeoapi and gunicorn into {VENV.relative_to(ROOT)} (from PyPI)")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "pygeoapi", "gunicorn"], check=True
        )
    version = subprocess.run(
        [str(python), "-c", "import pygeoapi; print(pygeoapi.__version__)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return version


def export(port: int) -> tuple[Path, int]:
    """The light points exactly as OnDijon publishes them, written for pygeoapi to serve."""
    WORK.mkdir(parents=True, exist_ok=True)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request("GET", "/api/v1/datasets/light-points/geojson/")
    response = connection.getresponse()
    body = response.read()
    assert response.status == 200, response.status
    collection = json.loads(body)
    for feature in collection["features"]:
        feature["properties"].setdefault("id", feature.get("id"))
    path = WORK / "light-points.geojson"
    path.write_text(json.dumps(collection))
    return path, len(collection["features"])


def configure(port: int, data: Path) -> dict[str, str]:
    config = f"""
server:
  bind: {{host: 127.0.0.1, port: {port}}}
  url: http://127.0.0.1:{port}
  mimetype: application/json; charset=UTF-8
  encoding: utf-8
  languages: [fr-FR]
  limits: {{default_items: 10, max_items: 40000}}
  map: {{url: "https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png", attribution: OSM}}
logging: {{level: ERROR}}
metadata:
  identification:
    title: OnDijon benchmark
    description: The light points of the Dijon demo, as OnDijon publishes them
    keywords: [lighting]
    keywords_type: theme
    terms_of_service: https://www.etalab.gouv.fr/licence-ouverte-open-licence
    url: http://127.0.0.1:{port}
  license: {{name: Licence Ouverte 2.0, url: https://www.etalab.gouv.fr/licence-ouverte-open-licence}}
  provider: {{name: OnDijon, url: http://127.0.0.1:{port}}}
  contact: {{name: Benchmark, email: bench@example.org, url: http://127.0.0.1:{port}}}
resources:
  {COLLECTION}:
    type: collection
    title: Light points
    description: Street lights of Dijon Métropole (demo inventory)
    keywords: [lighting]
    links: []
    extents:
      spatial:
        bbox: [{", ".join(map(str, TERRITORY))}]
        crs: http://www.opengis.net/def/crs/OGC/1.3/CRS84
    providers:
      - type: feature
        name: GeoJSON
        data: {data}
        id_field: id
"""
    config_path, openapi_path = WORK / "pygeoapi-config.yml", WORK / "pygeoapi-openapi.yml"
    config_path.write_text(config)
    env = {"PYGEOAPI_CONFIG": str(config_path), "PYGEOAPI_OPENAPI": str(openapi_path)}
    with openapi_path.open("w") as output:
        subprocess.run(
            [str(VENV / "bin" / "pygeoapi"), "openapi", "generate", str(config_path)],
            stdout=output,
            check=True,
            env={"PATH": str(VENV / "bin"), **env},
        )
    return env


def serve_pygeoapi(port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [str(VENV / "bin" / "gunicorn"), "pygeoapi.flask_app:APP", "--workers", "1",
         "--bind", f"127.0.0.1:{port}", "--timeout", "300", "--log-level", "warning"],
        cwd=WORK, env={"PATH": str(VENV / "bin"), **env}, start_new_session=True,
    )  # fmt: skip
    wait_for_port(port, process)
    return process


def load(port: int, paths: list[str], clients: int, limit_s: float) -> dict[str, float]:
    """Requests/s and latency for these paths, spread over `clients` keep-alive threads."""
    queue = list(reversed(paths))
    lock = threading.Lock()
    latencies: list[float] = []
    failures: list[str] = []
    deadline = time.monotonic() + limit_s

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        while time.monotonic() < deadline:
            with lock:
                if not queue:
                    break
                path = queue.pop()
            began = time.perf_counter()
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            latencies.append((time.perf_counter() - began) * 1000)
            if response.status != 200:
                failures.append(f"{response.status} {path}")
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began
    if failures:
        print(f"    {len(failures)} failed, first: {failures[0]}")
    return {
        "requests": len(latencies),
        "seconds": round(seconds, 2),
        "rps": round(len(latencies) / seconds, 2),
        "p50_ms": round(percentile(latencies, 0.5), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300, help="bbox page requests")
    parser.add_argument("--full", type=int, default=20, help="full-collection requests")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=120, help="time cap per scenario")
    parser.add_argument("--seed", type=int, default=2154)
    args = parser.parse_args()

    version = install_pygeoapi()
    setup_django()
    ours_port, theirs_port = free_port(), free_port()
    ours = serve(
        ours_port,
        **production_environment(),
        ONDIJON_OPENDATA_RATE_ANONYMOUS="100000000/min",
    )
    theirs = None
    try:
        data, count = export(ours_port)
        theirs = serve_pygeoapi(theirs_port, configure(theirs_port, data))
        header(f"Open data: OnDijon beside pygeoapi {version} (GeoJSON provider)")
        print(f"{count:,} light points, {data.stat().st_size / 1e6:.1f} MB of GeoJSON")
        rng = random.Random(args.seed)
        boxes = []
        for _ in range(args.pages):
            lon = rng.uniform(TERRITORY[0], TERRITORY[2] - 0.008)
            lat = rng.uniform(TERRITORY[1], TERRITORY[3] - 0.0036)
            boxes.append(f"{lon:.5f},{lat:.5f},{lon + 0.008:.5f},{lat + 0.0036:.5f}")
        items = f"collections/{COLLECTION}/items"
        scenarios = {
            "bbox page (limit 1000)": (
                [f"/ogcapi/{items}?bbox={box}&limit=1000" for box in boxes],
                [f"/{items}?bbox={box}&limit=1000&f=json" for box in boxes],
            ),
            "first 10,000 items": (
                [f"/ogcapi/{items}?limit=10000"] * args.full,
                [f"/{items}?limit=10000&f=json"] * args.full,
            ),
            "full collection": (
                ["/api/v1/datasets/light-points/geojson/"] * args.full,
                [f"/{items}?limit=40000&f=json"] * args.full,
            ),
        }
        results = []
        for name, (our_paths, their_paths) in scenarios.items():
            load(ours_port, our_paths[:4], 1, args.seconds)  # warm-up
            load(theirs_port, their_paths[:1], 1, args.seconds)
            a = load(ours_port, our_paths, args.clients, args.seconds)
            b = load(theirs_port, their_paths, args.clients, args.seconds)
            ratio = a["rps"] / b["rps"] if b["rps"] else float("inf")
            results.append(
                {"scenario": name, "ondijon": a, "pygeoapi": b, "ratio": round(ratio, 1)}
            )
            print(
                f"{name:>24}: OnDijon {a['rps']:8.1f} req/s (p50 {a['p50_ms']:.0f} ms, p95 "
                f"{a['p95_ms']:.0f} ms) | pygeoapi {b['rps']:7.2f} req/s (p50 {b['p50_ms']:.0f} "
                f"ms, p95 {b['p95_ms']:.0f} ms) | {ratio:.1f}× (target ≥ 3×)"
            )
            sys.stdout.flush()
    finally:
        stop(ours, theirs)
    save(
        "opendata_vs_pygeoapi",
        {"pygeoapi": version, "clients": args.clients, "points": count, "scenarios": results},
    )


if __name__ == "__main__":
    main()
