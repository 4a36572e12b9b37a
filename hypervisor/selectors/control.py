"""Reads behind the control-room pages: procedures, crisis, audit, KPIs, elected officials."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Avg, Count, F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from shapely.geometry import mapping
from shapely.ops import unary_union

from hypervisor.models import (
    Alarm,
    AlarmState,
    AuditEntry,
    Crisis,
    Notification,
    Procedure,
    ProcedureRun,
    Severity,
    StaffProfile,
)
from hypervisor.registry import registry


def procedure_view(*, alarm_id: int) -> dict[str, Any] | None:
    """The procedure of an alarm: its steps, the current one, and what was done so far."""
    alarm = Alarm.objects.filter(pk=alarm_id).first()
    if alarm is None:
        return None
    run = ProcedureRun.objects.filter(alarm=alarm).select_related("procedure").first()
    procedure = run.procedure if run else Procedure.objects.filter(alarm_kind=alarm.kind).first()
    if procedure is None:
        return {"alarm_id": alarm.pk, "available": False}
    done = []
    if run:
        for record in run.records.select_related("step", "by"):
            done.append(
                {
                    "step": record.step.code,
                    "text": record.step.text,
                    "answer": record.answer,
                    "outcome": record.outcome,
                    "by": (record.by.get_full_name() or record.by.get_username())
                    if record.by
                    else "",
                    "at": record.at.isoformat(),
                }
            )
    current = None
    if run and not run.finished_at and run.current_step:
        step = procedure.steps.get(code=run.current_step)
        current = {"code": step.code, "kind": step.kind, "text": step.text}
    return {
        "alarm_id": alarm.pk,
        "available": True,
        "title": procedure.title,
        "started": run is not None,
        "finished": bool(run and run.finished_at),
        "current": current,
        "done": done,
    }


def crisis_active() -> Crisis | None:
    return Crisis.objects.filter(state=Crisis.State.ACTIVE).first()


def crisis_zone(crisis: Crisis) -> dict[str, Any] | None:
    """The zone drawn for the crisis, or the union of its communes."""
    if crisis.zone:
        return crisis.zone
    from shapely.geometry import shape

    shapes = [shape(geometry) for geometry in crisis.communes.values_list("geometry", flat=True)]
    return mapping(unary_union(shapes)) if shapes else None


def crisis_detail(*, crisis_id: int) -> dict[str, Any] | None:
    crisis = Crisis.objects.filter(pk=crisis_id).select_related("activated_by", "closed_by").first()
    if crisis is None:
        return None
    return {
        "crisis": crisis,
        "zone": crisis_zone(crisis),
        "communes": list(crisis.communes.values_list("name", flat=True)),
        "members": list(crisis.members.all()),
        "log": list(crisis.log.select_related("author")),
    }


def crisis_history(limit: int = 20) -> QuerySet[Crisis]:
    return Crisis.objects.select_related("activated_by")[:limit]


class CrisisLayer:
    """The active crisis zone on the control-room map."""

    name = "crisis"
    label = _("Crisis zone")
    event_kinds = frozenset({"crisis.activated", "crisis.updated", "crisis.closed"})

    def _feature(self, crisis: Crisis) -> dict[str, Any]:
        return {
            "id": str(crisis.pk),
            "title": crisis.title,
            "severity": crisis.severity,
            "geometry": crisis_zone(crisis),
            "log_size": crisis.log.count(),
        }

    def snapshot(self) -> list[dict[str, Any]]:
        crisis = crisis_active()
        return [self._feature(crisis)] if crisis else []

    def feature(self, asset_id: str) -> dict[str, Any] | None:
        crisis = Crisis.objects.filter(pk=asset_id, state=Crisis.State.ACTIVE).first()
        return self._feature(crisis) if crisis else None


def audit_entries(
    *, action: str = "", actor: str = "", target: str = "", day: date | None = None
) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.select_related("actor")
    if action:
        entries = entries.filter(action__startswith=action)
    if actor:
        entries = entries.filter(actor__username__icontains=actor)
    if target:
        entries = entries.filter(target__icontains=target)
    if day:
        start = timezone.make_aware(datetime.combine(day, time.min))
        entries = entries.filter(at__gte=start, at__lt=start + timedelta(days=1))
    return entries


def audit_actions() -> list[str]:
    return sorted(set(AuditEntry.objects.values_list("action", flat=True)))


class AlarmAcknowledgementKpi:
    """Mean time from an alarm being raised to an operator acknowledging it."""

    key = "alarm-mtta"
    label = _("Mean time to acknowledge an alarm")
    unit = "min"
    target: float | None = 5.0
    higher_is_better = False

    def compute(
        self, *, start: date, end: date, commune_insee: str | None = None
    ) -> dict[str, Any]:
        alarms = Alarm.objects.filter(
            parent__isnull=True,
            acknowledged_at__isnull=False,
            raised_at__date__gte=start,
            raised_at__date__lte=end,
        )
        delay = F("acknowledged_at") - F("raised_at")
        value = alarms.aggregate(mean=Avg(delay))["mean"]
        by_severity = {
            str(Severity(row["severity"]).label): row["mean"].total_seconds() / 60
            for row in alarms.values("severity").annotate(mean=Avg(delay))
            if row["mean"] is not None
        }
        return {
            "value": round(value.total_seconds() / 60, 1) if value else None,
            "series": [],
            "by": {key: round(minutes, 1) for key, minutes in sorted(by_severity.items())},
        }


class AlarmCountKpi:
    """Alarms raised per day (root causes only: consequences are not extra work)."""

    key = "alarms-per-day"
    label = _("Alarms raised per day")
    unit = ""
    target: float | None = None
    higher_is_better = False

    def compute(
        self, *, start: date, end: date, commune_insee: str | None = None
    ) -> dict[str, Any]:
        alarms = Alarm.objects.filter(
            parent__isnull=True, raised_at__date__gte=start, raised_at__date__lte=end
        )
        per_day: dict[date, int] = {}
        for raised in alarms.values_list("raised_at", flat=True):
            day = timezone.localtime(raised).date()
            per_day[day] = per_day.get(day, 0) + 1
        days = [start + timedelta(days=offset) for offset in range((end - start).days + 1)]
        by_severity = alarms.values("severity").annotate(n=Count("id"))
        return {
            "value": round(sum(per_day.values()) / len(days), 1) if days else None,
            "series": [[day.isoformat(), per_day.get(day, 0)] for day in days],
            "by": {str(Severity(row["severity"]).label): row["n"] for row in by_severity},
        }


def kpi_board(*, start: date, end: date, commune_insee: str | None) -> list[dict[str, Any]]:
    """Every registered KPI for the period; a failing KPI says so instead of breaking the board."""
    board = []
    for kpi in registry.kpis():
        try:
            result = kpi.compute(start=start, end=end, commune_insee=commune_insee)
            error = ""
        except Exception as exc:  # one app's bug must not blank the supervisors' board
            result, error = {"value": None, "series": [], "by": {}}, str(exc)
        value, target = result.get("value"), kpi.target
        on_target = None
        if value is not None and target is not None:
            on_target = value >= target if kpi.higher_is_better else value <= target
        board.append(
            {
                "key": kpi.key,
                "label": str(kpi.label),
                "unit": kpi.unit,
                "target": target,
                "value": value,
                "on_target": on_target,
                "series": result.get("series", []),
                "by": result.get("by", {}),
                "note": result.get("note", ""),  # what the figure rests on, in a sentence
                "error": error,
            }
        )
    return board


def elected_official_commune(*, user: User | AnonymousUser) -> Any:
    """The commune an elected official watches, or None (not an elected official)."""
    if not user.is_authenticated or not user.has_perm("hypervisor.view_elected_board"):
        return None
    profile = StaffProfile.objects.filter(user=user).select_related("commune").first()
    return profile.commune if profile else None


def elected_board(*, user: User) -> dict[str, Any]:
    commune = elected_official_commune(user=user)
    messages = Notification.objects.filter(recipient=user).order_by("-created_at")[:50]
    alarms = []
    if commune is not None:
        from shapely.geometry import Point, shape

        area = shape(commune.geometry)
        open_alarms = Alarm.objects.filter(parent__isnull=True, lat__isnull=False).exclude(
            state=AlarmState.CLEARED
        )
        alarms = [alarm for alarm in open_alarms if area.covers(Point(alarm.lon, alarm.lat))]
    return {"commune": commune, "messages": messages, "alarms": alarms}
