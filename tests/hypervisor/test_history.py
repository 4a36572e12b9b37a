"""The event history read for figures over a period."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypervisor import events
from hypervisor.selectors import asset_state_events
from tests.hypervisor.conftest import CabinetPowerBack, CabinetPowerLost, SignalFaulted

START = datetime(2026, 10, 1, tzinfo=UTC)
END = START + timedelta(days=30)
KINDS = [CabinetPowerLost.kind, CabinetPowerBack.kind]


def _at(asset: str, event: type[events.DomainEvent], when: datetime) -> None:
    events.publish(event(asset_id=asset, occurred_at=when))


def test_each_asset_starts_with_its_last_event_before_the_period(db):
    _at("ARM-1", CabinetPowerLost, START - timedelta(days=9))
    _at("ARM-1", CabinetPowerBack, START - timedelta(days=8))
    _at("ARM-1", CabinetPowerLost, START - timedelta(days=2))
    _at("ARM-1", CabinetPowerBack, START + timedelta(days=3))
    _at("ARM-2", CabinetPowerLost, START - timedelta(days=1))
    rows = asset_state_events(asset_type="cabinet", kinds=KINDS, start=START, end=END)
    assert rows == [
        ("ARM-1", CabinetPowerLost.kind, START - timedelta(days=2)),
        ("ARM-1", CabinetPowerBack.kind, START + timedelta(days=3)),
        ("ARM-2", CabinetPowerLost.kind, START - timedelta(days=1)),
    ]


def test_other_kinds_other_asset_types_and_later_events_are_left_out(db):
    _at("ARM-1", CabinetPowerLost, START + timedelta(days=1))
    _at("ARM-1", CabinetPowerBack, END + timedelta(hours=1))
    events.publish(SignalFaulted(asset_id="ARM-1", occurred_at=START + timedelta(days=2)))
    rows = asset_state_events(
        asset_type="cabinet", kinds=[CabinetPowerLost.kind], start=START, end=END
    )
    assert rows == [("ARM-1", CabinetPowerLost.kind, START + timedelta(days=1))]


def test_rows_come_in_publication_order_even_when_timestamps_disagree(db):
    _at("ARM-1", CabinetPowerLost, START + timedelta(days=5))
    _at("ARM-1", CabinetPowerBack, START + timedelta(days=4))
    rows = asset_state_events(asset_type="cabinet", kinds=KINDS, start=START, end=END)
    assert [kind for _asset, kind, _at in rows] == [CabinetPowerLost.kind, CabinetPowerBack.kind]
