"""Reads on incidents, for views, the live map and other apps."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from incidents.models import (
    OPEN_STATUSES,
    Category,
    Incident,
    Status,
    Task,
    TaskStatus,
    Transition,
)


def category_options() -> list[dict[str, str]]:
    """Active categories as the report form shows them (label in the current language)."""
    return [
        {"code": category.code, "label": category.label, "icon": category.icon}
        for category in Category.objects.filter(active=True)
    ]


def category_codes_active() -> set[str]:
    return set(Category.objects.filter(active=True).values_list("code", flat=True))


def _attention(incident_ids: list[int]) -> dict[int, str]:
    """Incident id → why a task of it waits for an operator (a crew gave it back, say)."""
    rows = Task.objects.filter(
        incident_id__in=incident_ids,
        status=TaskStatus.PENDING,
        needs_operator=True,
        crew__isnull=True,
    ).values_list("incident_id", "operator_note")
    found: dict[int, str] = {}
    for incident_id, note in rows:
        found.setdefault(incident_id, note)
    return found


def _map_feature(incident: Incident, attention: str = "") -> dict[str, Any]:
    return {
        "id": str(incident.pk),
        "lat": incident.lat,
        "lon": incident.lon,
        "reference": incident.reference,
        "category": incident.category.label,
        "category_code": incident.category.code,
        "icon": incident.category.icon,
        "status": incident.status,
        "status_label": str(incident.get_status_display()),
        "priority": incident.priority,
        "service": incident.service.name if incident.service else "",
        "commune": incident.commune.name if incident.commune else "",
        "routing_note": incident.routing_note,
        "unroutable": str(incident.get_unroutable_reason_display())
        if incident.unroutable_reason
        else "",
        "reopened": incident.reopen_count > 0,
        "sla_state": incident.sla_state,
        "sla_label": str(incident.get_sla_state_display()),
        "created_at": incident.created_at.isoformat(),
        "due_at": incident.due_at.isoformat(),
        # Set when a person must act (a task given back, no crew found), with the reason.
        "attention": attention,
    }


def _map_queryset() -> QuerySet[Incident]:
    return Incident.objects.select_related("category", "service", "commune").filter(
        status__in=OPEN_STATUSES, lat__isnull=False
    )


def incident_map_features() -> list[dict[str, Any]]:
    """Open, located incidents for the control-room map."""
    incidents = list(_map_queryset().order_by("created_at"))
    attention = _attention([incident.pk for incident in incidents])
    return [_map_feature(incident, attention.get(incident.pk, "")) for incident in incidents]


def incident_map_feature(*, incident_id: str) -> dict[str, Any] | None:
    """One incident as the map shows it; None once it is no longer open."""
    incident = _map_queryset().filter(pk=incident_id).first()
    if incident is None:
        return None
    return _map_feature(incident, _attention([incident.pk]).get(incident.pk, ""))


def _history_step(step: Transition) -> dict[str, Any]:
    # Leaving *resolved* for more work is a reopening, whatever status it lands in.
    if step.from_status == Status.RESOLVED and step.to_status in OPEN_STATUSES:
        return {"status": "reopened", "label": _("Reopened"), "at": step.at}
    return {"status": step.to_status, "label": Status(step.to_status).label, "at": step.at}


def _reason(incident: Incident) -> str:
    """Why the incident stopped, in plain words for the reporter; empty when it did not.

    Rejections and cancellations carry the operator's reason, written for the reporter;
    a duplicate names the incident that carries the work and where that one stands.
    """
    if incident.status in (Status.REJECTED, Status.CANCELLED):
        return incident.status_reason
    if incident.status == Status.DUPLICATE and incident.master is not None:
        return _(
            "The same problem had already been reported (reference %(reference)s); "
            "the work is followed there. It is now: %(status)s."
        ) % {
            "reference": incident.master.reference,
            "status": Status(incident.master.status).label,
        }
    return ""


def incident_public_view(*, incident_id: int) -> dict[str, Any] | None:
    """What the reporter may see: status and its history, no personal data, no free text.

    The only text shown is the reason a rejection or a cancellation gives the reporter.
    """
    incident = (
        Incident.objects.select_related("category", "commune", "master")
        .filter(pk=incident_id)
        .first()
    )
    if incident is None:
        return None
    return _public_view(incident)


def incident_public_views(*, incident_ids: list[int]) -> dict[int, dict[str, Any]]:
    """`incident_public_view` of many incidents in three queries (Open311 lists)."""
    incidents = (
        Incident.objects.select_related("category", "commune", "master")
        .prefetch_related("transitions")
        .filter(pk__in=incident_ids)
    )
    return {incident.pk: _public_view(incident) for incident in incidents}


def _public_view(incident: Incident) -> dict[str, Any]:
    return {
        "reference": incident.reference,
        "category": incident.category.label,
        "icon": incident.category.icon,
        "status": incident.status,
        "status_label": incident.get_status_display(),
        "commune": incident.commune.name if incident.commune else "",
        "created_at": incident.created_at,
        "is_open": incident.status in OPEN_STATUSES,
        "reopened": incident.reopen_count > 0,
        "reason": _reason(incident),
        "history": [_history_step(step) for step in incident.transitions.all()],
    }


def incident_reporter_view(*, incident_id: int, hidden_too: bool = False) -> dict[str, Any]:
    """What the reporter's tracking page adds to the public view, and the closing.

    The place, the expected date when the category has a deadline and the work is open,
    and, once a crew finished, its closing note and after-photos unless an operator hid
    them (`hidden_too` lists them anyway, flagged, for the moderation screen).
    """
    incident = Incident.objects.select_related("category").filter(pk=incident_id).first()
    if incident is None:
        return {}
    done = (
        incident.tasks.filter(status="done")
        .exclude(done_at__isnull=True)
        .order_by("-done_at")
        .prefetch_related("photos")
        .first()
    )
    closing: dict[str, Any] | None = None
    if done is not None:
        photos = [
            {"id": photo.pk, "url": photo.image.url, "hidden": photo.hidden}
            for photo in done.photos.all()
            if hidden_too or not photo.hidden
        ]
        note = done.note if (hidden_too or not done.note_hidden) else ""
        closing = {
            "task_id": done.pk,
            "note": note,
            "note_hidden": done.note_hidden,
            "photos": photos,
            "at": done.done_at,
        }
    has_deadline = incident.category.sla_minutes > 0
    return {
        "lat": incident.lat,
        "lon": incident.lon,
        "description": incident.description,
        "expected_at": incident.due_at
        if has_deadline and incident.status in OPEN_STATUSES
        else None,
        "closing": closing,
    }


def incident_status_of(*, incident_id: int) -> str | None:
    return Incident.objects.filter(pk=incident_id).values_list("status", flat=True).first()
