"""How long the control room takes to paint with the full inventory, in headless Chromium.

Run against a server holding the Dijon demo (35,000 light points), e.g. after `make run`:

    .venv/bin/python bench/control_room_paint.py --url http://127.0.0.1:8000 --runs 7

Prints, per run: DOM ready, the moment the last equipment layer (read by viewport) was
received, the wall time until the page is live with its panels filled and the network idle
(Playwright waits 500 ms of silence for that), and the JS heap. Map tiles are not fetched
(no internet here); the measure is about the product's own data.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time

from playwright.sync_api import sync_playwright

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
READY = (
    "document.querySelector('#live-status').dataset.state === 'live'"
    " && document.querySelectorAll('#alarm-list li, #incident-list li').length > 0"
)
LAYERS_RECEIVED = (
    "Math.max(0, ...performance.getEntriesByType('resource')"
    ".filter(e => e.name.includes('/controle/couches/')).map(e => e.responseEnd))"
)


def machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = os.getloadavg()[0]
    return f"{os.cpu_count()} cores, {memory:.0f} GiB, {platform.platform()}, load {load:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--user", default="operateur")
    parser.add_argument(
        "--password", default=os.environ.get("ONDIJON_DEMO_PASSWORD", "ondijon-demo")
    )
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    print("command:", " ".join([sys.executable, *sys.argv]))
    print("machine:", machine())
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=FLAGS)
        page = browser.new_context(
            viewport={"width": 1920, "height": 1080}, locale="fr-FR"
        ).new_page()
        page.route("**/tile.openstreetmap.org/**", lambda route: route.abort())
        page.goto(f"{args.url}/connexion/")
        page.fill("input[name=username]", args.user)
        page.fill("input[name=password]", args.password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{args.url}/**")
        for _run in range(args.runs):
            started = time.perf_counter()
            page.goto(f"{args.url}/controle/")
            page.wait_for_function(READY, timeout=30_000)
            page.wait_for_load_state("networkidle")
            wall = (time.perf_counter() - started) * 1000
            dom_ready = page.evaluate(
                "performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"
            )
            layers = page.evaluate(LAYERS_RECEIVED)
            heap = page.evaluate(
                "performance.memory ? performance.memory.usedJSHeapSize / 2**20 : 0"
            )
            rows.append((dom_ready, layers, wall, heap))
            print(
                f"run: DOM ready {dom_ready:.0f} ms, layers received {layers:.0f} ms, "
                f"live and idle {wall:.0f} ms, JS heap {heap:.1f} MB"
            )
        browser.close()
    median = [statistics.median(column) for column in zip(*rows, strict=True)]
    print(
        f"median of {len(rows)}: DOM ready {median[0]:.0f} ms, layers received {median[1]:.0f} ms, "
        f"live and idle {median[2]:.0f} ms (includes 500 ms of network silence), "
        f"JS heap {median[3]:.1f} MB"
    )


if __name__ == "__main__":
    main()
