from __future__ import annotations

from dataclasses import dataclass

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
]
