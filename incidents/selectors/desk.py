"""What the control room reads about incidents: one incident in full, searches, queues."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hypervisor import geo
from hypervisor import selectors as hypervisor_selectors
from incidents.models import (
    OPEN_STATUSES,
    OPEN_TASK_STATUSES,
    Category,
    Crew,
    CrewKind,
    Incident,
    Status,
    Task,
    TaskStep,
)
from incidents.selectors.dispatch import crew_is_on_shift
from incidents.selectors.sections import detail_sections

SEARCH_LIMIT = 200
POLICE_TRADE = "police"
_NOT_REFERENCE = re.compile(r"[^0-9A-Z]")


@dataclass(frozen=True)
class CrewOption:
    """A crew the operator may choose for a task; off-shift ones are listed, then refused."""

    crew_id: int
    name: str
    service: str
    availability: str
    distance_m: float | None
    on_shift: bool
    queued: int


def crew_options(*, task: Task) -> list[CrewOption]:
    """Every active crew of the task's trade: on shift first, then nearest, then by name.

    Unlike automatic dispatch, no radius and no service: the operator may send anyone.
    Crews without a known position, or tasks without one, come after those with a distance.
    """
    kind = CrewKind.PATROL if task.trade.code == POLICE_TRADE else CrewKind.CREW
    crews = (
        Crew.objects.filter(active=True, kind=kind, trades=task.trade)
        .select_related("service")
        .distinct()
    )
    now = timezone.now()
    options = []
    for crew in crews:
        distance = None
        if None not in (task.lat, task.lon, crew.lat, crew.lon):
            distance = geo.haversine_m(task.lat, task.lon, crew.lat, crew.lon)  # type: ignore[arg-type]
        options.append(
            CrewOption(
                crew_id=crew.pk,
                name=crew.name,
                service=crew.service.name if crew.service else "",
                availability=str(crew.get_availability_display()),
                distance_m=round(distance, 1) if distance is not None else None,
                on_shift=crew_is_on_shift(crew_id=crew.pk, now=now),
                queued=crew.tasks.filter(status__in=OPEN_TASK_STATUSES).count(),
            )
        )
    options.sort(
        key=lambda option: (
            not option.on_shift,
            option.distance_m is None,
            option.distance_m or 0.0,
            option.name,
        )
    )
    return options


def _person(user: Any) -> str:
    if user is None:
        return _("system")
    return user.get_full_name() or user.get_username()


def duration_label(minutes: int) -> str:
    """A duration as people read a deadline: "45 min", "3 h 05 min", "2 d 4 h"."""
    minutes = abs(minutes)
    if minutes < 60:
        return _("%(m)d min") % {"m": minutes}
    hours, rest = divmod(minutes, 60)
    if hours < 24:
        return _("%(h)d h %(m)02d min") % {"h": hours, "m": rest}
    days, hours = divmod(hours, 24)
    return _("%(d)d d %(h)d h") % {"d": days, "h": hours}


def _time_left(incident: Incident) -> dict[str, Any]:
    now = timezone.now()
    minutes = math.floor((incident.due_at - now).total_seconds() / 60)
    running = incident.status in OPEN_STATUSES
    return {
        "minutes": minutes,
        "overdue": running and minutes < 0,
        "running": running,
        "label": duration_label(minutes),
    }


def _history(incident: Incident) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    for step in incident.transitions.select_related("by"):
        label = (
            _("Reopened")
            if step.from_status == Status.RESOLVED and step.to_status in OPEN_STATUSES
            else Status(step.to_status).label
        )
        entries.append({"at": step.at, "by": _person(step.by), "what": label, "note": step.note})
    for note in incident.notes.select_related("by"):
        entries.append(
            {
                "at": note.at,
                "by": _person(note.by),
                "what": note.get_kind_display(),
                "note": note.text,
            }
        )
    for task_step in (
        TaskStep.objects.filter(task__incident=incident)
        .select_related("by", "crew", "task__trade")
        .exclude(kind="created")
    ):
        what = f"{task_step.task.trade.label}: {task_step.get_kind_display()}"
        if task_step.crew:
            what += f" — {task_step.crew.name}"
        entries.append(
            {"at": task_step.at, "by": _person(task_step.by), "what": what, "note": task_step.note}
        )
    entries.sort(key=lambda entry: entry["at"])
    return entries


def _task_row(task: Task) -> dict[str, Any]:
    open_task = task.status in OPEN_TASK_STATUSES
    return {
        "id": task.pk,
        "trade": task.trade.label,
        "status": task.status,
        "status_label": str(task.get_status_display()),
        "crew": task.crew.name if task.crew else "",
        "crew_id": task.crew_id,
        "needs_operator": task.needs_operator,
        "operator_note": task.operator_note,
        "open": open_task,
        "options": crew_options(task=task) if open_task else [],
        "photos": [photo.image.url for photo in task.photos.all()],
        "note": task.note,
    }


def incident_detail(*, incident_id: int) -> dict[str, Any] | None:
    """Everything the operator needs to act on one incident, or None if there is no such one."""
    incident = (
        Incident.objects.select_related("category", "service", "commune", "master")
        .filter(pk=incident_id)
        .first()
    )
    if incident is None:
        return None
    tasks = [
        _task_row(task)
        for task in incident.tasks.select_related("trade", "crew").prefetch_related("photos")
    ]
    duplicates = [
        {"id": pk, "reference": reference, "status": Status(status).label}
        for pk, reference, status in incident.duplicates.values_list("pk", "reference", "status")
    ]
    return {
        "id": incident.pk,
        "reference": incident.reference,
        "description": incident.description,
        "category": incident.category.label,
        "icon": incident.category.icon,
        "status": incident.status,
        "status_label": str(incident.get_status_display()),
        "open": incident.status in OPEN_STATUSES,
        "resolved": incident.status == Status.RESOLVED,
        "priority": incident.priority,
        "priority_label": str(incident.get_priority_display()),
        "source_label": str(incident.get_source_display()),
        "service": incident.service.name if incident.service else "",
        "service_id": incident.service_id,
        "routing_note": incident.routing_note,
        "unroutable": str(incident.get_unroutable_reason_display())
        if incident.unroutable_reason
        else "",
        "commune": incident.commune.name if incident.commune else "",
        "address": incident.address,
        "lat": incident.lat,
        "lon": incident.lon,
        "located": incident.lat is not None and incident.lon is not None,
        "located_by": incident.located_by,
        "located_by_label": str(incident.get_located_by_display()),
        "created_at": incident.created_at,
        "due_at": incident.due_at,
        "time_left": _time_left(incident),
        "sla_label": str(incident.get_sla_state_display()),
        "reopen_count": incident.reopen_count,
        "status_reason": incident.status_reason,
        "history": _history(incident),
        "tasks": tasks,
        "attention": [task for task in tasks if task["needs_operator"] and task["open"]],
        "master": (
            {"id": incident.master.pk, "reference": incident.master.reference}
            if incident.master
            else None
        ),
        "duplicates": duplicates,
        "alarm": hypervisor_selectors.alarm_brief(alarm_id=incident.alarm_id),
        "sections": detail_sections(incident_id=incident.pk),
    }


def reference_text(value: str) -> str:
    """A reference as typed over the phone ("7k3 m9 pq") as stored ("7K3M9PQ")."""
    return _NOT_REFERENCE.sub("", value.upper())


def incident_search(
    *,
    text: str = "",
    commune_id: int | None = None,
    category_code: str = "",
    service_id: int | None = None,
    status: str = "",
    overdue: bool = False,
    limit: int = SEARCH_LIMIT,
) -> QuerySet[Incident]:
    """Incidents by reference (spaces ignored), words of the address or description, and filters.

    `status` "open" keeps the open statuses, "to_locate" the open ones without a position.
    """
    incidents = Incident.objects.select_related("category", "service", "commune")
    text = text.strip()
    if text:
        reference = reference_text(text)
        words = Q()
        for word in text.split()[:6]:
            words &= Q(address__icontains=word) | Q(description__icontains=word)
        condition = words
        if 3 <= len(reference) <= 12:
            condition |= Q(reference__startswith=reference)
        incidents = incidents.filter(condition)
    if commune_id is not None:
        incidents = incidents.filter(commune_id=commune_id)
    if category_code:
        incidents = incidents.filter(category__code=category_code)
    if service_id is not None:
        incidents = incidents.filter(service_id=service_id)
    if status == "open":
        incidents = incidents.filter(status__in=OPEN_STATUSES)
    elif status == "to_locate":
        incidents = incidents.filter(status__in=OPEN_STATUSES, lat__isnull=True)
    elif status:
        incidents = incidents.filter(status=status)
    if overdue:
        incidents = incidents.filter(status__in=OPEN_STATUSES, due_at__lt=timezone.now())
    return incidents.order_by("-created_at", "-pk")[:limit]


def incidents_to_locate() -> QuerySet[Incident]:
    """Open incidents with no position: nothing can be dispatched until someone places them."""
    return (
        Incident.objects.select_related("category")
        .filter(status__in=OPEN_STATUSES, lat__isnull=True)
        .order_by("due_at", "pk")
    )


def search_choices() -> dict[str, Any]:
    """The filters' options: communes, categories, services, statuses."""
    return {
        "communes": hypervisor_selectors.commune_options(),
        "categories": [
            {"code": category.code, "label": category.label}
            for category in Category.objects.filter(active=True)
        ],
        "services": hypervisor_selectors.service_options(),
        "statuses": [{"code": "open", "label": _("Open")}]
        + [{"code": code, "label": label} for code, label in Status.choices]
        + [{"code": "to_locate", "label": _("To locate")}],
    }


def task_of_incident(*, incident_id: int, task_id: int | None) -> int:
    """The task's id if it belongs to the incident; a task of another one does not exist here."""
    if task_id is None or not Task.objects.filter(pk=task_id, incident_id=incident_id).exists():
        raise Task.DoesNotExist
    return task_id


def incident_id_by_reference(*, reference: str) -> int | None:
    """The incident with this reference, however it was typed (spaces, case)."""
    return (
        Incident.objects.filter(reference=reference_text(reference))
        .values_list("pk", flat=True)
        .first()
    )


def incident_id_for_alarm(*, alarm_id: int) -> int | None:
    """The latest incident an alarm opened (a procedure's dispatch step), if any."""
    return (
        Incident.objects.filter(alarm_id=alarm_id)
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
