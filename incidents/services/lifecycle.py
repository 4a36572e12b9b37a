"""The incident's life: opened, routed, then moved on by the work or by an operator.

Every step is a `Transition` (when, by whom, why) and an event for the live screens.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hypervisor import events
from hypervisor import selectors as hypervisor_selectors
from hypervisor.events import Severity
from hypervisor.services import audit_record
from incidents.events import (
    IncidentOpened,
    IncidentReopened,
    IncidentRouted,
    IncidentStatusChanged,
)
from incidents.models import (
    OPEN_STATUSES,
    OPEN_TASK_STATUSES,
    Category,
    Incident,
    LocatedBy,
    Priority,
    SlaState,
    Source,
    Status,
    TaskStatus,
    TaskStep,
    Trade,
    Transition,
    UnroutableReason,
)
from incidents.selectors.locate import position_from_address

_REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read over the phone
PRIORITY_SEVERITY = {
    Priority.EMERGENCY: Severity.CRITICAL,
    Priority.HIGH: Severity.MAJOR,
    Priority.NORMAL: Severity.MINOR,
    Priority.LOW: Severity.INFO,
}
# A priority caps the category's deadline: an emergency is handled within the hour even
# when its category usually allows days.
PRIORITY_DEADLINE_CAP_MINUTES = {Priority.EMERGENCY: 60, Priority.HIGH: 4 * 60}

# Leaving *resolved* for more work is `incident_reopen`'s job alone, since the deadline
# restarts with it; the table holds the steps `incident_move` may take.
ALLOWED_MOVES: dict[str, set[str]] = {
    Status.NEW: {Status.ROUTED, Status.REJECTED, Status.DUPLICATE, Status.CANCELLED},
    Status.ROUTED: {
        Status.ASSIGNED,
        Status.RESOLVED,
        Status.REJECTED,
        Status.DUPLICATE,
        Status.CANCELLED,
    },
    Status.ASSIGNED: {
        Status.ROUTED,
        Status.IN_PROGRESS,
        Status.RESOLVED,
        Status.DUPLICATE,
        Status.CANCELLED,
    },
    Status.IN_PROGRESS: {Status.ASSIGNED, Status.ROUTED, Status.RESOLVED, Status.CANCELLED},
    Status.RESOLVED: {Status.CLOSED, Status.IN_PROGRESS},
    Status.CLOSED: set(),
    Status.REJECTED: set(),
    Status.DUPLICATE: set(),
    Status.CANCELLED: set(),
}


class CategoryUnavailable(ValueError):
    """The category does not exist or is no longer offered."""


class TransitionRefused(ValueError):
    """The incident cannot go there from where it is (closing a new incident, say)."""


def _new_reference() -> str:
    while True:
        reference = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(7))
        if not Incident.objects.filter(reference=reference).exists():
            return reference


def deadline_for(*, category: Category, priority: str, opened_at: datetime) -> datetime:
    """Due time from the category's target, capped by the priority's."""
    minutes = category.sla_minutes
    cap = PRIORITY_DEADLINE_CAP_MINUTES.get(Priority(priority))
    if cap is not None:
        minutes = min(minutes, cap)
    return opened_at + timedelta(minutes=minutes)


def audit_incident(*, by: User, incident: Incident, action: str, summary: str) -> None:
    """An operator's act on an incident, in the audit log with the incident's reference."""
    audit_record(
        actor=by,
        action=action,
        target=f"incident:{incident.pk}",
        summary=f"{incident.reference} — {summary}",
    )


def incident_move(
    *,
    incident: Incident,
    to: str,
    by: User | None = None,
    note: str = "",
) -> Incident:
    """Record one step of the lifecycle on a locked incident; refuses impossible steps.

    `by` is the staff member who made the step, None for the automation or the public.
    """
    if incident.status == to:
        return incident
    if to not in ALLOWED_MOVES[incident.status]:
        raise TransitionRefused(
            _("An incident that is %(current)s cannot become %(target)s.")
            % {"current": Status(incident.status).label, "target": Status(to).label}
        )
    now = timezone.now()
    previous = incident.status
    incident.status = to
    if to == Status.ASSIGNED and incident.assigned_at is None:
        incident.assigned_at = now
    if to == Status.RESOLVED:
        incident.resolved_at = now
        incident.sla_state = SlaState.MET if now <= incident.due_at else SlaState.MISSED
    if to == Status.CLOSED:
        incident.closed_at = now
    if previous == Status.RESOLVED and to != Status.CLOSED:
        incident.resolved_at = None
    incident.full_clean()
    incident.save()
    Transition.objects.create(
        incident=incident,
        from_status=previous,
        to_status=to,
        by=by if by is not None and by.is_authenticated else None,
        note=note[:500],
    )
    if by is not None and by.is_authenticated:
        audit_incident(
            by=by,
            incident=incident,
            action=f"incident.{to}",
            summary=f"{Status(previous).label} → {Status(to).label}"
            + (f": {note}" if note else ""),
        )
    events.publish(
        IncidentStatusChanged(
            asset_id=str(incident.pk),
            severity=PRIORITY_SEVERITY[Priority(incident.priority)],
            lat=incident.lat,
            lon=incident.lon,
            from_status=previous,
            to_status=to,
            note=note[:500],
        )
    )
    return incident


@transaction.atomic
def incident_open(
    *,
    category_code: str,
    description: str,
    lat: float | None,
    lon: float | None,
    source: Source,
    priority: Priority | None = None,
    address: str = "",
    alarm_id: int | None = None,
) -> Incident:
    """Open an incident; routing starts once the transaction commits.

    The incident itself is the record of the work to do: until `routed_at` is set, the
    relay sweep hands it to the broker again, so a broker outage loses nothing. A report
    without a position is placed from its address (or commune) when the gazetteer knows
    it; otherwise it waits in the operator's "to locate" queue.
    """
    category = Category.objects.filter(code=category_code, active=True).first()
    if category is None:
        raise CategoryUnavailable(category_code)
    now = timezone.now()
    chosen = priority or Priority(category.default_priority)
    located_by = LocatedBy.REPORTER if lat is not None and lon is not None else LocatedBy.NOWHERE
    if located_by == LocatedBy.NOWHERE:
        lat = lon = None
        found = position_from_address(address=address)
        if found is not None:
            lat, lon, located_by = found.lat, found.lon, found.located_by
    incident = Incident(
        reference=_new_reference(),
        category=category,
        description=description.strip(),
        lat=lat,
        lon=lon,
        address=address.strip()[:200],
        located_by=located_by,
        alarm_id=alarm_id,
        source=source,
        priority=chosen,
        due_at=deadline_for(category=category, priority=chosen, opened_at=now),
    )
    incident.full_clean()
    incident.save()
    Transition.objects.create(incident=incident, from_status="", to_status=Status.NEW)
    events.publish(
        IncidentOpened(
            asset_id=str(incident.pk),
            severity=PRIORITY_SEVERITY[Priority(incident.priority)],
            lat=lat,
            lon=lon,
            category_code=category.code,
            source=source,
            priority=incident.priority,
        )
    )
    return incident


@transaction.atomic
def incident_route(*, incident_id: int) -> Incident:
    """Decide the competent service and record the rule that matched; safe to run twice.

    An incident no rule covers stays new, with the reason, in the operator queue.
    """
    incident = Incident.objects.select_for_update().select_related("category").get(pk=incident_id)
    if incident.status != Status.NEW or incident.routed_at is not None:
        return incident
    decision = hypervisor_selectors.routing_decide(
        category_code=incident.category.code, lat=incident.lat, lon=incident.lon
    )
    incident.commune_id = decision.commune_id
    incident.routing_note = decision.reason[:200]
    incident.routed_at = timezone.now()
    incident.unroutable_reason = decision.unroutable
    if decision.routed:
        incident.service_id = decision.service_id
        incident.routing_rule_id = decision.rule_id
        incident.status = Status.ROUTED
        Transition.objects.create(
            incident=incident, from_status=Status.NEW, to_status=Status.ROUTED, note=decision.reason
        )
    incident.full_clean()
    incident.save()
    events.publish(
        IncidentRouted(
            asset_id=str(incident.pk),
            severity=PRIORITY_SEVERITY[Priority(incident.priority)],
            lat=incident.lat,
            lon=incident.lon,
            service_name=decision.service_name,
            routed=decision.routed,
            reason=decision.reason,
        )
    )
    return incident


@transaction.atomic
def incident_route_manually(
    *, incident_id: int, service_id: int, by: User, note: str = ""
) -> Incident:
    """An operator settles an incident the routing table could not place."""
    incident = Incident.objects.select_for_update().get(pk=incident_id)
    if incident.status != Status.NEW:
        raise TransitionRefused(_("This incident is already routed."))
    incident.service_id = service_id
    incident.unroutable_reason = UnroutableReason.NONE
    incident.routed_at = incident.routed_at or timezone.now()
    incident.routing_note = (note or _("Routed by an operator"))[:200]
    return incident_move(incident=incident, to=Status.ROUTED, by=by, note=incident.routing_note)


def _cancel_open_tasks(incident: Incident, by: User | None, note: str) -> None:
    from incidents.services.work import task_publish

    for task in incident.tasks.select_for_update().filter(status__in=OPEN_TASK_STATUSES):
        crew_id = task.crew_id
        task.status = TaskStatus.CANCELLED
        task.needs_operator = False
        task.save()
        TaskStep.objects.create(
            task=task, kind=TaskStep.Kind.CANCELLED, crew_id=crew_id, by=by, note=note[:500]
        )
        task_publish(task=task, crew_ids=[crew_id] if crew_id else [])


@transaction.atomic
def incident_reject(*, incident_id: int, by: User, reason: str) -> Incident:
    """Not competent or not public space: the reason is shown to the reporter."""
    if not reason.strip():
        raise TransitionRefused(_("Say why the incident is rejected."))
    incident = Incident.objects.select_for_update().get(pk=incident_id)
    incident.status_reason = reason.strip()[:500]
    _cancel_open_tasks(incident, by, reason)
    return incident_move(incident=incident, to=Status.REJECTED, by=by, note=reason)


@transaction.atomic
def incident_cancel(*, incident_id: int, by: User, reason: str) -> Incident:
    if not reason.strip():
        raise TransitionRefused(_("Say why the incident is cancelled."))
    incident = Incident.objects.select_for_update().get(pk=incident_id)
    incident.status_reason = reason.strip()[:500]
    _cancel_open_tasks(incident, by, reason)
    return incident_move(incident=incident, to=Status.CANCELLED, by=by, note=reason)


@transaction.atomic
def incident_reopen(*, incident_id: int, by: User | None, note: str) -> Incident:
    """The fix did not hold: the same incident, reference and history, goes back to work.

    Allowed from *resolved* only. The incident returns to *routed* with its competent
    service (whoever chose it, rule or operator), without a crew: dispatch runs again once
    this commits, or the relay sweep hands it over. Its deadline restarts from now, as for
    a new report, and its deadline state is cleared so the watchdog follows it again. `by`
    is None when the public (the reporter) or the system reopens it. Calling it again on an
    incident already reopened since its fix changes nothing.
    """
    incident = Incident.objects.select_for_update().select_related("category").get(pk=incident_id)
    if incident.status != Status.RESOLVED:
        if incident.status in OPEN_STATUSES and incident.reopened_at is not None:
            return incident
        raise TransitionRefused(
            _("Only a resolved incident can be reopened; this one is %(current)s.")
            % {"current": Status(incident.status).label}
        )
    now = timezone.now()
    note = (note.strip() or _("Reopened"))[:500]
    incident.status = Status.ROUTED if incident.service_id is not None else Status.NEW
    if incident.status == Status.NEW:  # never routed (resolved straight from new): route it
        incident.routed_at = None
    incident.dispatched_at = None
    incident.resolved_at = None
    incident.reopened_at = now
    incident.reopen_count += 1
    incident.due_at = deadline_for(
        category=incident.category, priority=incident.priority, opened_at=now
    )
    incident.sla_state = SlaState.OK
    incident.full_clean()
    incident.save()
    Transition.objects.create(
        incident=incident,
        from_status=Status.RESOLVED,
        to_status=incident.status,
        by=by if by is not None and by.is_authenticated else None,
        note=note,
    )
    if by is not None and by.is_authenticated:
        audit_incident(by=by, incident=incident, action="incident.reopen", summary=note)
    events.publish(
        IncidentReopened(
            asset_id=str(incident.pk),
            severity=PRIORITY_SEVERITY[Priority(incident.priority)],
            lat=incident.lat,
            lon=incident.lon,
            from_status=Status.RESOLVED,
            to_status=incident.status,
            note=note,
            reopen_count=incident.reopen_count,
        )
    )
    return incident


@transaction.atomic
def incident_mark_duplicate(*, incident_id: int, master_id: int, by: User | None) -> Incident:
    """Link a second report of the same problem to the incident that carries the work.

    `by` is None when the system links it (a citizen's report found near an open one).
    """
    if incident_id == master_id:
        raise TransitionRefused(_("An incident cannot duplicate itself."))
    incident = Incident.objects.select_for_update().get(pk=incident_id)
    master = Incident.objects.get(pk=master_id)
    while master.master_id is not None:  # always point at the head of the chain
        master = Incident.objects.get(pk=master.master_id)
    if master.pk == incident.pk or master.status not in (*OPEN_STATUSES, Status.RESOLVED):
        raise TransitionRefused(_("The master incident must be another, still followed, one."))
    incident.master = master
    note = _("Duplicate of %(reference)s") % {"reference": master.reference}
    _cancel_open_tasks(incident, by, note)
    return incident_move(incident=incident, to=Status.DUPLICATE, by=by, note=note)


@transaction.atomic
def incident_close(*, incident_id: int, by: User | None, note: str = "") -> Incident:
    """Close a resolved incident; `by` is None when the reporter confirms the fix."""
    incident = Incident.objects.select_for_update().get(pk=incident_id)
    return incident_move(incident=incident, to=Status.CLOSED, by=by, note=note)


@transaction.atomic
def category_ensure(
    *,
    code: str,
    group: str,
    label_fr: str,
    label_en: str,
    icon: str,
    default_priority: Priority,
    sla_minutes: int,
    trade_codes: list[str] | None = None,
    safety: bool = False,
) -> Category:
    category, _created = Category.objects.update_or_create(
        code=code,
        defaults={
            "group": group,
            "label_fr": label_fr,
            "label_en": label_en,
            "icon": icon,
            "default_priority": default_priority,
            "sla_minutes": sla_minutes,
            "safety": safety,
        },
    )
    category.full_clean()
    if trade_codes is not None:
        category.trades.set(Trade.objects.filter(code__in=trade_codes))
    return category


@transaction.atomic
def trade_ensure(*, code: str, label_fr: str, label_en: str, precedence: int) -> Trade:
    trade, _created = Trade.objects.update_or_create(
        code=code, defaults={"label_fr": label_fr, "label_en": label_en, "precedence": precedence}
    )
    trade.full_clean()
    return trade
