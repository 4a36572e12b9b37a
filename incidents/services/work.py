"""Work orders: dispatching an incident's tasks to crews, and the operator's override."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from hypervisor import events
from incidents.events import TaskChanged
from incidents.models import (
    OPEN_TASK_STATUSES,
    Crew,
    CrewKind,
    Incident,
    Priority,
    Status,
    Task,
    TaskStatus,
    TaskStep,
    Trade,
)
from incidents.selectors import dispatch as dispatch_selectors
from incidents.services.lifecycle import (
    PRIORITY_SEVERITY,
    audit_incident,
    incident_move,
    incident_route,
)

POLICE_TRADE = "police"
URGENT = (Priority.EMERGENCY, Priority.HIGH)


class CrewOffShift(ValueError):
    """The crew is not on shift (any more): assigning it would leave the task unattended."""


class TaskClosed(ValueError):
    """The task is done or cancelled: it cannot be assigned again."""


def task_publish(*, task: Task, crew_ids: list[int]) -> None:
    """Tell the control room and the tablets of these crews that the task changed."""
    events.publish(
        TaskChanged(
            asset_id=str(task.pk),
            severity=PRIORITY_SEVERITY[Priority(task.incident.priority)],
            lat=task.lat,
            lon=task.lon,
            incident_id=task.incident_id,
            status=task.status,
            crew_ids=sorted({crew_id for crew_id in crew_ids if crew_id}),
        )
    )


def _give_to(task: Task, crew_id: int, by: User | None, note: str = "") -> None:
    previous = task.crew_id
    task.crew_id = crew_id
    task.status = TaskStatus.ASSIGNED
    task.assignment_no += 1
    task.assigned_at = timezone.now()
    task.needs_operator = False
    task.operator_note = ""
    task.full_clean()
    task.save()
    TaskStep.objects.create(
        task=task,
        kind=TaskStep.Kind.ASSIGNED,
        crew_id=crew_id,
        by=by if by is not None and by.is_authenticated else None,
        note=note[:500],
    )
    task_publish(task=task, crew_ids=[crew_id, previous] if previous else [crew_id])


def _ask_operator(task: Task, note: str) -> None:
    task.needs_operator = True
    task.operator_note = note[:500]
    task.save(update_fields=["needs_operator", "operator_note"])
    task_publish(task=task, crew_ids=[])


def _new_task(incident: Incident, trade: Trade) -> Task:
    task = Task(
        incident=incident,
        trade=trade,
        lat=incident.lat,
        lon=incident.lon,
        site_key=dispatch_selectors.site_key_near(
            lat=incident.lat, lon=incident.lon, fallback=f"incident-{incident.pk}"
        ),
    )
    task.full_clean()
    task.save()
    TaskStep.objects.create(task=task, kind=TaskStep.Kind.CREATED)
    return task


def _dispatch_task(task: Task, *, kind: CrewKind, service_id: int | None) -> bool:
    if task.lat is None or task.lon is None:
        _ask_operator(task, _("No location: choose a crew."))
        return False
    candidates = dispatch_selectors.crew_candidates(
        lat=task.lat, lon=task.lon, trade_code=task.trade.code, kind=kind, service_id=service_id
    ) or dispatch_selectors.crew_candidates(  # another service's crew with the trade
        lat=task.lat, lon=task.lon, trade_code=task.trade.code, kind=kind
    )
    if not candidates:
        _ask_operator(task, _("No available crew with this trade on shift nearby."))
        return False
    best = candidates[0]
    _give_to(
        task,
        best.crew_id,
        None,
        _("Nearest available crew (%(km).1f km)") % {"km": best.distance_m / 1000},
    )
    return True


@transaction.atomic
def incident_dispatch(*, incident_id: int) -> Incident:
    """Create the incident's tasks and give each to the nearest suitable crew; runs once.

    An urgent safety incident also gets the nearest municipal-police patrol. A task no crew
    can take waits in the operator queue with the reason.
    """
    incident = Incident.objects.select_for_update().select_related("category").get(pk=incident_id)
    if incident.status != Status.ROUTED or incident.dispatched_at is not None:
        return incident
    incident.dispatched_at = timezone.now()
    incident.save(update_fields=["dispatched_at"])
    assigned = False
    trades = list(incident.category.trades.order_by("precedence", "code"))
    for trade in trades:
        task = _new_task(incident, trade)
        patrol = trade.code == POLICE_TRADE
        assigned |= _dispatch_task(
            task,
            kind=CrewKind.PATROL if patrol else CrewKind.CREW,
            service_id=None if patrol else incident.service_id,
        )
    if incident.category.safety and incident.priority in URGENT:
        police = Trade.objects.filter(code=POLICE_TRADE).first()
        if police is not None and police not in trades:
            task = _new_task(incident, police)
            assigned |= _dispatch_task(task, kind=CrewKind.PATROL, service_id=None)
    if assigned:
        incident_move(incident=incident, to=Status.ASSIGNED, note=_("Dispatched to crews"))
    return incident


def redispatch_waiting_tasks(*, incident: Incident) -> int:
    """Dispatch again the incident's tasks that wait for a crew (after it got a position).

    Runs inside the caller's transaction on a locked incident; returns how many found a crew.
    """
    waiting = Task.objects.select_for_update().select_related("trade", "incident")
    assigned = 0
    for task in waiting.filter(incident=incident, status=TaskStatus.PENDING, crew__isnull=True):
        patrol = task.trade.code == POLICE_TRADE
        assigned += _dispatch_task(
            task,
            kind=CrewKind.PATROL if patrol else CrewKind.CREW,
            service_id=None if patrol else incident.service_id,
        )
    if assigned and incident.status == Status.ROUTED:
        incident_move(incident=incident, to=Status.ASSIGNED, note=_("Dispatched to crews"))
    return assigned


def incident_route_and_dispatch(*, incident_id: int) -> Incident:
    """Route, then dispatch at once: the crew hears of it without a second trip to the queue.

    Two transactions on purpose: the routing decision commits (and reaches the control
    room) even if dispatch fails; the dispatch left undone is then handed over again by the
    sweep. Both steps do nothing the second time.
    """
    incident = incident_route(incident_id=incident_id)
    if incident.status == Status.ROUTED and incident.dispatched_at is None:
        incident = incident_dispatch(incident_id=incident_id)
    return incident


@transaction.atomic
def task_assign(*, task_id: int, crew_id: int, by: User, note: str = "") -> Task:
    """The operator's choice of crew, overriding dispatch; an off-shift crew is a conflict."""
    task = Task.objects.select_for_update().select_related("incident", "trade").get(pk=task_id)
    if task.status not in OPEN_TASK_STATUSES:
        raise TaskClosed(_("This task is %(status)s.") % {"status": TaskStatus(task.status).label})
    crew = Crew.objects.get(pk=crew_id)
    now = timezone.now()
    if not crew.active or not dispatch_selectors.crew_is_on_shift(crew_id=crew.pk, now=now):
        ended = dispatch_selectors.crew_shift_ended_at(crew_id=crew.pk, now=now)
        if ended is not None:
            message = _("%(crew)s is off shift since %(time)s: choose another crew.") % {
                "crew": crew.name,
                "time": formats.time_format(timezone.localtime(ended), "H:i"),
            }
        else:
            message = _("%(crew)s is not on shift: choose another crew.") % {"crew": crew.name}
        raise CrewOffShift(message)
    if task.crew_id == crew.pk and task.status != TaskStatus.PENDING:
        return task
    previous = task.crew.name if task.crew else ""
    _give_to(task, crew.pk, by, note or _("Assigned by an operator"))
    incident = Incident.objects.select_for_update().get(pk=task.incident_id)
    audit_incident(
        by=by,
        incident=incident,
        action="task.assign",
        summary=(
            _("%(trade)s: %(before)s → %(after)s")
            % {"trade": task.trade.label, "before": previous or "—", "after": crew.name}
        )
        + (f". {note}" if note else ""),
    )
    if incident.status == Status.ROUTED:
        incident_move(incident=incident, to=Status.ASSIGNED, by=by, note=note)
    return task
