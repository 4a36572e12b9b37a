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
from hypervisor.periods import day_bounds
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
        current = {"code": step.code, "kind": step.kind, "text": step.text, "not_done": ""}
        # The action ran and achieved nothing: say so, and offer to continue by hand.
        last = done[-1] if done else None
        if last and last["step"] == step.code and last["answer"] == "not_done":
            current["not_done"] = last["outcome"]
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
        "inside": crisis_zone_contents(crisis),
    }


def crisis_state() -> dict[str, Any]:
    """What every staff screen's banner shows: the active crisis, or none."""
    crisis = crisis_active()
    if crisis is None:
        return {"type": "crisis", "active": False}
    return {
        "type": "crisis",
        "active": True,
        "id": crisis.pk,
        "title": crisis.title,
        "severity": crisis.severity,
        "severity_label": str(crisis.get_severity_display()),
        "log_size": crisis.log.count(),
    }


def _describe(layer: Any, feature: dict[str, Any]) -> str:
    describe = getattr(layer, "describe", None)
    if describe is not None:
        return str(describe(feature))
    for key in ("title", "name", "reference", "label"):
        if feature.get(key):
            return str(feature[key])
    return str(feature.get("id", ""))


def crisis_zone_contents(crisis: Crisis) -> list[dict[str, Any]]:
    """What stands inside the crisis zone, layer by layer (open incidents, alarms, crews…).

    Read from the live layers the apps register, so the crisis cell sees what the map sees;
    equipment layers (tens of thousands of points) are left to their alarms.
    """
    from shapely.geometry import Point, shape
    from shapely.prepared import prep

    geometry = crisis_zone(crisis)
    if not geometry:
        return []
    area = prep(shape(geometry))
    sections = []
    for layer in registry.layers():
        if hasattr(layer, "tile") or layer.name == CrisisLayer.name:
            continue
        inside = [
            {"id": feature.get("id"), "text": _describe(layer, feature)}
            for feature in layer.snapshot()
            if feature.get("lat") is not None
            and feature.get("lon") is not None
            and area.covers(Point(feature["lon"], feature["lat"]))
        ]
        sections.append({"name": layer.name, "label": str(layer.label), "items": inside})
    return sections


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


_FIELD_WORDS = {
    "state": _("state"),
    "comment": _("comment"),
    "answer": _("answer"),
    "outcome": _("outcome"),
    "added": _("added"),
    "removed": _("removed"),
    "cleared": _("all removed"),
    "changes": _("changes"),
}
_VALUE_WORDS = {
    "active": _("active"),
    "acknowledged": _("acknowledged"),
    "cleared": _("cleared"),
    "yes": _("yes"),
    "no": _("no"),
    "done": _("done"),
    "manual": _("done by hand"),
    "not_done": _("nothing done"),
}


def _value_in_words(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, list):
        return ", ".join(_value_in_words(item) for item in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_value_in_words(item)}" for key, item in value.items())
    return str(_VALUE_WORDS.get(str(value), value))


def audit_changes_in_words(
    before: dict[str, Any] | None, after: dict[str, Any] | None
) -> list[str]:
    """ "state: active → acknowledged", one line per field, instead of two JSON blobs."""
    before, after = before or {}, after or {}
    lines = []
    # Fields that changed first, then those only set, then those only removed.
    order = {key: (0 if key in before else 1) if key in after else 2 for key in {*before, *after}}
    for key in sorted(order, key=lambda k: (order[k], k)):
        name = str(_FIELD_WORDS.get(key, key.replace("_", " ")))
        if key in before and key in after:
            lines.append(f"{name}: {_value_in_words(before[key])} → {_value_in_words(after[key])}")
        elif key in after:
            lines.append(f"{name}: {_value_in_words(after[key])}")
        else:
            lines.append(f"{name}: {_value_in_words(before[key])} → —")
    return lines


def audit_rows(entries: Any) -> list[dict[str, Any]]:
    """Audit entries as a person reads them: who (or the system), what in words, changes."""
    rows = []
    for entry in entries:
        actor = entry.actor
        rows.append(
            {
                "at": entry.at,
                "actor": (actor.get_full_name() or actor.get_username())
                if actor
                else str(_("system")),
                "by_system": actor is None,
                "action": entry.action,
                "action_label": registry.audit_action_label(entry.action) or entry.action,
                "target": entry.target,
                "summary": entry.summary,
                "changes": audit_changes_in_words(entry.before, entry.after),
            }
        )
    return rows


def audit_actions() -> list[str]:
    return sorted(set(AuditEntry.objects.values_list("action", flat=True)))


def _alarms_in_commune(alarms: QuerySet[Alarm], insee: str | None) -> QuerySet[Alarm]:
    """Alarms located in one commune (its outline, after a bounding-box prefilter)."""
    if not insee:
        return alarms
    from shapely.geometry import Point, shape

    from hypervisor.models import Commune

    commune = Commune.objects.filter(insee=insee).first()
    if commune is None:
        return alarms.none()
    area = shape(commune.geometry)
    min_lon, min_lat, max_lon, max_lat = area.bounds
    candidates = alarms.filter(
        lat__gte=min_lat, lat__lte=max_lat, lon__gte=min_lon, lon__lte=max_lon
    ).values_list("pk", "lat", "lon")
    inside = [pk for pk, lat, lon in candidates if area.covers(Point(lon, lat))]
    return alarms.filter(pk__in=inside)


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
        first, after_last = day_bounds(start, end)
        alarms = Alarm.objects.filter(
            parent__isnull=True,
            acknowledged_at__isnull=False,
            raised_at__gte=first,
            raised_at__lt=after_last,
        )
        alarms = _alarms_in_commune(alarms, commune_insee)
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
        first, after_last = day_bounds(start, end)
        alarms = Alarm.objects.filter(
            parent__isnull=True, raised_at__gte=first, raised_at__lt=after_last
        )
        alarms = _alarms_in_commune(alarms, commune_insee)
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
    """An elected official's commune: its outline, open alarms, the crisis over it, KPIs."""
    commune = elected_official_commune(user=user)
    messages = Notification.objects.filter(recipient=user).order_by("-created_at")[:50]
    alarms: list[Alarm] = []
    crisis, kpis = None, []
    if commune is not None:
        from shapely.geometry import Point, shape

        area = shape(commune.geometry)
        open_alarms = Alarm.objects.filter(parent__isnull=True, lat__isnull=False).exclude(
            state=AlarmState.CLEARED
        )
        alarms = [alarm for alarm in open_alarms if area.covers(Point(alarm.lon, alarm.lat))]
        # Titles are stored in the language they were raised in: read them in the page's.
        from hypervisor.alarm_layer import AlarmLayer

        titles = AlarmLayer().vocabulary()["title"]["labels"]
        for alarm in alarms:
            alarm.title = titles.get(alarm.kind, alarm.title)
        active = crisis_active()
        zone = crisis_zone(active) if active else None
        if active and zone and shape(zone).intersects(area):
            crisis = {
                "title": active.title,
                "severity": active.get_severity_display(),
                "zone": zone,
            }
        today = timezone.localdate()
        kpis = kpi_board(start=today - timedelta(days=29), end=today, commune_insee=commune.insee)
    return {
        "commune": commune,
        "outline": commune.geometry if commune else None,
        "messages": messages,
        "alarms": alarms,
        "crisis": crisis,
        "kpis": kpis,
    }


def acknowledged_alarm_assets(*, asset_type: str) -> list[str]:
    """Asset ids of the acknowledged (not yet cleared) alarms of one asset type: an app whose
    equipment keeps its own alarm acknowledgement (RSMP controllers) passes it on."""
    from hypervisor.models import Alarm, AlarmState

    return list(
        Alarm.objects.filter(asset_type=asset_type, state=AlarmState.ACKNOWLEDGED).values_list(
            "asset_id", flat=True
        )
    )
