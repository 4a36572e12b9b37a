"""Short reads other apps need about services and alarms, and the operator's alarm search."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q

from hypervisor.models import Alarm, AlarmState, Commune, Service

ALARM_SEARCH_LIMIT = 200


def service_options() -> list[dict[str, Any]]:
    """Active services, by name: the choices of a re-routing."""
    return [
        {"id": pk, "name": name}
        for pk, name in Service.objects.filter(active=True).values_list("pk", "name")
    ]


def commune_options() -> list[dict[str, Any]]:
    """Communes by name (id and name only: boundaries stay in the database)."""
    return [
        {"id": pk, "name": name}
        for pk, name in Commune.objects.order_by("name").values_list("pk", "name")
    ]


def service_is_active(*, service_id: int) -> bool:
    return Service.objects.filter(pk=service_id, active=True).exists()


def service_name(*, service_id: int | None) -> str:
    if service_id is None:
        return ""
    return Service.objects.filter(pk=service_id).values_list("name", flat=True).first() or ""


def _alarm_row(alarm: Alarm) -> dict[str, Any]:
    return {
        "id": alarm.pk,
        "title": alarm.title,
        "kind": alarm.kind,
        "asset": alarm.asset_ref,
        "severity": alarm.severity,
        "severity_label": str(alarm.get_severity_display()),
        "state": alarm.state,
        "state_label": str(alarm.get_state_display()),
        "raised_at": alarm.raised_at,
        "acknowledged_by": (
            (alarm.acknowledged_by.get_full_name() or alarm.acknowledged_by.get_username())
            if alarm.acknowledged_by
            else ""
        ),
    }


def alarm_brief(*, alarm_id: int | None) -> dict[str, Any] | None:
    """An alarm as a line of another record (the incident it opened, say)."""
    if alarm_id is None:
        return None
    alarm = Alarm.objects.select_related("acknowledged_by").filter(pk=alarm_id).first()
    return _alarm_row(alarm) if alarm else None


def alarm_search(
    *,
    text: str = "",
    severity: str = "",
    state: str = "",
    since: datetime | None = None,
    limit: int = ALARM_SEARCH_LIMIT,
) -> list[dict[str, Any]]:
    """Alarms by words of their title or asset, severity and state, newest first.

    State "open" means active or acknowledged (not cleared yet).
    """
    alarms = Alarm.objects.select_related("acknowledged_by")
    for word in text.split()[:6]:
        alarms = alarms.filter(
            Q(title__icontains=word) | Q(asset_id__icontains=word) | Q(kind__icontains=word)
        )
    if severity:
        alarms = alarms.filter(severity=severity)
    if state == "open":
        alarms = alarms.exclude(state=AlarmState.CLEARED)
    elif state:
        alarms = alarms.filter(state=state)
    if since is not None:
        alarms = alarms.filter(raised_at__gte=since)
    found = list(alarms.order_by("-raised_at", "-pk")[:limit])
    # Read as the alarm panel reads them: the title in the page's language (it is stored in
    # the language it was raised in), the equipment by its name and place, not its id.
    from hypervisor.alarm_layer import AlarmLayer, alarm_features, asset_name_in_words

    titles = AlarmLayer().vocabulary()["title"]["labels"]
    features = {feature["id"]: feature for feature in alarm_features(found)}
    rows = []
    for alarm in found:
        feature = features[str(alarm.pk)]
        place = [asset_name_in_words(feature), feature["asset_street"], feature["asset_commune"]]
        rows.append(
            _alarm_row(alarm)
            | {
                "title": titles.get(alarm.kind, alarm.title),
                "asset_label": " · ".join(part for part in place if part),
            }
        )
    return rows
