"""Incident KPIs count whole local days (Europe/Paris), today and DST days included."""

from __future__ import annotations

import warnings
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from hypervisor import selectors
from hypervisor.registry import registry
from incidents.models import Incident

PARIS = ZoneInfo("Europe/Paris")


def _kpi(key: str):  # type: ignore[no-untyped-def]
    return {kpi.key: kpi for kpi in registry.kpis()}[key]


@pytest.fixture
def reported_at(open_incident, lighting_crew):  # type: ignore[no-untyped-def]
    """Open (and dispatch) an incident at a given Paris wall-clock time."""

    def report(moment: datetime) -> Incident:
        with time_machine.travel(moment, tick=False):
            return open_incident()

    return report


def test_an_incident_reported_a_minute_ago_counts_today(reported_at) -> None:
    with time_machine.travel(datetime(2026, 12, 4, 15, 0, tzinfo=PARIS), tick=False):
        today = timezone.localdate()
        reported_at(timezone.now() - timedelta(minutes=1))
        figures = _kpi("incidents.per_commune").compute(start=today, end=today)
    assert figures["value"] == 1
    assert figures["series"] == [["2026-12-04", 1]]


def test_an_incident_of_the_day_after_the_period_is_left_out(reported_at) -> None:
    reported_at(datetime(2026, 12, 5, 0, 5, tzinfo=PARIS))
    kpi = _kpi("incidents.per_commune")
    assert kpi.compute(start=date(2026, 12, 4), end=date(2026, 12, 4))["value"] == 0
    assert kpi.compute(start=date(2026, 12, 5), end=date(2026, 12, 5))["value"] == 1


def test_late_evening_in_paris_counts_on_the_local_day_not_the_utc_one(reported_at) -> None:
    # 23:30 in Paris on 4 December is 22:30 UTC the same day, and 00:30 in Paris on the 5th
    # is still 4 December in UTC: the board must follow the local calendar.
    reported_at(datetime(2026, 12, 4, 23, 30, tzinfo=PARIS))
    reported_at(datetime(2026, 12, 5, 0, 30, tzinfo=PARIS))
    figures = _kpi("incidents.per_commune").compute(start=date(2026, 12, 4), end=date(2026, 12, 5))
    assert figures["series"] == [["2026-12-04", 1], ["2026-12-05", 1]]


@pytest.mark.parametrize(
    ("day", "first", "last"),
    [
        # Spring forward: 29 March 2026 lasts 23 hours.
        (date(2026, 3, 29), datetime(2026, 3, 29, 0, 10), datetime(2026, 3, 29, 23, 50)),
        # Fall back: 25 October 2026 lasts 25 hours.
        (date(2026, 10, 25), datetime(2026, 10, 25, 0, 10), datetime(2026, 10, 25, 23, 50)),
    ],
)
def test_a_daylight_saving_day_counts_from_its_first_to_its_last_minute(
    reported_at, day: date, first: datetime, last: datetime
) -> None:
    reported_at(first.replace(tzinfo=PARIS))
    reported_at(last.replace(tzinfo=PARIS))
    reported_at((first - timedelta(minutes=20)).replace(tzinfo=PARIS))  # the day before
    reported_at((last + timedelta(minutes=20)).replace(tzinfo=PARIS))  # the day after
    assert _kpi("incidents.per_commune").compute(start=day, end=day)["value"] == 2


def test_time_to_assign_counts_an_incident_assigned_today(open_incident, lighting_crew) -> None:
    # Real time: the crew's shift starts now, so dispatch assigns it at once.
    incident = open_incident()
    assert incident.assigned_at is not None
    today = timezone.localdate(incident.assigned_at)
    kpi = _kpi("incidents.time_to_assign")
    assert kpi.compute(start=today, end=today)["value"] == 0.0
    yesterday = today - timedelta(days=1)
    assert kpi.compute(start=yesterday, end=yesterday)["value"] is None


@pytest.mark.parametrize("key", ["incidents.sla_compliance", "incidents.time_to_resolve"])
def test_resolution_kpis_count_an_incident_resolved_late_on_the_last_day(
    reported_at, key: str
) -> None:
    incident = reported_at(datetime(2026, 10, 25, 8, 0, tzinfo=PARIS))
    resolved = datetime(2026, 10, 25, 23, 45, tzinfo=PARIS)
    Incident.objects.filter(pk=incident.pk).update(resolved_at=resolved, status="resolved")
    kpi = _kpi(key)
    assert kpi.compute(start=date(2026, 10, 25), end=date(2026, 10, 25))["value"] is not None
    assert kpi.compute(start=date(2026, 10, 26), end=date(2026, 10, 26))["value"] is None


def test_the_board_counts_today_without_naive_datetime_warnings(reported_at) -> None:
    with time_machine.travel(datetime(2026, 12, 4, 18, 0, tzinfo=PARIS), tick=False):
        reported_at(timezone.now() - timedelta(minutes=1))
        today = timezone.localdate()
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            board = selectors.kpi_board(
                start=today - timedelta(days=6), end=today, commune_insee=None
            )
    figures = {kpi["key"]: kpi for kpi in board}
    assert figures["incidents.per_commune"]["value"] == 1
    assert not [kpi["key"] for kpi in board if kpi["error"]]
