"""Periods of the KPI board: whole local days (Europe/Paris), turned into aware instants.

The board asks for "the last N days, today included". A KPI that filters a datetime column
with the bare dates would stop at midnight UTC-ish of the last day (today's events missing)
and trigger Django's naive-datetime warning; these bounds are what every KPI should use.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone


def local_midnight(day: date) -> datetime:
    """The first instant of ``day`` in the current time zone (23 h and 25 h days included)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[first instant of ``start``, first instant of the day after ``end``) in local time."""
    return local_midnight(start), local_midnight(end + timedelta(days=1))
