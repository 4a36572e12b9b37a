from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypervisor.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class CrossroadFaulted(DomainEvent):
    """A controller left normal operation; the traffic-signal procedure starts from its alarm."""

    kind = "crossroad.faulted"
    asset_type = "crossroad"
    state: str
    fault_code: str
    name: str
    under_works: bool = False
    # Set when the state was ordered from the control room: the alarm shows, suppressed.
    suppressed_reason: str = ""


@dataclass(frozen=True, kw_only=True)
class CrossroadRestored(DomainEvent):
    kind = "crossroad.restored"
    asset_type = "crossroad"


@dataclass(frozen=True, kw_only=True)
class CrossroadCommunicationLost(DomainEvent):
    kind = "crossroad.communication_lost"
    asset_type = "crossroad"
    silent_minutes: int


@dataclass(frozen=True, kw_only=True)
class CrossroadCommunicationRestored(DomainEvent):
    kind = "crossroad.communication_restored"
    asset_type = "crossroad"


@dataclass(frozen=True, kw_only=True)
class CrossroadStatusChanged(DomainEvent):
    """What the controller reports changed: mode, time plan, police key, detector faults."""

    kind = "crossroad.status_changed"
    asset_type = "crossroad"
    changes: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class SignalCommandChanged(DomainEvent):
    """A command to a controller was requested, confirmed, sent, confirmed by the site or failed."""

    kind = "crossroad.command"
    asset_type = "crossroad"
    command_id: int
    action: str
    status: str
    by: str = ""


@dataclass(frozen=True, kw_only=True)
class SignalAlarmRaised(DomainEvent):
    """An RSMP alarm of a controller became active; `parent` correlates it to its crossroads."""

    kind = "signal_alarm.raised"
    asset_type = "signal_alarm"
    code: str
    component: str
    label: str
    priority: int
    values: dict[str, str]
    parent: str
    site_id: str


@dataclass(frozen=True, kw_only=True)
class SignalAlarmCeased(DomainEvent):
    kind = "signal_alarm.ceased"
    asset_type = "signal_alarm"
    code: str
    component: str
    site_id: str


def signal_alarm_event(*, raised: bool, severity: str, **fields: Any) -> DomainEvent:
    """Events per severity (the rule of an alarm kind sets its severity): one class each."""
    base = SignalAlarmRaised if raised else SignalAlarmCeased
    kind = f"{base.kind}.{severity}"
    cls = _SIGNAL_ALARM_CLASSES.get(kind)
    if cls is None:
        cls = _SIGNAL_ALARM_CLASSES[kind] = dataclass(frozen=True, kw_only=True)(
            type(base.__name__, (base,), {"kind": kind, "__module__": __name__})
        )
    return cls(severity=severity, **fields)


_SIGNAL_ALARM_CLASSES: dict[str, type[DomainEvent]] = {}
SIGNAL_ALARM_SEVERITIES = ("critical", "minor")


@dataclass(frozen=True, kw_only=True)
class CameraWentOffline(DomainEvent):
    kind = "camera.went_offline"
    asset_type = "camera"
    status: str


@dataclass(frozen=True, kw_only=True)
class CameraCameOnline(DomainEvent):
    kind = "camera.came_online"
    asset_type = "camera"


@dataclass(frozen=True, kw_only=True)
class BollardFaulted(DomainEvent):
    kind = "bollard.faulted"
    asset_type = "bollard"
    fault_code: str


@dataclass(frozen=True, kw_only=True)
class BollardRepaired(DomainEvent):
    kind = "bollard.repaired"
    asset_type = "bollard"


@dataclass(frozen=True, kw_only=True)
class BollardMoved(DomainEvent):
    """A bollard went up or down, on command (audited) or on its schedule."""

    kind = "bollard.moved"
    asset_type = "bollard"
    state: str
    by: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class EvidenceRequestFiled(DomainEvent):
    kind = "evidence.filed"
    asset_type = "evidence_request"


CROSSROAD_EVENT_KINDS = frozenset(
    {
        CrossroadFaulted.kind,
        CrossroadRestored.kind,
        CrossroadCommunicationLost.kind,
        CrossroadCommunicationRestored.kind,
        CrossroadStatusChanged.kind,
        SignalCommandChanged.kind,
    }
)
CAMERA_EVENT_KINDS = frozenset({CameraWentOffline.kind, CameraCameOnline.kind})
BOLLARD_EVENT_KINDS = frozenset({BollardFaulted.kind, BollardRepaired.kind, BollardMoved.kind})

# event kind → (action, alarm kind, severity, French title, English title)
ALARM_RULES = [
    (
        "crossroad.faulted",
        "raise",
        "traffic-signal-fault",
        "major",
        "Carrefour à feux en défaut",
        "Traffic-signal fault",
    ),
    ("crossroad.restored", "clear", "traffic-signal-fault", "major", "", ""),
    (
        "crossroad.communication_lost",
        "raise",
        "signal-communication",
        "minor",
        "Contrôleur de carrefour muet",
        "Crossroad controller not reporting",
    ),
    ("crossroad.communication_restored", "clear", "signal-communication", "minor", "", ""),
    (
        "camera.went_offline",
        "raise",
        "camera-offline",
        "minor",
        "Caméra hors service",
        "Camera offline",
    ),
    ("camera.came_online", "clear", "camera-offline", "minor", "", ""),
    (
        "bollard.faulted",
        "raise",
        "bollard-fault",
        "major",
        "Borne escamotable en défaut",
        "Bollard fault",
    ),
    ("bollard.repaired", "clear", "bollard-fault", "major", "", ""),
    (
        "signal_alarm.raised.critical",
        "raise",
        "signal-alarm-critical",
        "critical",
        "Alarme grave d'un contrôleur de feux",
        "Serious traffic-light controller alarm",
    ),
    ("signal_alarm.ceased.critical", "clear", "signal-alarm-critical", "critical", "", ""),
    (
        "signal_alarm.raised.minor",
        "raise",
        "signal-alarm-minor",
        "minor",
        "Alarme d'un contrôleur de feux",
        "Traffic-light controller alarm",
    ),
    ("signal_alarm.ceased.minor", "clear", "signal-alarm-minor", "minor", "", ""),
]
