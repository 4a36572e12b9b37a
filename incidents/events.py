from __future__ import annotations

from dataclasses import dataclass

from hypervisor.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class IncidentOpened(DomainEvent):
    kind = "incident.opened"
    asset_type = "incident"
    category_code: str
    source: str
    # Emergencies are handed to the urgent queue (incidents.services.relay).
    priority: str = ""


@dataclass(frozen=True, kw_only=True)
class IncidentRouted(DomainEvent):
    kind = "incident.routed"
    asset_type = "incident"
    service_name: str
    routed: bool
    reason: str


@dataclass(frozen=True, kw_only=True)
class IncidentStatusChanged(DomainEvent):
    """Any later step of the lifecycle: assigned, in progress, resolved, closed, rejected…"""

    kind = "incident.status_changed"
    asset_type = "incident"
    from_status: str
    to_status: str
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class IncidentReopened(IncidentStatusChanged):
    """A resolved incident whose fix did not hold is back to work (same reference).

    It carries the status-change fields, so a subscriber of status changes reads it alike.
    """

    kind = "incident.reopened"
    reopen_count: int = 1


@dataclass(frozen=True, kw_only=True)
class IncidentSlaChanged(DomainEvent):
    kind = "incident.sla_changed"
    asset_type = "incident"
    sla_state: str


@dataclass(frozen=True, kw_only=True)
class TaskChanged(DomainEvent):
    """A task was created, assigned, started, paused, done or given back.

    `crew_ids` names every crew whose tablets must hear of it: the current one and, after
    a reassignment, the previous one (whose tablet drops the task).
    """

    kind = "task.changed"
    asset_type = "task"
    incident_id: int
    status: str
    crew_ids: list[int]


@dataclass(frozen=True, kw_only=True)
class CrewMoved(DomainEvent):
    kind = "crew.moved"
    asset_type = "crew"


@dataclass(frozen=True, kw_only=True)
class CrewAvailabilityChanged(DomainEvent):
    kind = "crew.availability_changed"
    asset_type = "crew"
    availability: str


@dataclass(frozen=True, kw_only=True)
class IncidentRerouted(DomainEvent):
    """An operator gave the incident to another service; its work is dispatched again."""

    kind = "incident.rerouted"
    asset_type = "incident"
    service_name: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class IncidentPriorityChanged(DomainEvent):
    """The priority changed, and the deadline with it."""

    kind = "incident.priority_changed"
    asset_type = "incident"
    priority: str
    due_at: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class IncidentCommented(DomainEvent):
    """An internal comment was added; open screens of the incident show it."""

    kind = "incident.commented"
    asset_type = "incident"


@dataclass(frozen=True, kw_only=True)
class IncidentLocated(DomainEvent):
    """An incident that had no position has one now: routing and dispatch can go on."""

    kind = "incident.located"
    asset_type = "incident"
    located_by: str
