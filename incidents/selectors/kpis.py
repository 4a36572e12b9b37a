"""KPI board figures: deadlines met, time to assign and to resolve, incidents per commune."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hypervisor.periods import day_bounds
from incidents.models import Incident, Priority


def _incidents(field: str, start: date, end: date, insee: str | None) -> QuerySet[Incident]:
    """Incidents whose ``field`` falls on the local days ``start`` to ``end``, both included."""
    first, after_last = day_bounds(start, end)
    queryset = Incident.objects.filter(**{f"{field}__gte": first, f"{field}__lt": after_last})
    if insee:
        queryset = queryset.filter(commune__insee=insee)
    return queryset.select_related("service", "commune")


def _day(moment: datetime) -> str:
    return timezone.localtime(moment).date().isoformat()


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


class SlaComplianceKpi:
    """Share of the incidents resolved in the period that were resolved by their deadline."""

    key = "incidents.sla_compliance"
    label = _("Deadlines met")
    unit = "%"
    target: float | None = 95.0
    higher_is_better = True

    def compute(self, *, start: Any, end: Any, commune_insee: str | None = None) -> dict[str, Any]:
        met: dict[str, list[bool]] = defaultdict(list)
        per_day: dict[str, list[bool]] = defaultdict(list)
        every: list[bool] = []
        for incident in _incidents("resolved_at", start, end, commune_insee):
            if incident.resolved_at is None:  # excluded by the query; narrows the type
                continue
            on_time = incident.resolved_at <= incident.due_at
            service = incident.service.name if incident.service else str(_("Unrouted"))
            met[f"{service} · {Priority(incident.priority).label}"].append(on_time)
            per_day[_day(incident.resolved_at)].append(on_time)
            every.append(on_time)

        def share(values: list[bool]) -> float | None:
            return round(100 * sum(values) / len(values), 1) if values else None

        return {
            "value": share(every),
            "series": [[day, share(values)] for day, values in sorted(per_day.items())],
            "by": {name: share(values) for name, values in sorted(met.items())},
        }


class _MeanDelayKpi:
    unit = "min"
    target: float | None = None
    higher_is_better = False
    field = ""
    divisor = 60.0

    def compute(self, *, start: Any, end: Any, commune_insee: str | None = None) -> dict[str, Any]:
        by: dict[str, list[float]] = defaultdict(list)
        per_day: dict[str, list[float]] = defaultdict(list)
        every: list[float] = []
        for incident in _incidents(self.field, start, end, commune_insee):
            delay = (getattr(incident, self.field) - incident.created_at).total_seconds()
            delay /= self.divisor
            by[incident.service.name if incident.service else str(_("Unrouted"))].append(delay)
            per_day[_day(getattr(incident, self.field))].append(delay)
            every.append(delay)
        return {
            "value": _mean(every),
            "series": [[day, _mean(values)] for day, values in sorted(per_day.items())],
            "by": {name: _mean(values) for name, values in sorted(by.items())},
        }


class TimeToAssignKpi(_MeanDelayKpi):
    key = "incidents.time_to_assign"
    label = _("Mean time to assign a crew")
    field = "assigned_at"
    target = 15.0


class TimeToResolveKpi(_MeanDelayKpi):
    key = "incidents.time_to_resolve"
    label = _("Mean time to resolve")
    unit = "h"
    field = "resolved_at"
    divisor = 3600.0


class IncidentsPerCommuneKpi:
    key = "incidents.per_commune"
    label = _("Incidents reported")
    unit = ""
    target: float | None = None
    higher_is_better = False

    def compute(self, *, start: Any, end: Any, commune_insee: str | None = None) -> dict[str, Any]:
        by: dict[str, int] = defaultdict(int)
        per_day: dict[str, int] = defaultdict(int)
        label: Callable[[Incident], str] = lambda i: i.commune.name if i.commune else "—"  # noqa: E731
        for incident in _incidents("created_at", start, end, commune_insee):
            by[label(incident)] += 1
            per_day[_day(incident.created_at)] += 1
        return {
            "value": float(sum(by.values())),
            "series": [[day, count] for day, count in sorted(per_day.items())],
            "by": dict(sorted(by.items(), key=lambda item: -item[1])),
        }


KPIS = [SlaComplianceKpi(), TimeToAssignKpi(), TimeToResolveKpi(), IncidentsPerCommuneKpi()]
