"""Reads for the field tablet: an agent's crew, its ordered tasks, one task in detail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from hypervisor import geo
from hypervisor import selectors as hypervisor_selectors
from incidents.models import (
    OPEN_TASK_STATUSES,
    Crew,
    CrewMember,
    Priority,
    Task,
    TaskPhoto,
    TaskStatus,
)
from incidents.selectors.dispatch import task_blocker

PRIORITY_RANK = {Priority.EMERGENCY: 0, Priority.HIGH: 1, Priority.NORMAL: 2, Priority.LOW: 3}


def crew_of_user(*, user: User | AnonymousUser) -> Crew | None:
    if not user.is_authenticated:
        return None
    member = CrewMember.objects.filter(user=user).select_related("crew").first()
    return member.crew if member else None


def task_feature(
    task: Task, *, crew: Crew | None = None, now: datetime | None = None
) -> dict[str, Any]:
    """One task as the tablet shows it in the list and on the map."""
    now = now or timezone.now()
    incident = task.incident
    blocker = task_blocker(task=task) if task.status in OPEN_TASK_STATUSES else None
    distance = None
    if crew is not None and None not in (crew.lat, crew.lon, task.lat, task.lon):
        distance = round(geo.haversine_m(crew.lat, crew.lon, task.lat, task.lon))  # type: ignore[arg-type]
    nearest = (
        hypervisor_selectors.place_nearest(lat=task.lat, lon=task.lon)
        if task.lat is not None and task.lon is not None
        else None
    )
    return {
        "id": task.pk,
        "incident_id": incident.pk,
        # Where to go, in words: the nearest address of the gazetteer, else the commune.
        "address": nearest["label"] if nearest else "",
        "reference": incident.reference,
        "category": incident.category.label,
        "icon": incident.category.icon,
        "description": incident.description,
        "trade": task.trade.label,
        "status": task.status,
        "status_label": str(TaskStatus(task.status).label),
        "priority": incident.priority,
        "priority_label": str(Priority(incident.priority).label),
        "lat": task.lat,
        "lon": task.lon,
        "commune": incident.commune.name if incident.commune else "",
        "due_at": incident.due_at.isoformat(),
        "overdue": now >= incident.due_at,
        "distance_m": distance,
        "assignment_no": task.assignment_no,
        "blocked_by": (
            {"trade": blocker.trade.label, "reference": blocker.incident.reference}
            if blocker
            else None
        ),
    }


def _crew_tasks(crew_id: int):
    return (
        Task.objects.filter(crew_id=crew_id, status__in=OPEN_TASK_STATUSES)
        .select_related("incident__category", "incident__commune", "trade")
        .annotate(
            priority_rank=Case(
                *[When(incident__priority=p, then=Value(r)) for p, r in PRIORITY_RANK.items()],
                output_field=IntegerField(),
            )
        )
    )


def crew_task_list(*, crew: Crew, now: datetime | None = None) -> list[dict[str, Any]]:
    """The crew's open tasks in working order.

    In progress first, then by priority and deadline; a blocked task goes after the ones
    that can be done now, and sits after the task it waits for.
    """
    now = now or timezone.now()
    features = [task_feature(task, crew=crew, now=now) for task in _crew_tasks(crew.pk)]
    features.sort(
        key=lambda f: (
            f["status"] != TaskStatus.IN_PROGRESS,
            f["blocked_by"] is not None,
            PRIORITY_RANK[Priority(f["priority"])],
            f["due_at"],
            f["distance_m"] if f["distance_m"] is not None else 10**9,
            f["id"],
        )
    )
    return features


def field_snapshot(*, crew: Crew) -> dict[str, Any]:
    return {
        "type": "snapshot",
        "crew": {"id": crew.pk, "name": crew.name, "lat": crew.lat, "lon": crew.lon},
        "tasks": crew_task_list(crew=crew),
        "at": timezone.now().isoformat(),
    }


def task_for_crew(*, task_id: int, crew: Crew) -> Task | None:
    """The task, if the crew holds it now; None otherwise (another crew's task stays hidden)."""
    return (
        Task.objects.filter(pk=task_id, crew=crew)
        .select_related("incident__category", "incident__commune", "trade")
        .first()
    )


def task_detail(*, task: Task, crew: Crew) -> dict[str, Any]:
    """Location, history (incident and task steps) and photos."""
    detail = task_feature(task, crew=crew)
    detail["history"] = sorted(
        [
            {
                "at": step.at,
                "label": str(step.get_kind_display()),
                "note": step.note,
                "who": step.crew.name if step.crew else "",
            }
            for step in task.steps.select_related("crew")
        ]
        + [
            {
                "at": transition.at,
                "label": str(transition.get_to_status_display()),
                "note": transition.note,
                "who": "",
            }
            for transition in task.incident.transitions.all()
        ],
        key=lambda entry: entry["at"],
    )
    detail["photos"] = [photo.image.url for photo in task.photos.all()]
    detail["note"] = task.note
    # What the control room wrote for the crew: routing, assignment and transition notes.
    notes = [incident.routing_note] if (incident := task.incident).routing_note else []
    notes += [
        step.note
        for step in task.steps.all()
        if step.note and step.by_id is not None and step.kind in ("assigned", "reassigned")
    ]
    notes += [
        transition.note
        for transition in incident.transitions.all()
        if transition.note and transition.by_id is not None
    ]
    detail["operator_notes"] = list(dict.fromkeys(notes))
    return detail


def crew_of_user_by_crew_id(*, crew_id: int) -> Crew | None:
    return Crew.objects.filter(pk=crew_id, active=True).first()


def task_photo_exists(*, name: str) -> bool:
    """Whether `name` is the stored file of a task's photo."""
    return TaskPhoto.objects.filter(image=name).exists()
