"""Polling inside the web process in the embedded mode.

There the screens' live feed does not cross processes (no Redis): a separate poller's
updates would reach them only when they reconnect. So the embedded mode polls from the
simulator loop of the web process; deployments run `mobility_poll` or the beat task.
"""

from __future__ import annotations

import logging
import random
from datetime import datetime, timedelta

from mobility.services.polling import feeds_poll_due

logger = logging.getLogger(__name__)
# The loop ticks every second; staleness is counted in minutes.
STALENESS_EVERY = timedelta(seconds=30)
_last_staleness_check: list[datetime] = []


def tick(*, now: datetime, elapsed: float, rng: random.Random) -> None:
    due = not _last_staleness_check or now - _last_staleness_check[0] >= STALENESS_EVERY
    if due:
        _last_staleness_check[:] = [now]
    feeds_poll_due(check_staleness=due)
