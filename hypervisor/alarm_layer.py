"""The control room's layer of open alarms (root causes, with their consequence count)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from hypervisor.models import Alarm, AlarmState, Severity


def _open_roots() -> QuerySet[Alarm]:
    return (
        Alarm.objects.filter(parent__isnull=True)
        .exclude(state=AlarmState.CLEARED)
        .select_related("acknowledged_by")
        .annotate(
            consequence_count=Count(
                "consequences", filter=~Q(consequences__state=AlarmState.CLEARED)
            )
        )
    )


def alarm_feature(alarm: Alarm) -> dict[str, Any]:
    acknowledged_by = alarm.acknowledged_by
    return {
        "id": str(alarm.pk),
        "lat": alarm.lat,
        "lon": alarm.lon,
        "kind": alarm.kind,
        "title": alarm.title,
        "asset": alarm.asset_ref,
        "severity": alarm.severity,
        "severity_label": str(alarm.get_severity_display()),
        "state": alarm.state,
        "state_label": str(alarm.get_state_display()),
        "raised_at": alarm.raised_at.isoformat(),
        "occurrences": alarm.occurrences,
        "flapping": bool(alarm.payload.get("flapping")),
        "consequences": getattr(alarm, "consequence_count", 0),
        "acknowledged_by": (
            (acknowledged_by.get_full_name() or acknowledged_by.get_username())
            if acknowledged_by
            else ""
        ),
        "acknowledged_at": alarm.acknowledged_at.isoformat() if alarm.acknowledged_at else None,
        "escalation_stage": alarm.escalation_stage,
        "suppressed_reason": alarm.suppressed_reason,
    }


class AlarmLayer:
    name = "alarms"
    label = _("Alarms")

    @property
    def legend(self) -> dict[str, str]:
        """Rings are coloured by severity; acknowledged ones are grey and dashed."""
        return {
            **{severity.value: str(severity.label) for severity in Severity},
            "acknowledged": str(AlarmState.ACKNOWLEDGED.label),
        }

    event_kinds = frozenset({"alarm.raised", "alarm.acknowledged", "alarm.cleared"})

    def snapshot(self) -> list[dict[str, Any]]:
        return [alarm_feature(alarm) for alarm in _open_roots().order_by("raised_at")]

    def feature(self, asset_id: str) -> dict[str, Any] | None:
        alarm = _open_roots().filter(pk=asset_id).first()
        return alarm_feature(alarm) if alarm else None
