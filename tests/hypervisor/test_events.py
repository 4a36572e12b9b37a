from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import transaction

from hypervisor import events
from hypervisor.models import Event
from hypervisor.registry import registry


@dataclass(frozen=True, kw_only=True)
class LampFailed(events.DomainEvent):
    kind = "test.lamp_failed"
    asset_type = "light_point"
    lamp_type: str


@pytest.fixture
def received() -> list[events.DomainEvent]:
    heard: list[events.DomainEvent] = []
    registry.subscribe(LampFailed.kind, heard.append)
    yield heard
    registry._subscribers[LampFailed.kind].remove(heard.append)


def test_an_event_is_stored_with_its_payload(db) -> None:
    record = events.publish(LampFailed(asset_id="L-42", lat=47.32, lon=5.04, lamp_type="LED"))
    assert Event.objects.get(pk=record.pk).payload == {"lamp_type": "LED"}


def test_subscribers_hear_an_event_only_after_commit(
    db, django_capture_on_commit_callbacks, received
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        events.publish(LampFailed(asset_id="L-42", lamp_type="LED"))
        assert received == []
    assert [event.asset_id for event in received] == ["L-42"]


def test_a_rolled_back_transaction_delivers_nothing(transactional_db, received) -> None:
    def failing_service() -> None:
        with transaction.atomic():
            events.publish(LampFailed(asset_id="L-42", lamp_type="LED"))
            raise RuntimeError("the service failed after publishing")

    with pytest.raises(RuntimeError):
        failing_service()
    assert received == []
    assert not Event.objects.exists()


def test_a_failing_subscriber_does_not_starve_the_others(
    db, django_capture_on_commit_callbacks, received
) -> None:
    def broken(event: events.DomainEvent) -> None:
        raise ValueError("subscriber bug")

    registry._subscribers[LampFailed.kind].insert(0, broken)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            events.publish(LampFailed(asset_id="L-7", lamp_type="SHP"))
    finally:
        registry._subscribers[LampFailed.kind].remove(broken)
    assert [event.asset_id for event in received] == ["L-7"]


def test_an_event_with_half_a_location_is_refused(db) -> None:
    with pytest.raises(events.MalformedEvent, match="latitude and longitude"):
        events.publish(LampFailed(asset_id="L-1", lat=47.3, lamp_type="LED"))
    assert not Event.objects.exists()


def test_an_event_with_an_unknown_severity_is_refused(db) -> None:
    with pytest.raises(events.MalformedEvent, match="severity"):
        events.publish(LampFailed(asset_id="L-1", severity="apocalyptic", lamp_type="LED"))
