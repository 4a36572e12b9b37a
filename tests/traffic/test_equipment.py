"""Signals, cameras and bollards: faults become events and alarms; commands are audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from hypervisor.models import Alarm, AuditEntry, Event
from tests.traffic.factories import BollardFactory
from traffic import services
from traffic.layers import BollardLayer, CameraLayer, CrossroadLayer
from traffic.models import BollardState, CameraStatus, ControllerState, Crossroad


def test_a_flashing_controller_raises_the_traffic_signal_alarm(
    crossroad, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.crossroad_state_set(crossroad=crossroad, state="flashing", fault_code="E31")
    alarm = Alarm.objects.get(kind="traffic-signal-fault")
    assert alarm.asset_id == "CAR-001"


def test_a_controller_back_to_normal_clears_its_alarm(
    crossroad, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.crossroad_state_set(crossroad=crossroad, state="dark")
    with django_capture_on_commit_callbacks(execute=True):
        services.crossroad_state_set(crossroad=crossroad, state="normal")
    assert Alarm.objects.get(kind="traffic-signal-fault").state == "cleared"


def test_a_fault_during_works_tells_the_procedure_the_crossroad_is_under_works(crossroad) -> None:
    today = timezone.localdate()
    crossroad.works_from, crossroad.works_until = today, today + timedelta(days=3)
    crossroad.save()
    services.crossroad_state_set(crossroad=crossroad, state="fault", fault_code="E40")
    assert Event.objects.get(kind="crossroad.faulted").payload["under_works"] is True


def test_a_dark_crossroad_is_critical(crossroad) -> None:
    services.crossroad_state_set(crossroad=crossroad, state="dark")
    assert Event.objects.get(kind="crossroad.faulted").severity == "critical"


def test_a_silent_controller_loses_communication(crossroad, settings) -> None:
    settings.COMMUNICATION_TIMEOUT_MINUTES = 10
    Crossroad.objects.filter(pk=crossroad.pk).update(
        last_seen_at=timezone.now() - timedelta(minutes=11)
    )
    assert services.crossroads_detect_silent() == 1
    assert Crossroad.objects.get(pk=crossroad.pk).state == ControllerState.COMM_LOST


def test_a_camera_going_offline_publishes_an_event(camera) -> None:
    services.camera_status_set(camera=camera, status=CameraStatus.OFFLINE)
    assert Event.objects.filter(kind="camera.went_offline", asset_id="CAM-001").exists()


def test_a_retention_above_thirty_days_is_invalid(camera) -> None:
    from django.core.exceptions import ValidationError

    camera.retention_days = 31
    with pytest.raises(ValidationError):
        camera.full_clean()


def test_lowering_a_bollard_is_audited_with_the_reason(operator, db) -> None:
    bollard = BollardFactory()
    services.bollard_command(bollard=bollard, lower=True, by=operator, reason="SAMU, intervention")
    entry = AuditEntry.objects.get(action="bollard.lower")
    assert entry.summary == "SAMU, intervention"
    assert entry.actor == operator


def test_a_bollard_in_fault_cannot_be_lowered(operator, db) -> None:
    bollard = BollardFactory(state=BollardState.FAULT)
    with pytest.raises(services.BollardUnavailable):
        services.bollard_command(bollard=bollard, lower=True, by=operator, reason="livraison")


def test_a_bollard_fault_raises_an_alarm(db, django_capture_on_commit_callbacks) -> None:
    bollard = BollardFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.bollard_state_set(bollard=bollard, state=BollardState.FAULT, fault_code="H03")
    assert Alarm.objects.filter(kind="bollard-fault", asset_id=bollard.reference).exists()


def test_layers_show_only_what_is_not_normal_in_their_snapshot(crossroad, camera) -> None:
    services.camera_status_set(camera=camera, status=CameraStatus.OFFLINE)
    assert CrossroadLayer().snapshot() == []
    assert [feature["id"] for feature in CameraLayer().snapshot()] == ["CAM-001"]
    assert BollardLayer().snapshot() == []


def test_the_camera_tile_carries_bearing_and_field_of_view(camera) -> None:
    tile = CameraLayer().tile(bbox=(5.0, 47.3, 5.1, 47.4), zoom=12)
    assert tile["fields"] == ["id", "lat", "lon", "status", "bearing", "field_of_view"]
    assert tile["rows"] == [["CAM-001", 47.3225, 5.0405, "online", 90, 75]]
