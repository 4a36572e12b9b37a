"""KPIs of the mobility app for the hypervisor's board."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mobility import selectors


def _moment(value: Any) -> datetime:
    """The board gives days or naive datetimes: both are local time."""
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime.combine(value, time())
    return timezone.make_aware(value) if timezone.is_naive(value) else value


class CarParkOccupancyKpi:
    key = "mobility-car-park-occupancy"
    label = _("Mean occupancy of the car parks")
    unit = "%"
    target: float | None = None
    higher_is_better = False

    def compute(self, *, start: Any, end: Any, commune_insee: str | None = None) -> dict[str, Any]:
        rows = selectors.car_park_occupancy_hourly(start=_moment(start), end=_moment(end))
        if commune_insee:
            inside = set(
                selectors.car_parks()
                .filter(commune_insee=commune_insee)
                .values_list("reference", flat=True)
            )
            rows = [row for row in rows if row["car_park"] in inside]
        by: dict[str, list[float]] = {}
        days: dict[str, list[float]] = {}
        for row in rows:
            by.setdefault(row["name"], []).append(row["occupancy_percent"])
            days.setdefault(row["hour"].date().isoformat(), []).append(row["occupancy_percent"])
        values = [value for series in by.values() for value in series]
        return {
            "value": round(sum(values) / len(values), 1) if values else None,
            "series": [[day, round(sum(v) / len(v), 1)] for day, v in sorted(days.items())],
            "by": {name: round(sum(v) / len(v), 1) for name, v in sorted(by.items())},
        }
