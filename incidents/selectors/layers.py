"""Live map layers: open incidents and moving crews."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incidents.models import OPEN_TASK_STATUSES, Availability, Crew, TaskStatus
from incidents.selectors.public import incident_map_feature, incident_map_features


class IncidentLayer:
    """The control room's layer of open incidents; resolved and closed ones leave it."""

    name = "incidents"
    label = _("Incidents")
    event_kinds = frozenset(
        {
            "incident.opened",
            "incident.routed",
            "incident.status_changed",
            "incident.reopened",
            "incident.sla_changed",
        }
    )

    def snapshot(self) -> list[dict[str, Any]]:
        return incident_map_features()

    def feature(self, asset_id: str) -> dict[str, Any] | None:
        return incident_map_feature(incident_id=asset_id)


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
    event_kinds = frozenset({"crew.moved", "crew.availability_changed"})

    def snapshot(self) -> list[dict[str, Any]]:
        return [crew_map_feature(crew) for crew in _crew_queryset().order_by("name")]

    def feature(self, asset_id: str) -> dict[str, Any] | None:
        crew = _crew_queryset().filter(pk=asset_id).first()
        return crew_map_feature(crew) if crew else None
