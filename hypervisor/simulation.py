"""Runs the simulators that apps register, in accelerated or real time."""

from __future__ import annotations

import asyncio
import logging
import random
from datetime import timedelta

from asgiref.sync import sync_to_async
from django.db import close_old_connections
from django.utils import timezone

from hypervisor.registry import registry

logger = logging.getLogger(__name__)


def run_tick(*, elapsed: float, rng: random.Random) -> None:
    """Advance every simulator by `elapsed` simulated seconds; one failing stays isolated."""
    close_old_connections()
    now = timezone.now()
    for name, tick in registry.simulators().items():
        try:
            tick(now=now, elapsed=elapsed, rng=rng)
        except Exception:
            logger.exception("Simulator %s failed; it will run again next tick", name)


async def run(
    *,
    speed: float,
    tick_seconds: float = 1.0,
    duration: timedelta | None = None,
    seed: int | None = None,
) -> int:
    """Tick until cancelled (or for `duration` of wall time); returns the number of ticks."""
    rng = random.Random(seed)
    loop = asyncio.get_running_loop()
    started = last = loop.time()
    ticks = 0
    logger.info("Simulator running at ×%s with %s", speed, ", ".join(registry.simulators()))
    while duration is None or loop.time() - started < duration.total_seconds():
        await asyncio.sleep(tick_seconds)
        current = loop.time()
        elapsed, last = (current - last) * speed, current
        await sync_to_async(run_tick, thread_sensitive=True)(elapsed=elapsed, rng=rng)
        ticks += 1
    return ticks
