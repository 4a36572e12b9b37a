from hypervisor.models.access import ControlRoomAccess
from hypervisor.models.alarms import Alarm, AlarmRule, AlarmState, EscalationPolicy
from hypervisor.models.audit import AuditEntry
from hypervisor.models.events import Event, Severity
from hypervisor.models.notifications import Channel, Notification, StaffProfile
from hypervisor.models.telemetry import Gateway, TelemetryReading, TelemetryReceipt
from hypervisor.models.territory import Commune, RoutingRule, Sector, Service

__all__ = [
    "Alarm",
    "AlarmRule",
    "AlarmState",
    "AuditEntry",
    "Channel",
    "Commune",
    "ControlRoomAccess",
    "EscalationPolicy",
    "Event",
    "Gateway",
    "Notification",
    "RoutingRule",
    "Sector",
    "Service",
    "Severity",
    "StaffProfile",
    "TelemetryReading",
    "TelemetryReceipt",
]
