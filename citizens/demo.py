from __future__ import annotations

import random
from collections.abc import Callable

from citizens.simulation import submit_typical_report

DEMO_REPORTS = 40


def seed_recent_reports(*, rng: random.Random, log: Callable[[str], None]) -> None:
    for _report in range(DEMO_REPORTS):
        submit_typical_report(rng)
    log(f"{DEMO_REPORTS} citizen reports")
