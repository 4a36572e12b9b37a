"""The astronomical clock and the dimming plan of one night, for the territory's coordinates.

Lamps switch on at sunset and off at sunrise, computed by astral for the map centre; in
between, each street class follows its dimming profile (full at dusk, dimmed in the core of
the night, full again before dawn).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from astral import Observer
from astral.sun import sunrise, sunset
from django.conf import settings

PARIS = ZoneInfo("Europe/Paris")


@dataclass(frozen=True)
class Profile:
    evening_level: int = 100
    night_level: int = 50
    night_start: time = time(23, 0)
    night_end: time = time(5, 0)
    morning_level: int = 100


DEFAULT_PROFILES = {
    "main": Profile(evening_level=100, night_level=60, night_start=time(23), night_end=time(5)),
    "residential": Profile(
        evening_level=100, night_level=50, night_start=time(23), night_end=time(5)
    ),
    "pedestrian": Profile(
        evening_level=80, night_level=30, night_start=time(22), night_end=time(6)
    ),
}

FULL_NIGHT = Profile(evening_level=100, night_level=100, morning_level=100)
"""What a pre-renovation lamp does: full power from dusk to dawn (the energy baseline)."""


@dataclass(frozen=True)
class Step:
    start: datetime
    end: datetime
    level: int

    @property
    def hours(self) -> float:
        return max((self.end - self.start).total_seconds(), 0) / 3600


def _observer() -> Observer:
    lat, lon = settings.MAP_CENTER
    return Observer(latitude=lat, longitude=lon)


@lru_cache(maxsize=2048)
def night_of(
    day: date, lat: float | None = None, lon: float | None = None
) -> tuple[datetime, datetime]:
    """(sunset of `day`, sunrise of the next day), timezone-aware in Europe/Paris."""
    observer = _observer() if lat is None or lon is None else Observer(latitude=lat, longitude=lon)
    return (
        sunset(observer, date=day, tzinfo=PARIS),
        sunrise(observer, date=day + timedelta(days=1), tzinfo=PARIS),
    )


def plan(day: date, profile: Profile) -> list[Step]:
    """The steps of the night starting on `day`; empty steps are dropped."""
    dusk, dawn = night_of(day)
    start_day = day if profile.night_start >= time(12) else day + timedelta(days=1)
    dim_from = datetime.combine(start_day, profile.night_start, tzinfo=PARIS)
    dim_until = datetime.combine(day + timedelta(days=1), profile.night_end, tzinfo=PARIS)
    dim_from, dim_until = min(max(dim_from, dusk), dawn), max(min(dim_until, dawn), dusk)
    steps = [
        Step(dusk, dim_from, profile.evening_level),
        Step(dim_from, max(dim_until, dim_from), profile.night_level),
        Step(max(dim_until, dim_from), dawn, profile.morning_level),
    ]
    return [step for step in steps if step.hours > 0]


def level_at(when: datetime, profile: Profile) -> int:
    """The level a lamp should be at, at an instant (0 in daytime)."""
    local = when.astimezone(PARIS)
    for day in (local.date() - timedelta(days=1), local.date()):
        for step in plan(day, profile):
            if step.start <= local < step.end:
                return step.level
    return 0


def is_dark(when: datetime) -> bool:
    local = when.astimezone(PARIS)
    return any(
        start <= local < end
        for start, end in (night_of(local.date() - timedelta(days=1)), night_of(local.date()))
    )


def level_hours(day: date, profile: Profile) -> float:
    """Σ level × duration over one night, in full-power hours (50 % for 2 h counts 1 h)."""
    return sum(step.level / 100 * step.hours for step in plan(day, profile))


def month_level_hours(month: date, profile: Profile) -> float:
    """Full-power hours over every night starting in the month."""
    day, total = month.replace(day=1), 0.0
    while day.month == month.month:
        total += level_hours(day, profile)
        day += timedelta(days=1)
    return total
