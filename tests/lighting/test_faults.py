"""Lighting faults become events, and events alarms, with cabinet outages correlated."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from hypervisor.models import Alarm, AlarmState, Event
from hypervisor.telemetry.types import Reading
from lighting import services
from lighting.models import Cabinet, CabinetStatus, LampStatus, LightPoint
from lighting.schedule import PARIS

WINTER_NIGHT = datetime(2026, 1, 15, 22, 0, tzinfo=PARIS)
WINTER_NOON = datetime(2026, 1, 15, 12, 0, tzinfo=PARIS)


def _reading(asset_id: str, at: datetime, **values: object) -> Reading:
    return Reading(f"m-{asset_id}-{at.timestamp()}", "lamp", asset_id, at, dict(values))


def test_a_cabinet_power_loss_and_its_dark_lamps_make_one_alarm_with_consequences(
    lamps, django_capture_on_commit_callbacks
) -> None:
    cabinet = lamps[0].cabinet
    with (
        time_machine.travel(WINTER_NIGHT, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.cabinet_power_set(cabinet=cabinet, powered=False)
    root = Alarm.objects.get(kind="cabinet-power")
    assert root.asset_id == cabinet.reference
    assert root.parent is None
    assert root.consequences.count() == 3
    assert Alarm.objects.filter(parent__isnull=True).count() == 1


def test_power_restored_clears_the_cabinet_alarm_and_its_consequences(
    lamps, django_capture_on_commit_callbacks
) -> None:
    cabinet = lamps[0].cabinet
    with time_machine.travel(WINTER_NIGHT, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            services.cabinet_power_set(cabinet=cabinet, powered=False)
        with django_capture_on_commit_callbacks(execute=True):
            services.cabinet_power_set(cabinet=Cabinet.objects.get(pk=cabinet.pk), powered=True)
    assert not Alarm.objects.exclude(state=AlarmState.CLEARED).exists()
    assert set(LightPoint.objects.values_list("status", flat=True)) == {LampStatus.OK}


def test_a_lamp_dark_at_night_on_a_powered_cabinet_is_a_lamp_failure(lamps) -> None:
    outcome = services.lamps_apply_readings(
        [_reading(lamps[0].reference, WINTER_NIGHT, lit=False)], now=WINTER_NIGHT
    )
    assert outcome.applied == 1
    assert LightPoint.objects.get(pk=lamps[0].pk).status == LampStatus.LAMP_FAILURE
    event = Event.objects.get(kind="lamp.failed")
    assert event.payload["parent"] == f"cabinet:{lamps[0].cabinet.reference}"


def test_a_lamp_lit_at_noon_is_reported_as_lit_in_daytime(lamps) -> None:
    services.lamps_apply_readings(
        [_reading(lamps[0].reference, WINTER_NOON, lit=True)], now=WINTER_NOON
    )
    assert LightPoint.objects.get(pk=lamps[0].pk).status == LampStatus.DAY_BURNING
    assert Event.objects.filter(kind="lamp.lit_in_daytime").count() == 1


def test_a_reading_that_changes_nothing_publishes_no_event(lamps) -> None:
    services.lamps_apply_readings(
        [_reading(lamps[0].reference, WINTER_NOON, lit=False, level=0)], now=WINTER_NOON
    )
    assert not Event.objects.exists()


def test_a_reading_for_an_unknown_lamp_is_refused_with_its_reason(lamps) -> None:
    outcome = services.lamps_apply_readings(
        [_reading("LP-NOWHERE", WINTER_NOON, lit=False)], now=WINTER_NOON
    )
    assert outcome.applied == 0
    assert "LP-NOWHERE" in next(iter(outcome.refused.values()))


def test_a_level_out_of_range_is_refused(lamps) -> None:
    outcome = services.lamps_apply_readings(
        [_reading(lamps[0].reference, WINTER_NIGHT, lit=True, level=140)], now=WINTER_NIGHT
    )
    assert len(outcome.refused) == 1


def test_a_cabinet_silent_past_the_timeout_loses_communication(cabinet, settings) -> None:
    settings.COMMUNICATION_TIMEOUT_MINUTES = 15
    now = timezone.now()
    Cabinet.objects.filter(pk=cabinet.pk).update(last_seen_at=now - timedelta(minutes=16))
    assert services.cabinets_detect_silent(now=now) == 1
    assert Cabinet.objects.get(pk=cabinet.pk).status == CabinetStatus.COMM_LOST
    assert Event.objects.filter(kind="cabinet.communication_lost").count() == 1


def test_a_cabinet_heard_recently_keeps_communication(cabinet, settings) -> None:
    settings.COMMUNICATION_TIMEOUT_MINUTES = 15
    now = timezone.now()
    Cabinet.objects.filter(pk=cabinet.pk).update(last_seen_at=now - timedelta(minutes=5))
    assert services.cabinets_detect_silent(now=now) == 0


def test_a_silent_cabinet_heard_again_is_restored(cabinet) -> None:
    Cabinet.objects.filter(pk=cabinet.pk).update(status=CabinetStatus.COMM_LOST)
    services.cabinets_heard_from(references=[cabinet.reference], at=timezone.now())
    assert Cabinet.objects.get(pk=cabinet.pk).status == CabinetStatus.OK
    assert Event.objects.filter(kind="cabinet.communication_restored").exists()


def test_healthy_lamps_follow_the_dimmed_level_at_three_in_the_morning(lamps) -> None:
    moved = services.lamps_follow_schedule(now=datetime(2026, 1, 16, 3, 0, tzinfo=PARIS))
    assert moved == 3
    assert set(LightPoint.objects.values_list("level", flat=True)) == {50}


def test_a_lamp_under_an_override_keeps_the_forced_level(lamps, operator) -> None:
    now = timezone.now()
    services.lighting_override(
        level=100, starts_at=now - timedelta(minutes=1), ends_at=now + timedelta(hours=2),
        reason="Fête de la musique", by=operator, commune_insee="21231",
    )  # fmt: skip
    services.lamps_follow_schedule(now=now)
    assert set(LightPoint.objects.values_list("level", flat=True)) == {100}


def test_an_override_without_a_zone_is_refused(operator) -> None:
    from django.core.exceptions import ValidationError

    now = timezone.now()
    with pytest.raises(ValidationError):
        services.lighting_override(
            level=100, starts_at=now, ends_at=now + timedelta(hours=1), reason="x", by=operator
        )
