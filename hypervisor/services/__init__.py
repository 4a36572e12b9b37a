"""Writes of the hypervisor: the public API that the domain apps call."""

from hypervisor.services.alarms import (
    AlarmAlreadyAcknowledged,
    AlarmAlreadyCleared,
    AlarmConflict,
    alarm_acknowledge,
    alarm_apply_rules,
    alarm_clear,
    alarm_rule_ensure,
    alarms_escalate_due,
)
from hypervisor.services.audit import audit_record
from hypervisor.services.notifications import (
    duty_officers,
    elected_officials_of,
    notification_deliver,
    notify,
    users_with_role,
)
from hypervisor.services.territory import (
    TerritoryLoadResult,
    routing_rule_set,
    service_ensure,
    territory_load,
)

__all__ = [
    "AlarmAlreadyAcknowledged",
    "AlarmAlreadyCleared",
    "AlarmConflict",
    "TerritoryLoadResult",
    "alarm_acknowledge",
    "alarm_apply_rules",
    "alarm_clear",
    "alarm_rule_ensure",
    "alarms_escalate_due",
    "audit_record",
    "duty_officers",
    "elected_officials_of",
    "notification_deliver",
    "notify",
    "routing_rule_set",
    "service_ensure",
    "territory_load",
    "users_with_role",
]
