"""A map layer and an event used only by the benchmarks: each delta carries its send time."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from hypervisor.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class BenchEvent(DomainEvent):
    kind = "bench.tick"
    asset_type = "bench"


class BenchLayer:
    name = "bench"
    label = "Benchmark"
    event_kinds = frozenset({BenchEvent.kind})

    def snapshot(self) -> list[dict[str, Any]]:
        return []

    def feature(self, asset_id: str) -> dict[str, Any]:
        # Stamped when the delta is built, just before the channel layer: the measure runs
        # from the committed event to the screens.
        return {"id": asset_id, "lat": 47.32, "lon": 5.04, "sent": time.time()}
