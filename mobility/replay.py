"""The real 2023 DiviaPark occupancy series, replayed as if it were happening now.

One week of the series (ONDIJON_MOBILITY_REPLAY_WEEK, its Monday) is mapped onto the current
week, weekday and time of day kept; the values are served as they were, faults included
(negative values, a car park that always reads 100 %, days without change), so that the
data-quality alarms meet them.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils import timezone

DIVIAPARK_FILE = "diviapark_taux_occupation_2023.csv"

# The ten DiviaPark car parks of the series. The series has no coordinates: these are placed
# at their public entrances in central Dijon as well as public facts allow; capacities are
# the operator's published orders of magnitude.
DIVIAPARK_CAR_PARKS: dict[str, tuple[str, float, float, int, str]] = {
    "CLEMENCEAU": ("Parking Clemenceau", 47.32868, 5.04516, 440, "Boulevard Clemenceau"),
    "CONDORCET": ("Parking Condorcet", 47.32139, 5.03383, 590, "Rue Condorcet"),
    "DARCY": ("Parking Darcy", 47.32246, 5.03541, 390, "Place Darcy"),
    "DAUPHINE": ("Parking Dauphine", 47.32297, 5.04127, 620, "Rue Dauphine"),
    "GRANGIER": ("Parking Grangier", 47.32349, 5.03872, 410, "Place Grangier"),
    "MALRAUX": ("Parking Malraux", 47.31878, 5.04563, 480, "Rue André Malraux"),
    "MONGE": ("Parking Monge", 47.31874, 5.03393, 300, "Rue Monge"),
    "SAINTE-ANNE": ("Parking Sainte-Anne", 47.31777, 5.04162, 410, "Rue Sainte-Anne"),
    "TIVOLI": ("Parking Tivoli", 47.31657, 5.03949, 480, "Rue de Tivoli"),
    "TREMOUILLE": ("Parking Trémouille", 47.32655, 5.04245, 380, "Boulevard de la Trémouille"),
}


def series_path() -> Path:
    return Path(settings.REFERENCE_DATA_DIR) / DIVIAPARK_FILE


@lru_cache(maxsize=2)
def load_series(path: str) -> dict[str, list[tuple[datetime, float]]]:
    """{car park: [(local naive time, percent)]} sorted by time, faults kept."""
    series: dict[str, list[tuple[datetime, float]]] = defaultdict(list)
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            series[row["parking"]].append(
                (datetime.fromisoformat(row["datetime"]), float(row["pourcentage"]))
            )
    for samples in series.values():
        samples.sort()
    return dict(series)


@dataclass(frozen=True)
class Replay:
    """Maps now onto the replayed 2023 week: `original = shown - offset`."""

    offset: timedelta

    @classmethod
    def for_now(cls, now: datetime | None = None) -> Replay:
        local = timezone.localtime(now or timezone.now()).replace(tzinfo=None)
        monday_now = datetime.combine(local.date() - timedelta(days=local.weekday()), time())
        replay_monday = datetime.combine(date.fromisoformat(settings.MOBILITY_REPLAY_WEEK), time())
        replay_monday -= timedelta(days=replay_monday.weekday())
        return cls(offset=monday_now - replay_monday)

    def shown(self, original: datetime) -> datetime:
        return timezone.make_aware(original + self.offset)

    def original(self, shown: datetime) -> datetime:
        return timezone.localtime(shown).replace(tzinfo=None) - self.offset


def latest_samples(*, now: datetime | None = None) -> list[dict[str, object]]:
    """The newest sample of each car park at the replayed instant, as the feed serves it."""
    now = now or timezone.now()
    replay = Replay.for_now(now)
    instant = replay.original(now)
    records = []
    for reference, samples in load_series(str(series_path())).items():
        previous = [sample for sample in samples if sample[0] <= instant][-1:]
        if not previous:
            continue
        at, value = previous[0]
        records.append(
            {
                "id": reference,
                "name": DIVIAPARK_CAR_PARKS.get(reference, (reference,))[0],
                "occupancy_percent": value,
                "updated_at": replay.shown(at).isoformat(),
            }
        )
    return records


def history_before(*, now: datetime, days: int) -> dict[str, list[tuple[datetime, float]]]:
    """The replayed samples of the last `days` days (shown times), for back-filling."""
    replay = Replay.for_now(now)
    instant = replay.original(now)
    start = instant - timedelta(days=days)
    return {
        reference: [(replay.shown(at), value) for at, value in samples if start <= at <= instant]
        for reference, samples in load_series(str(series_path())).items()
    }
