"""Availability of signalised crossroads over a period, replayed from their state changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.traffic.factories import CrossroadFactory
from traffic import selectors, services
from traffic.models import ControllerState, Crossroad

START = datetime(2026, 10, 1, tzinfo=UTC)
END = START + timedelta(days=30)


def availability(reference: str) -> float:
    rows = selectors.crossroad_availability_rows(start=START, end=END)
    return next(row[-1] for row in rows if row[0] == reference)


def set_state(crossroad: Crossroad, state: str, at: datetime) -> None:
    crossroad.refresh_from_db()
    services.crossroad_state_set(crossroad=crossroad, state=state, fault_code="F1", at=at)


def test_a_row_carries_reference_name_commune_place_state_and_availability(db):
    CrossroadFactory(reference="CAR-A", name="Darcy", commune_insee="21231", lat=47.3, lon=5.0)
    assert selectors.crossroad_availability_rows(start=START, end=END) == [
        ("CAR-A", "Darcy", "21231", 47.3, 5.0, ControllerState.NORMAL, 1.0)
    ]


def test_three_days_in_fault_out_of_thirty_is_ninety_per_cent(db):
    crossroad = CrossroadFactory(reference="CAR-A")
    set_state(crossroad, ControllerState.FLASHING, START + timedelta(days=10))
    set_state(crossroad, ControllerState.DARK, START + timedelta(days=11))
    set_state(crossroad, ControllerState.NORMAL, START + timedelta(days=13))
    assert availability("CAR-A") == 0.9


def test_a_fault_that_began_before_the_period_counts_from_its_start(db):
    crossroad = CrossroadFactory(reference="CAR-A")
    set_state(crossroad, ControllerState.FAULT, START - timedelta(days=5))
    set_state(crossroad, ControllerState.NORMAL, START + timedelta(days=6))
    assert availability("CAR-A") == 0.8


def test_a_restoration_without_its_fault_in_the_history_means_the_period_began_in_fault(db):
    crossroad = CrossroadFactory(
        reference="CAR-A", state=ControllerState.FAULT, state_since=START - timedelta(days=99)
    )
    set_state(crossroad, ControllerState.NORMAL, START + timedelta(days=3))
    assert availability("CAR-A") == 0.9


def test_silence_counts_as_out_of_normal_operation(db):
    crossroad = CrossroadFactory(reference="CAR-A", last_seen_at=START)
    services.crossroads_detect_silent(now=START + timedelta(days=15))
    set_state(crossroad, ControllerState.NORMAL, START + timedelta(days=18))
    assert availability("CAR-A") == 0.9


def test_without_any_event_the_present_state_holds_since_it_began(db):
    CrossroadFactory(reference="CAR-OK")
    CrossroadFactory(
        reference="CAR-OLD", state=ControllerState.DARK, state_since=START - timedelta(days=1)
    )
    CrossroadFactory(
        reference="CAR-NEW", state=ControllerState.DARK, state_since=START + timedelta(days=27)
    )
    assert availability("CAR-OK") == 1.0
    assert availability("CAR-OLD") == 0.0
    assert availability("CAR-NEW") == 0.9


def test_changes_after_the_period_do_not_count(db):
    crossroad = CrossroadFactory(reference="CAR-A")
    set_state(crossroad, ControllerState.FAULT, END + timedelta(hours=2))
    assert availability("CAR-A") == 1.0
