"""How long the control room takes to paint with the full inventory, in headless Chromium.

By default the script serves the product itself (`manage.py serve`, production settings,
PostgreSQL and Redis from DATABASE_URL and REDIS_URL, the Dijon demo inventory of 35,022
light points, 1,201 cabinets, 180 crossroads, 115 cameras, 60 bollards, crews and
incidents) and logs in as an operator:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ondijon_bench \\
    REDIS_URL=redis://127.0.0.1:6379/8 .venv/bin/python bench/control_room_paint.py

With --url it measures a server already running (e.g. `make run`, demo login).

"Painted", per run, from the start of navigation: every equipment layer read by viewport
has been drawn on the map (a performance mark after each draw), the live snapshot has been
applied (alarms, incidents and crews panels filled), and the browser has rendered the
frame after the last of these (two animation frames later). Also printed: DOM ready, the
last layer's response, the last network response ("idle", without Playwright's 500 ms of
silence), and the JS heap once painted. Map tiles are not fetched (no internet here).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    cpu_seconds,
    descendants,
    free_port,
    header,
    production_environment,
    save,
    serve,
    setup_django,
    stop,
)
from common import staff_session as operator_session

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-precise-memory-info",
]
# The equipment layers shown when the page opens (some start hidden on an operator's map).
TILED = (
    "JSON.parse(document.getElementById('layers-data').textContent)"
    ".filter(d => d.tiled && d.visible !== false)"
)
PAINTED = f"""() => {{
    const marks = new Set(performance.getEntriesByType('mark').map(m => m.name));
    return marks.has('ondijon:snapshot')
        && {TILED}.every(d => marks.has('ondijon:layer:' + d.name));
}}"""
# Two animation frames after the last mark: Leaflet's canvas redraws on the next frame.
MEASURE = """async () => {
    await new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const painted = performance.now();
    const navigation = performance.getEntriesByType('navigation')[0];
    const resources = performance.getEntriesByType('resource');
    const layerEnds = resources.filter(e => e.name.includes('/controle/couches/'))
        .map(e => e.responseEnd);
    return {
        painted,
        dom_ready: navigation.domContentLoadedEventEnd,
        layers_received: Math.max(0, ...layerEnds),
        layers: layerEnds.length,
        heap_mb: performance.memory ? performance.memory.usedJSHeapSize / 2 ** 20 : 0,
    };
}"""
IDLE = """() => Math.max(
    performance.getEntriesByType('navigation')[0].responseEnd,
    ...performance.getEntriesByType('resource').map(e => e.responseEnd))"""
PANELS = "document.querySelectorAll('#alarm-list li, #incident-list li, #crew-list li').length"


def browser_cpu() -> dict[int, float]:
    """CPU seconds so far of each Chromium process (browser, renderers, GPU, network)."""
    found = {}
    for pid in descendants(os.getpid()):
        try:
            if Path(f"/proc/{pid}/comm").read_text().strip() in {"node", "python", "python3"}:
                continue  # Playwright's driver
            found[pid] = cpu_seconds(pid)
        except OSError:
            continue
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running server (logs in with --user/--password)")
    parser.add_argument("--user", default="operateur")
    parser.add_argument(
        "--password", default=os.environ.get("ONDIJON_DEMO_PASSWORD", "ondijon-demo")
    )
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    server = None
    session_key = None
    if args.url is None:
        setup_django()
        session_key = operator_session()
        port = free_port()
        server = serve(port, **production_environment())
        args.url = f"http://127.0.0.1:{port}"
    rows = []
    try:
        header("Control room with the full inventory, headless Chromium")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium, args=FLAGS)
            context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="fr-FR")
            page = context.new_page()
            page.route("**/tile.openstreetmap.org/**", lambda route: route.abort())
            if session_key:
                context.add_cookies([{"name": "sessionid", "value": session_key, "url": args.url}])
            else:
                page.goto(f"{args.url}/connexion/")
                page.fill("input[name=username]", args.user)
                page.fill("input[name=password]", args.password)
                page.click("button[type=submit]")
                page.wait_for_url(f"{args.url}/**")
            for run in range(args.runs + 1):
                page.goto("about:blank")
                browser_before = browser_cpu()
                server_cpu = cpu_seconds(server.pid) if server else 0.0
                page.goto(f"{args.url}/controle/")
                page.wait_for_function(PAINTED, timeout=30_000)
                figures = page.evaluate(MEASURE)
                browser_after = browser_cpu()
                figures["browser_cpu_ms"] = 1000 * sum(
                    spent - browser_before.get(pid, 0.0) for pid, spent in browser_after.items()
                )
                if server:
                    figures["server_cpu_ms"] = (cpu_seconds(server.pid) - server_cpu) * 1000
                figures["panel_items"] = page.evaluate(PANELS)
                page.wait_for_load_state("networkidle")
                figures["idle"] = page.evaluate(IDLE)
                if run == 0:
                    continue  # the first load fills the server's and the browser's caches
                rows.append(figures)
                print(
                    f"run: DOM ready {figures['dom_ready']:.0f} ms, layers received "
                    f"{figures['layers_received']:.0f} ms ({figures['layers']} layers), "
                    f"painted {figures['painted']:.0f} ms ({figures['panel_items']} panel "
                    f"items), idle {figures['idle']:.0f} ms, JS heap {figures['heap_mb']:.1f} MB; "
                    f"CPU until painted: browser {figures['browser_cpu_ms']:.0f} ms, server "
                    f"{figures.get('server_cpu_ms', float('nan')):.0f} ms; "
                    f"load {os.getloadavg()[0]:.1f}"
                )
            browser.close()
    finally:
        stop(server)
    median = {key: statistics.median(row[key] for row in rows) for key in rows[0]}
    print(
        f"median of {len(rows)}: DOM ready {median['dom_ready']:.0f} ms, layers received "
        f"{median['layers_received']:.0f} ms, painted {median['painted']:.0f} ms "
        f"(target ≤ 1,500 ms), idle {median['idle']:.0f} ms, JS heap {median['heap_mb']:.1f} MB; "
        f"CPU until painted: browser {median['browser_cpu_ms']:.0f} ms, "
        f"server {median.get('server_cpu_ms', float('nan')):.0f} ms"
    )
    save("control_room_paint", {"runs": rows, "median": median, "url": args.url})


if __name__ == "__main__":
    main()
