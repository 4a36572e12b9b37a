"""The two plots of docs/benchmarks.md, drawn from the figures in bench/results/.

    .venv/bin/python bench/plots.py

- docs/img/latency-vs-screens.png: event → screens p50 and p99 against the number of
  screens, OnDijon beside the bare websockets floor (and OnDijon before the per-process
  fan-out when bench/results/ws_fanout_before.json exists);
- docs/img/ingestion-vs-batch.png: HTTP ingestion rate against batch size, with the
  `psql \\copy` limit, the 20,000 readings/s target and ThingsBoard's published ceiling.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib import ticker

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
IMAGES = ROOT / "docs" / "img"


def load(name: str) -> dict | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def latency_plot(after: dict, before: dict | None) -> Path:
    figure, axis = plt.subplots(figsize=(8, 5), dpi=110)
    screens = [r["screens"] for r in after["rounds"]]
    series = [
        ("OnDijon", after, "ondijon", "#1f6feb"),
        ("bare websockets (floor)", after, "bare", "#8b949e"),
    ]
    if before:
        series.insert(1, ("OnDijon before the per-process fan-out", before, "ondijon", "#d29922"))
    for label, data, key, colour in series:
        xs = [r["screens"] for r in data["rounds"]]
        axis.plot(xs, [r[key]["p50"] for r in data["rounds"]], "o-", color=colour,
                  label=f"{label}, p50")  # fmt: skip
        axis.plot(xs, [r[key]["p99"] for r in data["rounds"]], "s--", color=colour,
                  label=f"{label}, p99")  # fmt: skip
    axis.axhline(50, color="#cf222e", linewidth=1, linestyle=":", label="target: p99 ≤ 50 ms at 50")
    axis.set_xscale("log")
    axis.set_yscale("log")
    axis.yaxis.set_major_formatter(ticker.FuncFormatter(lambda value, _position: f"{value:g}"))
    axis.yaxis.set_minor_formatter(ticker.NullFormatter())
    axis.set_xticks(screens, [str(n) for n in screens])
    axis.set_xlabel("connected control-room screens")
    axis.set_ylabel("event → screen latency (ms, log scale)")
    axis.set_title(f"Event → control-room screens ({after['date']})")
    axis.grid(True, which="both", alpha=0.3)
    axis.legend(fontsize=8)
    figure.text(0.01, 0.01, after["machine"], fontsize=6, color="#57606a")
    figure.tight_layout(rect=(0, 0.03, 1, 1))
    path = IMAGES / "latency-vs-screens.png"
    figure.savefig(path)
    plt.close(figure)
    return path


def ingestion_plot(ingestion: dict) -> Path:
    figure, axis = plt.subplots(figsize=(8, 5), dpi=110)
    # The machine is shared and noisy: every recorded sweep is drawn, with its load.
    sweeps = load("ingestion_sweeps") or [
        {
            "date": ingestion["date"],
            "load": "",
            "sweep": [[point["batch"], point["rate"]] for point in ingestion["sweep"]],
        }
    ]
    shades = ["#0a3069", "#0969da", "#54aeff", "#80ccff", "#b6e3ff", "#ddf4ff"]
    for index, record in enumerate(reversed(sweeps)):
        batches, rates = zip(*record["sweep"], strict=True)
        label = f"HTTP API, {ingestion['workers']} server processes, {record['date'][11:]}"
        if record["load"]:
            label += f" (load {record['load'].split(' / ')[0]})"
        axis.plot(batches, rates, "o-", color=shades[index % len(shades)], label=label)
    batches = [point["batch"] for point in ingestion["sweep"]]
    axis.axhline(ingestion["limit"]["rate"], color="#2da44e", linestyle="--",
                 label="psql \\copy of the same rows (the limit)")  # fmt: skip
    axis.axhline(20_000, color="#cf222e", linestyle=":", label="target: 20,000 readings/s")
    axis.axhline(ingestion["thingsboard_msg_s"], color="#8b949e", linestyle="-.",
                 label="ThingsBoard's published ceiling, 2 vCPU (context, not run)")  # fmt: skip
    axis.set_xscale("log")
    axis.set_xticks(batches, [f"{b:,}" for b in batches])
    axis.yaxis.set_major_formatter(ticker.FuncFormatter(lambda value, _position: f"{value:,.0f}"))
    axis.set_xlabel("readings per batch (one POST)")
    axis.set_ylabel("readings stored per second")
    axis.set_title(f"Telemetry ingestion against batch size ({ingestion['date'][:10]})")
    axis.set_ylim(bottom=0)
    axis.grid(True, alpha=0.3)
    axis.legend(fontsize=7)
    figure.text(0.01, 0.01, ingestion["machine"], fontsize=6, color="#57606a")
    figure.tight_layout(rect=(0, 0.03, 1, 1))
    path = IMAGES / "ingestion-vs-batch.png"
    figure.savefig(path)
    plt.close(figure)
    return path


def main() -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    fanout, ingestion = load("ws_fanout"), load("ingestion")
    if fanout:
        print(f"plot: {latency_plot(fanout, load('ws_fanout_before')).relative_to(ROOT)}")
    if ingestion and ingestion.get("sweep"):
        print(f"plot: {ingestion_plot(ingestion).relative_to(ROOT)}")
    if not (fanout or ingestion):
        sys.exit("no figures in bench/results/: run the benchmarks first")


if __name__ == "__main__":
    main()
