"""The control room's actions on one incident that are not steps of its lifecycle.

Re-routing, priority, internal comments, placing an incident on the map, and the
operator's own resolution. Each is audited and publishes a typed event in the transaction,
so every open screen (control room, tablets, the reporter's tracking page) follows.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hypervisor import events
from hypervisor import selectors as hypervisor_selectors
from incidents.events import (
    IncidentCommented,
    IncidentLocated,
    IncidentPriorityChanged,
    IncidentRerouted,
)
from incidents.models import (
    OPEN_STATUSES,
    OPEN_TASK_STATUSES,
    Incident,
    IncidentNote,
    LocatedBy,
    Priority,
    Status,
    Task,
    UnroutableReason,
)
from incidents.selectors import dispatch as dispatch_selectors
from incidents.services.lifecycle import (
    PRIORITY_SEVERITY,
    _cancel_open_tasks,
    audit_incident,
    deadline_for,
    incident_move,
)
from incidents.services.work import redispatch_waiting_tasks


class ActionRefused(ValueError):
    """The operator's action cannot be done as asked; the message says why."""


def _reason(text: str, refusal: str) -> str:
    if not text.strip():
        raise ActionRefused(refusal)
    return text.strip()[:500]


def _open_incident(incident_id: int) -> Incident:
    incident = Incident.objects.select_for_update().select_related("category").get(pk=incident_id)
    if incident.status not in OPEN_STATUSES:
        raise ActionRefused(
            _("This incident is %(status)s: reopen it first.")
            % {"status": Status(incident.status).label}
        )
    return incident


def _note(incident: Incident, kind: IncidentNote.Kind, text: str, by: User) -> IncidentNote:
    note = IncidentNote(incident=incident, kind=kind, text=text[:1000], by=by)
    note.full_clean()
    note.save()
    return note


@transaction.atomic
def incident_reroute(*, incident_id: int, service_id: int, by: User, reason: str) -> Incident:
    """Give the incident to another service: its open tasks are withdrawn and dispatched again.

    Crews of the first service hear that their task is cancelled; dispatch runs again for
    the new service once this commits (the relay sweep retries it if the broker is away).
    """
    reason = _reason(reason, _("Say why the incident goes to another service."))
    incident = _open_incident(incident_id)
    if not hypervisor_selectors.service_is_active(service_id=service_id):
        raise ActionRefused(_("Choose an active service."))
    if incident.service_id == service_id:
        raise ActionRefused(_("The incident is already with this service."))
    before = hypervisor_selectors.service_name(service_id=incident.service_id)
    after = hypervisor_selectors.service_name(service_id=service_id)
    _cancel_open_tasks(incident, by, _("Re-routed to %(service)s") % {"service": after})
    incident.service_id = service_id
    incident.unroutable_reason = UnroutableReason.NONE
    incident.routed_at = incident.routed_at or timezone.now()
    incident.routing_note = (_("Re-routed by an operator: %(reason)s") % {"reason": reason})[:200]
    incident.dispatched_at = None
    incident.full_clean()
    incident.save()
    text = _("Service: %(before)s → %(after)s. %(reason)s") % {
        "before": before or _("none"),
        "after": after,
        "reason": reason,
    }
    _note(incident, IncidentNote.Kind.SERVICE, text, by)
    if incident.status != Status.ROUTED:
        incident = incident_move(incident=incident, to=Status.ROUTED, by=by, note=reason)
    audit_incident(by=by, incident=incident, action="incident.reroute", summary=text)
    events.publish(
        IncidentRerouted(
            asset_id=str(incident.pk),
            severity=PRIORITY_SEVERITY[Priority(incident.priority)],
            lat=incident.lat,
            lon=incident.lon,
            service_name=after,
            reason=reason,
        )
    )
    return incident


@transaction.atomic
def incident_priority_set(*, incident_id: int, priority: str, by: User, reason: str) -> Incident:
    """Change the priority; the deadline follows it, counted from the report (or reopening)."""
    reason = _reason(reason, _("Say why the priority changes."))
    if priority not in Priority.values:
        raise ActionRefused(_("Choose a priority."))
    incident = _open_incident(incident_id)
    if incident.priority == priority:
        raise ActionRefused(_("The incident already has this priority."))
    before = Priority(incident.priority).label
    incident.priority = priority
    incident.due_at = deadline_for(
        category=incident.category,
        priority=priority,
        opened_at=incident.reopened_at or incident.created_at,
    )
    incident.full_clean()
    incident.save()
    text = _("Priority: %(before)s → %(after)s. %(reason)s") % {
        "before": before,
        "after": Priority(priority).label,
        "reason": reason,
    }
    _note(incident, IncidentNote.Kind.PRIORITY, text, by)
    audit_incident(by=by, incident=incident, action="incident.priority", summary=text)
    events.publish(
        IncidentPriorityChanged(
            asset_id=str(incident.pk),
            severity=PRIORITY_SEVERITY[Priority(priority)],
            lat=incident.lat,
            lon=incident.lon,
            priority=priority,
            due_at=incident.due_at.isoformat(),
            reason=reason,
        )
    )
    return incident


@transaction.atomic
def incident_comment_add(*, incident_id: int, by: User, text: str) -> IncidentNote:
    """An internal comment: staff see it, the reporter never does."""
    text = text.strip()
    if not text:
        raise ActionRefused(_("Write the comment."))
    incident = Incident.objects.select_for_update().get(pk=incident_id)
    note = _note(incident, IncidentNote.Kind.COMMENT, text, by)
    audit_incident(by=by, incident=incident, action="incident.comment", summary=text[:200])
    events.publish(
        IncidentCommented(
            asset_id=str(incident.pk),
            severity=PRIORITY_SEVERITY[Priority(incident.priority)],
            lat=incident.lat,
            lon=incident.lon,
        )
    )
    return note


@transaction.atomic
def incident_resolve(*, incident_id: int, by: User, note: str) -> Incident:
    """The operator settles it (fixed by phone, by another body…): open tasks are withdrawn."""
    note = _reason(note, _("Say how the incident was resolved."))
    incident = _open_incident(incident_id)
    if incident.status == Status.NEW:
        raise ActionRefused(_("Route the incident to a service before resolving it."))
    _cancel_open_tasks(incident, by, note)
    return incident_move(incident=incident, to=Status.RESOLVED, by=by, note=note)


@transaction.atomic
def incident_locate(*, incident_id: int, lat: float, lon: float, by: User) -> Incident:
    """Place an incident on the map; routing, then dispatch, go on from there.

    A new incident is routed again (the routing of a place-less incident may have found no
    rule); tasks waiting for want of a position get it and are dispatched to the nearest
    crew of their trade.
    """
    if not hypervisor_selectors.territory_contains(lat=lat, lon=lon):
        raise ActionRefused(_("This place is outside the territory."))
    incident = _open_incident(incident_id)
    incident.lat, incident.lon = lat, lon
    incident.located_by = LocatedBy.OPERATOR
    incident.commune_id = hypervisor_selectors.routing_decide(
        category_code=incident.category.code, lat=lat, lon=lon
    ).commune_id
    if incident.status == Status.NEW:
        incident.routed_at = None  # routing runs again once this commits
        incident.unroutable_reason = UnroutableReason.NONE
    incident.full_clean()
    incident.save()
    text = _("Placed on the map at %(lat).5f, %(lon).5f") % {"lat": lat, "lon": lon}
    _note(incident, IncidentNote.Kind.LOCATION, text, by)
    audit_incident(by=by, incident=incident, action="incident.locate", summary=text)
    waiting = list(
        Task.objects.select_for_update()
        .select_related("trade", "incident")
        .filter(incident=incident, status__in=OPEN_TASK_STATUSES)
    )
    for task in waiting:
        task.lat, task.lon = lat, lon
        task.site_key = dispatch_selectors.site_key_near(
            lat=lat, lon=lon, fallback=f"incident-{incident.pk}"
        )
        task.save(update_fields=["lat", "lon", "site_key"])
    events.publish(
        IncidentLocated(
            asset_id=str(incident.pk),
            severity=PRIORITY_SEVERITY[Priority(incident.priority)],
            lat=lat,
            lon=lon,
            located_by=LocatedBy.OPERATOR,
        )
    )
    redispatch_waiting_tasks(incident=incident)
    return incident
