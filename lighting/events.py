from __future__ import annotations

from dataclasses import dataclass

from hypervisor.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class LampFailed(DomainEvent):
    """A lamp is dark when it should be lit; `parent` names its cabinet for correlation."""

    kind = "lamp.failed"
    asset_type = "lamp"
    status: str
    parent: str
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class LampRepaired(DomainEvent):
    kind = "lamp.repaired"
    asset_type = "lamp"
    status: str


@dataclass(frozen=True, kw_only=True)
class LampLitInDaytime(DomainEvent):
    kind = "lamp.lit_in_daytime"
    asset_type = "lamp"
    parent: str


@dataclass(frozen=True, kw_only=True)
class LampDaytimeEnded(DomainEvent):
    kind = "lamp.daytime_ended"
    asset_type = "lamp"


@dataclass(frozen=True, kw_only=True)
class LampRelayFailed(DomainEvent):
    """The controller's relay no longer switches the lamp (reported by the controller)."""

    kind = "lamp.relay_failed"
    asset_type = "lamp"
    parent: str


@dataclass(frozen=True, kw_only=True)
class LampRelayRepaired(DomainEvent):
    kind = "lamp.relay_repaired"
    asset_type = "lamp"


@dataclass(frozen=True, kw_only=True)
class CabinetPowerLost(DomainEvent):
    kind = "cabinet.power_lost"
    asset_type = "cabinet"
    points: int


@dataclass(frozen=True, kw_only=True)
class CabinetPowerRestored(DomainEvent):
    kind = "cabinet.power_restored"
    asset_type = "cabinet"


@dataclass(frozen=True, kw_only=True)
class CabinetCommunicationLost(DomainEvent):
    kind = "cabinet.communication_lost"
    asset_type = "cabinet"
    silent_minutes: int


@dataclass(frozen=True, kw_only=True)
class CabinetCommunicationRestored(DomainEvent):
    kind = "cabinet.communication_restored"
    asset_type = "cabinet"


@dataclass(frozen=True, kw_only=True)
class LightingOverridden(DomainEvent):
    kind = "lighting.overridden"
    asset_type = "lighting_override"
    level: int
    points: int
    reason: str


LAMP_EVENT_KINDS = frozenset(
    {
        LampFailed.kind,
        LampRepaired.kind,
        LampLitInDaytime.kind,
        LampDaytimeEnded.kind,
        LampRelayFailed.kind,
        LampRelayRepaired.kind,
    }
)
CABINET_EVENT_KINDS = frozenset(
    {
        CabinetPowerLost.kind,
        CabinetPowerRestored.kind,
        CabinetCommunicationLost.kind,
        CabinetCommunicationRestored.kind,
    }
)

# event kind → (action, alarm kind, severity, French title, English title)
ALARM_RULES = [
    ("lamp.failed", "raise", "lamp-failure", "minor", "Lampe en panne", "Lamp failure"),
    ("lamp.repaired", "clear", "lamp-failure", "minor", "", ""),
    (
        "lamp.lit_in_daytime",
        "raise",
        "lamp-daytime",
        "minor",
        "Lampe allumée de jour",
        "Lamp lit in daytime",
    ),
    ("lamp.daytime_ended", "clear", "lamp-daytime", "minor", "", ""),
    (
        "lamp.relay_failed",
        "raise",
        "lamp-relay",
        "minor",
        "Relais de lampe défaillant",
        "Lamp relay failure",
    ),
    ("lamp.relay_repaired", "clear", "lamp-relay", "minor", "", ""),
    (
        "cabinet.power_lost",
        "raise",
        "cabinet-power",
        "major",
        "Armoire sans alimentation",
        "Cabinet without power",
    ),
    ("cabinet.power_restored", "clear", "cabinet-power", "major", "", ""),
    (
        "cabinet.communication_lost",
        "raise",
        "cabinet-communication",
        "minor",
        "Armoire muette",
        "Cabinet not reporting",
    ),
    ("cabinet.communication_restored", "clear", "cabinet-communication", "minor", "", ""),
]
