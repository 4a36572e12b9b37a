"""Polling inside the web process in the embedded mode.

There the screens' live feed does not cross processes (no Redis): a separate poller's
updates would reach them only when they reconnect. So the embedded mode polls from the
simulator loop of the web process; deployments run `mobility_poll` or the beat task.
"""

from __future__ import annotations

import logging
import random
from datetime import datetime

from mobility.services.polling import feeds_poll_due

logger = logging.getLogger(__name__)


def tick(*, now: datetime, elapsed: float, rng: random.Random) -> None:
    feeds_poll_due()
