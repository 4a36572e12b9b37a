"""Crews drive to their tasks and carry them out, so the demo map and tablets live."""

from __future__ import annotations

import contextlib
import random
import uuid
from datetime import datetime

from hypervisor import geo
from incidents import services
from incidents.models import Crew, CrewMember, Task, TaskStatus

SPEED_M_PER_S = 8.0  # a van in town
ARRIVED_M = 30.0
# Chance per simulated minute that a crew on site finishes its task.
FINISH_PER_MINUTE = 0.08


def _next_task(crew: Crew) -> Task | None:
    return (
        Task.objects.filter(
            crew=crew, status__in=(TaskStatus.IN_PROGRESS, TaskStatus.ASSIGNED, TaskStatus.PAUSED)
        )
        .exclude(lat__isnull=True)
        .select_related("incident", "trade")
        .order_by("-status", "incident__due_at")
        .first()
    )


def _agent_of(crew: Crew) -> object | None:
    member = CrewMember.objects.filter(crew=crew).exclude(user__username="agent").first()
    return member.user if member else None


def _act(crew: Crew, task: Task, kind: str, note: str = "") -> None:
    agent = _agent_of(crew)
    if agent is None:
        return
    # Refused when blocked behind another trade: the crew waits on site.
    with contextlib.suppress(services.FieldActionRefused):
        services.field_action_apply(
            action_id=uuid.uuid4(), user=agent, task_id=task.pk, kind=kind, note=note
        )


def tick(*, now: datetime, elapsed: float, rng: random.Random) -> None:
    """Move crews with work towards it; on site, start and sometimes finish."""
    # The demo user's crew is left alone: a person drives it from the tablet.
    crews = (
        Crew.objects.filter(
            active=True,
            lat__isnull=False,
            tasks__status__in=(TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS, TaskStatus.PAUSED),
        )
        .exclude(members__user__username="agent")
        .distinct()
    )
    for crew in crews:
        task = _next_task(crew)
        if task is None or task.lat is None or task.lon is None:
            continue
        distance = geo.haversine_m(crew.lat, crew.lon, task.lat, task.lon)  # type: ignore[arg-type]
        if distance > ARRIVED_M:
            step = min(1.0, SPEED_M_PER_S * elapsed / distance)
            lat = crew.lat + (task.lat - crew.lat) * step  # type: ignore[operator]
            lon = crew.lon + (task.lon - crew.lon) * step  # type: ignore[operator]
            services.crew_position_report(crew_id=crew.pk, lat=lat, lon=lon, at=now)
            continue
        if task.status != TaskStatus.IN_PROGRESS:
            _act(crew, task, "start")
        elif rng.random() < 1 - (1 - FINISH_PER_MINUTE) ** (elapsed / 60):
            _act(crew, task, "done", note="Intervention terminée")
