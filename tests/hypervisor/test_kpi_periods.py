"""Alarm KPIs count whole local days (Europe/Paris): today, the period's edges, DST days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hypervisor.models import Alarm, Severity
from hypervisor.periods import day_bounds
from hypervisor.registry import registry

PARIS = ZoneInfo("Europe/Paris")


def _kpi(key: str):  # type: ignore[no-untyped-def]
    return {kpi.key: kpi for kpi in registry.kpis()}[key]


def _alarm(raised: datetime, *, acknowledged_after: timedelta | None = None) -> Alarm:
    return Alarm.objects.create(
        kind="lamp-dark",
        asset_type="lamp",
        asset_id=f"L{Alarm.objects.count()}",
        severity=Severity.MINOR,
        title="Lampe éteinte",
        raised_at=raised,
        last_raised_at=raised,
        acknowledged_at=raised + acknowledged_after if acknowledged_after else None,
    )


def test_a_local_day_is_twenty_three_hours_in_spring_and_twenty_five_in_autumn() -> None:
    # Aware datetimes of one zone subtract as wall clocks: compare the instants in UTC.
    first, after = day_bounds(date(2026, 3, 29), date(2026, 3, 29))
    assert after.astimezone(UTC) - first.astimezone(UTC) == timedelta(hours=23)
    first, after = day_bounds(date(2026, 10, 25), date(2026, 10, 25))
    assert after.astimezone(UTC) - first.astimezone(UTC) == timedelta(hours=25)


def test_the_period_runs_from_local_midnight_to_the_next_local_midnight() -> None:
    first, after = day_bounds(date(2026, 12, 4), date(2026, 12, 4))
    assert first == datetime(2026, 12, 4, tzinfo=PARIS)
    assert after == datetime(2026, 12, 5, tzinfo=PARIS)


@pytest.mark.parametrize("day", [date(2026, 3, 29), date(2026, 10, 25)])
def test_alarms_per_day_count_the_whole_dst_day_and_nothing_around_it(db, day: date) -> None:
    _alarm(datetime.combine(day, datetime.min.time()).replace(minute=5, tzinfo=PARIS))
    _alarm(datetime.combine(day, datetime.max.time()).replace(tzinfo=PARIS) - timedelta(minutes=5))
    _alarm(datetime.combine(day, datetime.min.time(), tzinfo=PARIS) - timedelta(minutes=5))
    figures = _kpi("alarms-per-day").compute(start=day, end=day)
    assert figures["series"] == [[day.isoformat(), 2]]


def test_the_time_to_acknowledge_counts_an_alarm_raised_late_on_the_last_day(db) -> None:
    _alarm(datetime(2026, 12, 4, 23, 50, tzinfo=PARIS), acknowledged_after=timedelta(minutes=4))
    kpi = _kpi("alarm-mtta")
    assert kpi.compute(start=date(2026, 12, 4), end=date(2026, 12, 4))["value"] == 4.0
    assert kpi.compute(start=date(2026, 12, 5), end=date(2026, 12, 5))["value"] is None
