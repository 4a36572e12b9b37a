"""State of crossroads, cameras and bollards: telemetry, faults, commands and their events."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hypervisor import events
from hypervisor.services import audit_record
from hypervisor.telemetry.types import HandlerOutcome, Reading
from traffic.events import (
    BollardFaulted,
    BollardMoved,
    BollardRepaired,
    CameraCameOnline,
    CameraWentOffline,
    CrossroadCommunicationLost,
    CrossroadCommunicationRestored,
    CrossroadFaulted,
    CrossroadRestored,
)
from traffic.models import (
    Bollard,
    BollardState,
    Camera,
    CameraStatus,
    ControllerState,
    Crossroad,
)

FAULT_STATES = {ControllerState.FLASHING, ControllerState.DARK, ControllerState.FAULT}


def _under_works(crossroad: Crossroad, at: datetime) -> bool:
    """The procedure neutralises faults of a crossroads under works."""
    day = timezone.localtime(at).date()
    start, end = crossroad.works_from, crossroad.works_until
    return start is not None and start <= day and (end is None or day <= end)


@transaction.atomic
def crossroad_state_set(
    *,
    crossroad: Crossroad,
    state: str,
    fault_code: str = "",
    at: datetime | None = None,
    suppressed_reason: str = "",
) -> bool:
    """A controller's state; a fault raises the signal alarm, normal operation clears it."""
    if state not in ControllerState.values or state == ControllerState.COMM_LOST:
        raise ValidationError(_("Unknown controller state %(state)s.") % {"state": state})
    at = at or timezone.now()
    old = crossroad.state
    if old == state and crossroad.fault_code == fault_code:
        return False
    crossroad.state, crossroad.fault_code, crossroad.state_since = state, fault_code, at
    crossroad.full_clean()
    crossroad.save(update_fields=["state", "fault_code", "state_since"])
    place: dict[str, Any] = {
        "asset_id": crossroad.reference,
        "lat": crossroad.lat,
        "lon": crossroad.lon,
    }
    if old == ControllerState.COMM_LOST:
        events.publish(CrossroadCommunicationRestored(**place, occurred_at=at))
    if state in FAULT_STATES:
        severity = "critical" if state == ControllerState.DARK else "major"
        events.publish(
            CrossroadFaulted(
                **place, severity=severity, state=state, fault_code=fault_code,
                name=crossroad.name, occurred_at=at, under_works=_under_works(crossroad, at),
                suppressed_reason=suppressed_reason,
            )
        )  # fmt: skip
    elif old in FAULT_STATES:
        events.publish(CrossroadRestored(**place, occurred_at=at))
    return True


@transaction.atomic
def camera_status_set(*, camera: Camera, status: str, at: datetime | None = None) -> bool:
    if status not in CameraStatus.values:
        raise ValidationError(_("Unknown camera status %(status)s.") % {"status": status})
    if camera.status == status:
        return False
    old, camera.status = camera.status, status
    camera.save(update_fields=["status"])
    place: dict[str, Any] = {"asset_id": camera.reference, "lat": camera.lat, "lon": camera.lon}
    if status == CameraStatus.ONLINE:
        events.publish(CameraCameOnline(**place, occurred_at=at or timezone.now()))
    elif old == CameraStatus.ONLINE:
        events.publish(
            CameraWentOffline(
                **place, severity="minor", status=status, occurred_at=at or timezone.now()
            )
        )
    return True


@transaction.atomic
def bollard_state_set(
    *, bollard: Bollard, state: str, fault_code: str = "", at: datetime | None = None
) -> bool:
    """What the bollard reports; a fault raises an alarm."""
    if state not in BollardState.values:
        raise ValidationError(_("Unknown bollard state %(state)s.") % {"state": state})
    old = bollard.state
    if old == state and bollard.fault_code == fault_code:
        return False
    bollard.state, bollard.fault_code = state, fault_code
    bollard.save(update_fields=["state", "fault_code"])
    place: dict[str, Any] = {"asset_id": bollard.reference, "lat": bollard.lat, "lon": bollard.lon}
    at = at or timezone.now()
    if state == BollardState.FAULT and old != BollardState.FAULT:
        events.publish(
            BollardFaulted(**place, severity="major", fault_code=fault_code, occurred_at=at)
        )
    elif old == BollardState.FAULT and state != BollardState.FAULT:
        events.publish(BollardRepaired(**place, occurred_at=at))
    return True


class BollardUnavailable(Exception):
    """The bollard cannot obey (it is in fault)."""


@transaction.atomic
def bollard_command(*, bollard: Bollard, lower: bool, by: User | None, reason: str) -> Bollard:
    """Lower or raise a bollard for an authorised or emergency vehicle; audited."""
    bollard = Bollard.objects.select_for_update().get(pk=bollard.pk)
    if bollard.state == BollardState.FAULT:
        raise BollardUnavailable(_("This bollard is in fault and cannot be moved."))
    if not reason.strip():
        raise ValidationError(_("Say why the bollard is moved (vehicle, emergency)."))
    before = bollard.state
    bollard.state = BollardState.DOWN if lower else BollardState.UP
    bollard.save(update_fields=["state"])
    audit_record(
        actor=by,
        action="bollard.lower" if lower else "bollard.raise",
        target=f"bollard:{bollard.reference}",
        summary=reason.strip(),
        before={"state": before},
        after={"state": bollard.state},
    )
    events.publish(
        BollardMoved(
            asset_id=bollard.reference, lat=bollard.lat, lon=bollard.lon, state=bollard.state,
            by=by.get_username() if by else "", reason=reason.strip(),
        )
    )  # fmt: skip
    return bollard


# Telemetry handlers: one read of the batch's assets, writes only where the state changed.


def _apply(
    readings: list[Reading],
    model: type[Any],
    label: str,
    apply_one: Callable[[Any, Reading], None],
    now: datetime,
) -> HandlerOutcome:
    outcome = HandlerOutcome()
    assets = {
        asset.reference: asset
        for asset in model.objects.filter(reference__in={r.asset_id for r in readings})
    }
    seen = []
    for reading in sorted(readings, key=lambda item: item.measured_at):
        asset = assets.get(reading.asset_id)
        if asset is None:
            outcome.refused[reading.message_id] = _("unknown %(what)s %(id)s") % {
                "what": label,
                "id": reading.asset_id,
            }
            continue
        try:
            apply_one(asset, reading)
        except ValidationError as error:
            outcome.refused[reading.message_id] = " ".join(error.messages)
            continue
        outcome.applied += 1
        seen.append(asset.pk)
    if seen:
        model.objects.filter(pk__in=seen).update(last_seen_at=now)
    return outcome


def crossroads_apply_readings(readings: list[Reading], *, now: datetime) -> HandlerOutcome:
    """Asset type "crossroad": values {"state": normal|flashing|dark|fault, "code": str}."""

    def apply_one(crossroad: Crossroad, reading: Reading) -> None:
        crossroad_state_set(
            crossroad=crossroad,
            state=str(reading.values.get("state", "")),
            fault_code=str(reading.values.get("code", "") or ""),
            at=reading.measured_at,
        )

    return _apply(readings, Crossroad, _("crossroad"), apply_one, now)


def cameras_apply_readings(readings: list[Reading], *, now: datetime) -> HandlerOutcome:
    """Asset type "camera": values {"online": bool, "recording": bool}."""

    def apply_one(camera: Camera, reading: Reading) -> None:
        online, recording = reading.values.get("online"), reading.values.get("recording", True)
        if not isinstance(online, bool) or not isinstance(recording, bool):
            raise ValidationError(_("online and recording must be true or false"))
        status = (
            CameraStatus.OFFLINE
            if not online
            else CameraStatus.ONLINE
            if recording
            else CameraStatus.NOT_RECORDING
        )
        camera_status_set(camera=camera, status=status, at=reading.measured_at)

    return _apply(readings, Camera, _("camera"), apply_one, now)


def bollards_apply_readings(readings: list[Reading], *, now: datetime) -> HandlerOutcome:
    """Asset type "bollard": values {"state": up|down|moving|fault, "code": str}."""

    def apply_one(bollard: Bollard, reading: Reading) -> None:
        bollard_state_set(
            bollard=bollard,
            state=str(reading.values.get("state", "")),
            fault_code=str(reading.values.get("code", "") or ""),
            at=reading.measured_at,
        )

    return _apply(readings, Bollard, _("bollard"), apply_one, now)


@transaction.atomic
def crossroads_detect_silent(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.COMMUNICATION_TIMEOUT_MINUTES)
    silent = list(
        Crossroad.objects.exclude(state=ControllerState.COMM_LOST)
        .filter(last_seen_at__lt=cutoff)
        .select_for_update()
    )
    for crossroad in silent:
        crossroad.state, crossroad.state_since = ControllerState.COMM_LOST, now
        crossroad.save(update_fields=["state", "state_since"])
        assert crossroad.last_seen_at is not None
        events.publish(
            CrossroadCommunicationLost(
                asset_id=crossroad.reference, lat=crossroad.lat, lon=crossroad.lon,
                severity="minor",
                silent_minutes=int((now - crossroad.last_seen_at).total_seconds() // 60),
                occurred_at=now,
            )
        )  # fmt: skip
    return len(silent)
