"""Car-park occupancy forecast: persistence corrected by the usual change at this time of week.

For a horizon h, the forecast at time t is the current occupancy plus the mean change over h
observed at the same weekday and half-hour in past weeks. With no history it falls back to
persistence (the current value). "Full within the hour" is a forecast reaching the full
threshold at 30 or 60 minutes. `backtest` measures both against persistence on a series.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

FULL_PERCENT = 98.0
HORIZONS_MINUTES = (30, 60)
# A sample older than this is not taken as the occupancy at a given time.
HOLD_LIMIT = timedelta(minutes=45)
SLOT_MINUTES = 30

Series = Sequence[tuple[datetime, float]]


def _slot(at: datetime) -> tuple[int, int]:
    return at.weekday(), (at.hour * 60 + at.minute) // SLOT_MINUTES


def value_at(series: Series, times: Sequence[datetime], at: datetime) -> float | None:
    """The last sample at or before `at`, if recent enough (what a display would show)."""
    index = bisect.bisect_right(times, at) - 1
    if index < 0 or at - times[index] > HOLD_LIMIT:
        return None
    return series[index][1]


@dataclass
class Profile:
    """Mean change of occupancy over each horizon, by weekday and half-hour."""

    deltas: dict[int, dict[tuple[int, int], float]] = field(default_factory=dict)

    def predict(self, *, current: float, at: datetime, horizon: int) -> float:
        delta = self.deltas.get(horizon, {}).get(_slot(at), 0.0)
        return min(100.0, max(0.0, current + delta))


def profile_from(series: Series, horizons: Iterable[int] = HORIZONS_MINUTES) -> Profile:
    """Learn the mean changes from a clean series (sorted by time, valid values only)."""
    times = [at for at, _value in series]
    profile = Profile()
    for horizon in horizons:
        sums: dict[tuple[int, int], float] = defaultdict(float)
        counts: dict[tuple[int, int], int] = defaultdict(int)
        step = timedelta(minutes=horizon)
        for at, value in series:
            later = value_at(series, times, at + step)
            if later is None:
                continue
            sums[_slot(at)] += later - value
            counts[_slot(at)] += 1
        profile.deltas[horizon] = {slot: sums[slot] / counts[slot] for slot in sums}
    return profile


def full_within_hour(
    *, profile: Profile, current: float, at: datetime
) -> tuple[float, float, bool]:
    """(forecast in 30 min, forecast in 60 min, whether it is full within the hour)."""
    in_30 = profile.predict(current=current, at=at, horizon=30)
    in_60 = profile.predict(current=current, at=at, horizon=60)
    return in_30, in_60, max(current, in_30, in_60) >= FULL_PERCENT


def flat_runs(series: Series, *, min_hours: float) -> list[tuple[datetime, datetime, float]]:
    """Runs of one identical value lasting at least `min_hours` (frozen counts)."""
    runs = []
    start = 0
    for index in range(1, len(series) + 1):
        if index == len(series) or series[index][1] != series[start][1]:
            first, last = series[start][0], series[index - 1][0]
            if (last - first) >= timedelta(hours=min_hours):
                runs.append((first, last, series[start][1]))
            start = index
    return runs


@dataclass
class BacktestResult:
    samples: dict[int, int] = field(default_factory=dict)
    mae_persistence: dict[int, float] = field(default_factory=dict)
    mae_forecast: dict[int, float] = field(default_factory=dict)
    full_events: int = 0
    full_hits_forecast: int = 0
    full_false_alarms_forecast: int = 0
    excluded_samples: int = 0


def clean(series: Series, *, flat_hours: float) -> tuple[list[tuple[datetime, float]], int]:
    """Drop impossible values and frozen runs: they are faults, not occupancy."""
    frozen = flat_runs(series, min_hours=flat_hours)
    kept = [
        (at, value)
        for at, value in series
        if 0 <= value <= 100 and not any(first <= at <= last for first, last, _v in frozen)
    ]
    return kept, len(series) - len(kept)


def backtest(
    series_by_car_park: dict[str, Series], *, test_from: datetime, flat_hours: float = 24
) -> BacktestResult:
    """Forecast every sample from `test_from` on, learning only from the weeks before it.

    The profile is learnt again each week from everything before that week, as it would be
    in service. Faulty samples (impossible values, frozen runs) are neither learnt from nor
    scored.
    """
    result = BacktestResult()
    errors: dict[str, dict[int, list[float]]] = {"persistence": {}, "forecast": {}}
    for horizon in HORIZONS_MINUTES:
        errors["persistence"][horizon] = []
        errors["forecast"][horizon] = []
    for series in series_by_car_park.values():
        kept, excluded = clean(sorted(series), flat_hours=flat_hours)
        result.excluded_samples += excluded
        times = [at for at, _value in kept]
        week_start = test_from
        end = times[-1] if times else test_from
        while week_start <= end:
            week_end = week_start + timedelta(days=7)
            history = kept[: bisect.bisect_left(times, week_start)]
            if not history:
                week_start = week_end
                continue
            profile = profile_from(history)
            first = bisect.bisect_left(times, week_start)
            last = bisect.bisect_left(times, week_end)
            for at, current in kept[first:last]:
                for horizon in HORIZONS_MINUTES:
                    actual = value_at(kept, times, at + timedelta(minutes=horizon))
                    if actual is None:
                        continue
                    predicted = profile.predict(current=current, at=at, horizon=horizon)
                    errors["persistence"][horizon].append(abs(actual - current))
                    errors["forecast"][horizon].append(abs(actual - predicted))
                _score_full(result, kept, times, profile, at, current)
            week_start = week_end
    for horizon in HORIZONS_MINUTES:
        result.samples[horizon] = len(errors["forecast"][horizon])
        for name, target in (
            ("persistence", result.mae_persistence),
            ("forecast", result.mae_forecast),
        ):
            values = errors[name][horizon]
            target[horizon] = sum(values) / len(values) if values else float("nan")
    return result


def _score_full(
    result: BacktestResult,
    kept: Series,
    times: Sequence[datetime],
    profile: Profile,
    at: datetime,
    current: float,
) -> None:
    """A 'full within the hour' case: not full now, full at some sample in the next hour."""
    if current >= FULL_PERCENT:
        return
    upcoming = []
    index = bisect.bisect_right(times, at)
    while index < len(kept) and kept[index][0] <= at + timedelta(minutes=60):
        upcoming.append(kept[index][1])
        index += 1
    if not upcoming:
        return
    happened = max(upcoming) >= FULL_PERCENT
    _in30, _in60, predicted = full_within_hour(profile=profile, current=current, at=at)
    # Persistence never announces a car park not full now as full within the hour.
    if happened:
        result.full_events += 1
        result.full_hits_forecast += predicted
    elif predicted:
        result.full_false_alarms_forecast += 1
