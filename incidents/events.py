from __future__ import annotations

from dataclasses import dataclass

from hypervisor.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class IncidentOpened(DomainEvent):
    kind = "incident.opened"
    asset_type = "incident"
    category_code: str
    source: str


@dataclass(frozen=True, kw_only=True)
class IncidentRouted(DomainEvent):
    kind = "incident.routed"
    asset_type = "incident"
    service_name: str
    routed: bool
    reason: str
