from hypervisor.models.access import ControlRoomAccess
from hypervisor.models.alarms import Alarm, AlarmRule, AlarmState, EscalationPolicy
from hypervisor.models.audit import AuditEntry
from hypervisor.models.crisis import Crisis, CrisisLogEntry
from hypervisor.models.events import Event, Severity
from hypervisor.models.notifications import Channel, Notification, StaffProfile
from hypervisor.models.procedures import Procedure, ProcedureRun, ProcedureStep, StepRecord
from hypervisor.models.telemetry import Gateway, TelemetryReading, TelemetryReceipt
from hypervisor.models.territory import Commune, Place, RoutingRule, Sector, Service

__all__ = [
    "Alarm",
    "AlarmRule",
    "AlarmState",
    "AuditEntry",
    "Channel",
    "Commune",
    "ControlRoomAccess",
    "Crisis",
    "CrisisLogEntry",
    "EscalationPolicy",
    "Event",
    "Gateway",
    "Notification",
    "Place",
    "Procedure",
    "ProcedureRun",
    "ProcedureStep",
    "RoutingRule",
    "Sector",
    "Service",
    "Severity",
    "StaffProfile",
    "StepRecord",
    "TelemetryReading",
    "TelemetryReceipt",
]
