"""Incidents, their work orders, the crews that carry them out and the tablet's actions."""

from incidents.models.core import (
    OPEN_STATUSES,
    Category,
    Incident,
    IncidentNote,
    LocatedBy,
    Priority,
    SlaState,
    Source,
    Status,
    Trade,
    Transition,
    UnroutableReason,
)
from incidents.models.crews import Availability, Crew, CrewKind, CrewMember, Shift
from incidents.models.work import (
    OPEN_TASK_STATUSES,
    FieldAction,
    Task,
    TaskPhoto,
    TaskStatus,
    TaskStep,
)

__all__ = [
    "OPEN_STATUSES",
    "OPEN_TASK_STATUSES",
    "Availability",
    "Category",
    "Crew",
    "CrewKind",
    "CrewMember",
    "FieldAction",
    "Incident",
    "IncidentNote",
    "LocatedBy",
    "Priority",
    "Shift",
    "SlaState",
    "Source",
    "Status",
    "Task",
    "TaskPhoto",
    "TaskStatus",
    "TaskStep",
    "Trade",
    "Transition",
    "UnroutableReason",
]
