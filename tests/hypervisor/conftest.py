from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from hypervisor import events
from hypervisor.models import Event
from hypervisor.services import alarm_rule_ensure


@dataclass(frozen=True, kw_only=True)
class CabinetPowerLost(events.DomainEvent):
    kind = "test.cabinet_power_lost"
    asset_type = "cabinet"


@dataclass(frozen=True, kw_only=True)
class CabinetPowerBack(events.DomainEvent):
    kind = "test.cabinet_power_back"
    asset_type = "cabinet"


@dataclass(frozen=True, kw_only=True)
class LampDark(events.DomainEvent):
    kind = "test.lamp_dark"
    asset_type = "light_point"
    parent: str = ""


@dataclass(frozen=True, kw_only=True)
class SignalFaulted(events.DomainEvent):
    kind = "test.signal_faulted"
    asset_type = "crossroad"
    under_works: bool = False


@pytest.fixture
def alarm_rules(db) -> None:  # type: ignore[no-untyped-def]
    alarm_rule_ensure(
        event_kind=CabinetPowerLost.kind,
        action="raise",
        alarm_kind="cabinet-power",
        severity="critical",
        title_fr="Coupure d'alimentation d'armoire",
        title_en="Cabinet power loss",
    )
    alarm_rule_ensure(event_kind=CabinetPowerBack.kind, action="clear", alarm_kind="cabinet-power")
    alarm_rule_ensure(
        event_kind=LampDark.kind,
        action="raise",
        alarm_kind="lamp-dark",
        severity="minor",
        title_fr="Point lumineux éteint",
    )


@pytest.fixture
def happen() -> Callable[..., Event]:
    """Publish an event and apply the alarm rules to it, as the worker would."""
    from hypervisor.services import alarm_apply_rules

    def publish_and_apply(event: events.DomainEvent) -> Event:
        record = events.publish(event)
        alarm_apply_rules(event_id=record.pk)
        return record

    return publish_and_apply
