"""GTFS-Realtime and GBFS feeds of the demo network, served by the feed simulator."""

from __future__ import annotations

from collections.abc import Callable


def routes() -> dict[str, Callable[[], tuple[bytes, str]]]:
    return {}
