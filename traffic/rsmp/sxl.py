"""What OnDijon uses of the traffic-light-controller signal exchange list (TLC SXL 1.2.1).

Codes, priorities and argument names are those of `sxl.yaml`; the tests check this table
against the published file so that it cannot drift.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class AlarmDefinition:
    code: str
    priority: int  # 1 highest, as in the SXL
    object_type: str  # "controller", "signal_group" or "detector_logic"
    label: object
    arguments: tuple[str, ...] = ()


ALARMS = {
    alarm.code: alarm
    for alarm in [
        AlarmDefinition("A0001", 2, "controller", _("Serious hardware error")),
        AlarmDefinition("A0002", 3, "controller", _("Less serious hardware error")),
        AlarmDefinition("A0003", 2, "controller", _("Serious configuration error")),
        AlarmDefinition("A0004", 3, "controller", _("Less serious configuration error")),
        AlarmDefinition("A0005", 3, "controller", _("Synchronisation error (coordination)")),
        AlarmDefinition("A0006", 2, "controller", _("Safety error")),
        AlarmDefinition("A0007", 3, "controller", _("Communication error"), ("protocol",)),
        AlarmDefinition("A0009", 3, "controller", _("Other error")),
        AlarmDefinition("A0010", 3, "controller", _("Door open")),
        AlarmDefinition("A0008", 2, "signal_group", _("Dead lock error"), ("timeplan",)),
        AlarmDefinition("A0101", 3, "signal_group", _("Pushbutton error")),
        AlarmDefinition("A0201", 2, "signal_group", _("Serious lamp error"), ("color",)),
        AlarmDefinition("A0202", 3, "signal_group", _("Less serious lamp error"), ("color",)),
        AlarmDefinition(
            "A0301", 3, "detector_logic", _("Detector error (hardware)"),
            ("detector", "type", "errormode", "manual"),
        ),
        AlarmDefinition(
            "A0302", 3, "detector_logic", _("Detector error (logic error)"),
            ("detector", "type", "errormode", "manual", "logicerror"),
        ),
        AlarmDefinition(
            "A0303", 2, "detector_logic", _("Serious detector error (hardware)"),
            ("detector", "type", "errormode", "manual"),
        ),
        AlarmDefinition(
            "A0304", 2, "detector_logic", _("Serious detector error (logic error)"),
            ("detector", "type", "errormode", "manual", "logicerror"),
        ),
    ]
}  # fmt: skip
DETECTOR_ALARMS = frozenset({"A0301", "A0302", "A0303", "A0304"})

# Statuses the supervisor subscribes to on the controller component, sent on change.
SUBSCRIBED_STATUSES: list[tuple[str, str]] = [
    ("S0001", "signalgroupstatus"),
    ("S0001", "stage"),
    ("S0005", "status"),
    ("S0007", "intersection"),
    ("S0007", "status"),
    ("S0008", "status"),
    ("S0011", "status"),
    ("S0013", "status"),
    ("S0014", "status"),
    ("S0014", "source"),
    ("S0020", "intersection"),
    ("S0020", "controlmode"),
]
KNOWN_STATUSES = {code for code, _name in SUBSCRIBED_STATUSES}

# Aggregated status bits (core specification, "se"), in order.
AGGREGATED_BITS = [
    _("Local mode"),
    _("No communications"),
    _("High priority alarm"),
    _("Medium priority alarm"),
    _("Low priority alarm"),
    _("Normal"),
    _("Rest"),
    _("Not connected"),
]

# Commands the control room sends: action → (command code, operation, argument names).
FUNCTIONAL_POSITION_COMMAND = "M0001"
TIME_PLAN_COMMAND = "M0002"


def functional_position_args(position: str, security_code: str) -> list[tuple[str, str, str, str]]:
    return [
        ("M0001", "status", "setValue", position),
        ("M0001", "securityCode", "setValue", security_code),
        ("M0001", "timeout", "setValue", "0"),
        ("M0001", "intersection", "setValue", "0"),
    ]


def time_plan_args(plan: int, security_code: str) -> list[tuple[str, str, str, str]]:
    return [
        ("M0002", "status", "setPlan", "True"),
        ("M0002", "securityCode", "setPlan", security_code),
        ("M0002", "timeplan", "setPlan", str(plan)),
    ]


def first(values: str) -> str:
    """The first item of an SXL comma-separated list (intersection 0 or 1 of the site)."""
    return values.split(",", 1)[0].strip()
