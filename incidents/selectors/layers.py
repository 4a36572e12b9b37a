"""Live map layers: open incidents and moving crews."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incidents.models import (
    OPEN_TASK_STATUSES,
    Availability,
    Crew,
    CrewKind,
    Priority,
    TaskStatus,
)
from incidents.selectors.public import incident_map_feature, incident_map_features


class IncidentLayer:
    """The control room's layer of open incidents; resolved and closed ones leave it."""

    name = "incidents"
    label = _("Incidents")

    @property
    def legend(self) -> dict[str, str]:
        """Markers are coloured by priority."""
        return {priority.value: str(priority.label) for priority in Priority}

    event_kinds = frozenset(
        {
            "incident.opened",
            "incident.routed",
            "incident.status_changed",
            "incident.reopened",
            "incident.sla_changed",
            "incident.rerouted",
            "incident.priority_changed",
            "incident.located",
            "task.changed",
        }
    )

    def snapshot(self) -> list[dict[str, Any]]:
        return incident_map_features()

    def vocabulary(self) -> dict[str, dict[str, Any]]:
        """Codes to words in the page's language (the live deltas carry one language)."""
        from incidents.models import Category, SlaState, Status

        return {
            "category": {
                "from": "category_code",
                "labels": {category.code: category.label for category in Category.objects.all()},
            },
            "status_label": {"from": "status", "labels": {k: str(v) for k, v in Status.choices}},
            "sla_label": {"from": "sla_state", "labels": {k: str(v) for k, v in SlaState.choices}},
        }

    def describe(self, feature: dict[str, Any]) -> str:
        """One line for lists outside the map (the crisis cell)."""
        parts = ("reference", "category", "commune", "status_label")
        return " · ".join(str(feature[key]) for key in parts if feature.get(key))

    def feature(self, asset_id: str) -> dict[str, Any] | None:
        return incident_map_feature(incident_id=asset_id)

    def feature_of(self, event: Any) -> tuple[str, dict[str, Any] | None]:
        """A task's event concerns its incident's feature (a task given back needs a person)."""
        asset_id = (
            str(event.payload.get("incident_id", event.asset_id))
            if event.kind.startswith("task.")
            else event.asset_id
        )
        return asset_id, self.feature(asset_id)


def _crew_queryset():
    return (
        Crew.objects.filter(active=True, lat__isnull=False)
        .select_related("service")
        .annotate(
            open_tasks=Count("tasks", filter=Q(tasks__status__in=OPEN_TASK_STATUSES)),
            working=Count("tasks", filter=Q(tasks__status=TaskStatus.IN_PROGRESS)),
        )
    )


_MAP_STATUS = {
    Availability.AVAILABLE: "ok",
    Availability.BUSY: "moving",
    Availability.BREAK: "warning",
    Availability.OFF: "off",
}


def crew_map_feature(crew: Crew) -> dict[str, Any]:
    stale_before = timezone.now() - timedelta(minutes=settings.INCIDENTS_POSITION_STALE_MINUTES)
    stale = crew.position_at is None or crew.position_at < stale_before
    state = str(crew.get_availability_display())
    if stale:
        state = _("%(state)s, position out of date") % {"state": state}
    return {
        "id": str(crew.pk),
        "lat": crew.lat,
        "lon": crew.lon,
        "name": crew.name,
        # A status the map colours: a crew whose position is old may be anywhere.
        "status": "comm_lost" if stale else _MAP_STATUS[Availability(crew.availability)],
        "kind": crew.kind,
        "kind_label": str(crew.get_kind_display()),
        "availability": crew.availability,
        "availability_label": str(crew.get_availability_display()),
        "service": crew.service.name if crew.service else "",
        "open_tasks": getattr(crew, "open_tasks", 0),
        "position_at": crew.position_at.isoformat() if crew.position_at else None,
        "stale": stale,
        # What the popup says: the crew's own state, in words, not the map's colour code.
        "popup": [
            [str(_("State")), state],
            [str(_("Kind")), str(crew.get_kind_display())],
            [str(_("Service")), crew.service.name if crew.service else ""],
            [str(_("Open tasks")), str(getattr(crew, "open_tasks", 0))],
        ],
    }


class CrewLayer:
    """Crews and patrols with a known position; they move as their tablets report."""

    name = "crews"
    label = _("Crews")

    @property
    def legend(self) -> dict[str, str]:
        """The map status of `crew_map_feature`, in the order crews are listed."""
        return {
            **{_MAP_STATUS[availability]: str(availability.label) for availability in Availability},
            "comm_lost": str(_("Position out of date")),
        }

    event_kinds = frozenset({"crew.moved", "crew.availability_changed"})

    def snapshot(self) -> list[dict[str, Any]]:
        return [crew_map_feature(crew) for crew in _crew_queryset().order_by("name")]

    def vocabulary(self) -> dict[str, dict[str, Any]]:
        return {
            "availability_label": {
                "from": "availability",
                "labels": {k: str(v) for k, v in Availability.choices},
            },
            "kind_label": {"from": "kind", "labels": {k: str(v) for k, v in CrewKind.choices}},
        }

    def describe(self, feature: dict[str, Any]) -> str:
        parts = ("name", "service", "availability_label")
        return " · ".join(str(feature[key]) for key in parts if feature.get(key))

    def feature(self, asset_id: str) -> dict[str, Any] | None:
        crew = _crew_queryset().filter(pk=asset_id).first()
        return crew_map_feature(crew) if crew else None
