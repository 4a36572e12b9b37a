from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from hypervisor.models import Event, Gateway, TelemetryReading
from hypervisor.services import events_purge
from hypervisor.telemetry.services import telemetry_purge


def _event(*, age_days: float, rules_applied: bool = True) -> Event:
    now = timezone.now()
    event = Event.objects.create(
        kind="test.happened",
        asset_type="thing",
        asset_id="T-1",
        occurred_at=now,
        rules_applied_at=now if rules_applied else None,
    )
    # recorded_at is set on insert; age it afterwards.
    Event.objects.filter(pk=event.pk).update(recorded_at=now - timedelta(days=age_days))
    return event


@pytest.fixture
def retention_of_thirty_days(settings) -> None:
    settings.EVENT_RETENTION_DAYS = 30
    settings.TELEMETRY_RETENTION_DAYS = 30


def test_events_past_the_retention_period_are_purged(db, retention_of_thirty_days) -> None:
    old = _event(age_days=31)
    recent = _event(age_days=29)
    _event(age_days=1)
    assert events_purge() == 1
    assert not Event.objects.filter(pk=old.pk).exists()
    assert Event.objects.filter(pk=recent.pk).exists()


def test_an_old_event_still_waiting_for_its_alarm_rules_is_kept(
    db, retention_of_thirty_days
) -> None:
    waiting = _event(age_days=60, rules_applied=False)
    _event(age_days=1)
    assert events_purge() == 0
    assert Event.objects.filter(pk=waiting.pk).exists()


def test_the_newest_event_is_kept_so_the_live_sequence_survives(
    db, retention_of_thirty_days
) -> None:
    _event(age_days=90)
    newest = _event(age_days=60)
    assert events_purge() == 1
    assert list(Event.objects.values_list("pk", flat=True)) == [newest.pk]


def test_purging_events_twice_has_no_further_effect(db, retention_of_thirty_days) -> None:
    _event(age_days=40)
    _event(age_days=1)
    assert events_purge() == 1
    assert events_purge() == 0


def test_telemetry_readings_past_the_retention_period_are_purged(
    db, retention_of_thirty_days
) -> None:
    gateway = Gateway.objects.create(name="gw", token_hash="h" * 64, token_prefix="abcd")
    now = timezone.now()
    for days, message in ((31, "old"), (29, "recent")):
        TelemetryReading.objects.create(
            gateway_id=gateway.pk,
            message_id=message,
            asset_type="light_point",
            asset_id="LP-1",
            measured_at=now - timedelta(days=days),
        )
    assert telemetry_purge() == 1
    assert list(TelemetryReading.objects.values_list("message_id", flat=True)) == ["recent"]
