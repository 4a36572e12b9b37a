"""Writes of the hypervisor: the public API that the domain apps call."""

from hypervisor.places import StreetRecord
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
from hypervisor.services.crisis import (
    CrisisError,
    crisis_activate,
    crisis_add_member,
    crisis_close,
    crisis_log,
    crisis_log_if_near,
)
from hypervisor.services.notifications import (
    duty_officers,
    elected_officials_of,
    notification_deliver,
    notify,
    notify_address,
    users_with_role,
)
from hypervisor.services.places import (
    PlacesLoadResult,
    places_load_addresses,
    places_set_demo_streets,
)
from hypervisor.services.procedures import (
    ActionNotDone,
    ProcedureError,
    notify_elected_officials_of_alarm,
    notify_police_of_alarm,
    procedure_answer,
    procedure_start,
)
from hypervisor.services.retention import events_purge
from hypervisor.services.territory import (
    TerritoryLoadResult,
    routing_rule_set,
    service_ensure,
    territory_load,
)

__all__ = [
    "ActionNotDone",
    "AlarmAlreadyAcknowledged",
    "AlarmAlreadyCleared",
    "AlarmConflict",
    "CrisisError",
    "PlacesLoadResult",
    "ProcedureError",
    "StreetRecord",
    "TerritoryLoadResult",
    "alarm_acknowledge",
    "alarm_apply_rules",
    "alarm_clear",
    "alarm_rule_ensure",
    "alarms_escalate_due",
    "audit_record",
    "crisis_activate",
    "crisis_add_member",
    "crisis_close",
    "crisis_log",
    "crisis_log_if_near",
    "duty_officers",
    "elected_officials_of",
    "events_purge",
    "notification_deliver",
    "notify",
    "notify_address",
    "notify_elected_officials_of_alarm",
    "notify_police_of_alarm",
    "places_load_addresses",
    "places_set_demo_streets",
    "procedure_answer",
    "procedure_start",
    "routing_rule_set",
    "service_ensure",
    "territory_load",
    "users_with_role",
]
