"""The control room's layer of open alarms (root causes, with their consequence count)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from hypervisor.models import Alarm, AlarmState, Commune, Severity
from hypervisor.registry import AssetPlace, registry


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


def _places(alarms: Iterable[Alarm]) -> dict[tuple[str, str], AssetPlace]:
    """The place of each alarm's asset, asked of the app that owns the asset type."""
    wanted: dict[str, list[str]] = defaultdict(list)
    for alarm in alarms:
        wanted[alarm.asset_type].append(alarm.asset_id)
    places: dict[tuple[str, str], AssetPlace] = {}
    for asset_type, ids in wanted.items():
        kind = registry.asset_kind(asset_type)
        if kind is not None:
            for asset_id, place in kind.describe(ids).items():
                places[(asset_type, asset_id)] = place
    return places


def _count_words(asset_type: str, count: int) -> str:
    kind = registry.asset_kind(asset_type)
    if kind is not None:
        return kind.count(count)
    return ngettext("%(n)d piece of equipment", "%(n)d pieces of equipment", count) % {"n": count}


def _consequences(roots: list[Alarm]) -> dict[int, str]:
    """'+ 37 lamps' per root alarm: its open consequences, counted by asset type."""
    counts: dict[int, list[str]] = defaultdict(list)
    rows = (
        Alarm.objects.filter(parent__in=[root.pk for root in roots])
        .exclude(state=AlarmState.CLEARED)
        .values_list("parent_id", "asset_type")
        .annotate(n=Count("pk"))
        .order_by("parent_id", "asset_type")
    )
    for parent_id, asset_type, count in rows:
        counts[parent_id].append("+ " + _count_words(asset_type, count))
    return {parent_id: ", ".join(parts) for parent_id, parts in counts.items()}


def alarm_features(alarms: list[Alarm]) -> list[dict[str, Any]]:
    """Alarm rows as the operator reads them: the asset named, its consequences in words."""
    places = _places(alarms)
    insees = {place.commune_insee for place in places.values() if place.commune_insee}
    communes = dict(Commune.objects.filter(insee__in=insees).values_list("insee", "name"))
    consequences = _consequences(alarms)
    features = []
    for alarm in alarms:
        feature = alarm_feature(alarm)
        place = places.get((alarm.asset_type, alarm.asset_id))
        if place is not None:
            feature.update(
                asset_name=place.name,
                asset_street=place.street,
                asset_commune=communes.get(place.commune_insee, ""),
            )
        feature["consequences_label"] = consequences.get(alarm.pk, "")
        kind = registry.asset_kind(alarm.asset_type)
        feature["asset_kind_label"] = str(kind.label) if kind is not None else ""
        features.append(feature)
    return features


def alarm_feature(alarm: Alarm) -> dict[str, Any]:
    acknowledged_by = alarm.acknowledged_by
    return {
        "id": str(alarm.pk),
        "lat": alarm.lat,
        "lon": alarm.lon,
        "kind": alarm.kind,
        "title": alarm.title,
        "asset": alarm.asset_ref,
        "asset_type": alarm.asset_type,
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
        "acknowledgement_comment": alarm.acknowledgement_comment,
        "asset_name": "",
        "asset_kind_label": "",
        "asset_street": "",
        "asset_commune": "",
        "consequences_label": "",
        "escalation_stage": alarm.escalation_stage,
        "suppressed_reason": alarm.suppressed_reason,
    }


def asset_name_in_words(feature: dict[str, Any]) -> str:
    """ "Light point LP-0042" for equipment known by its reference, the name otherwise."""
    name, reference = feature["asset_name"], feature["asset"].split(":", 1)[-1]
    if not name:
        return feature["asset"]
    if name == reference and feature.get("asset_kind_label"):
        return f"{feature['asset_kind_label']} {name}"
    return name


def _choices(choices: Iterable[tuple[str, Any]]) -> dict[str, str]:
    return {code: str(label) for code, label in choices}


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
        return alarm_features(list(_open_roots().order_by("raised_at")))

    def vocabulary(self) -> dict[str, dict[str, Any]]:
        from django.utils.translation import get_language

        from hypervisor.models import AlarmRule, AlarmState, Severity

        english = (get_language() or "fr").startswith("en")
        titles = {
            kind: (title_en if english and title_en else title_fr)
            for kind, title_fr, title_en in AlarmRule.objects.filter(
                action=AlarmRule.Action.RAISE
            ).values_list("alarm_kind", "title_fr", "title_en")
            if title_fr or title_en
        }
        kinds = {
            asset_type: str(kind.label)
            for asset_type in registry.asset_types()
            if (kind := registry.asset_kind(asset_type)) is not None and kind.label
        }
        return {
            "title": {"from": "kind", "labels": titles},
            "asset_kind_label": {"from": "asset_type", "labels": kinds},
            "severity_label": {"from": "severity", "labels": _choices(Severity.choices)},
            "state_label": {"from": "state", "labels": _choices(AlarmState.choices)},
        }

    def describe(self, feature: dict[str, Any]) -> str:
        place = [asset_name_in_words(feature), feature["asset_street"]]
        parts = [feature["title"], *place, feature["asset_commune"], feature["state_label"]]
        return " · ".join(part for part in parts if part)

    def feature(self, asset_id: str) -> dict[str, Any] | None:
        alarm = _open_roots().filter(pk=asset_id).first()
        return alarm_features([alarm])[0] if alarm else None
