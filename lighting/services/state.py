"""State of lamps and cabinets: telemetry, faults and their events.

Telemetry is applied in bulk: one read of the current state of the batch's assets, then
writes only for the assets whose state actually changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hypervisor import events
from hypervisor.telemetry.types import HandlerOutcome, Reading
from lighting import schedule
from lighting.events import (
    CabinetCommunicationLost,
    CabinetCommunicationRestored,
    CabinetPowerLost,
    CabinetPowerRestored,
    LampDaytimeEnded,
    LampFailed,
    LampLitInDaytime,
    LampRelayFailed,
    LampRelayRepaired,
    LampRepaired,
)
from lighting.models import Cabinet, CabinetStatus, LampStatus, LightPoint
from lighting.selectors import profiles

FAULTY = {LampStatus.LAMP_FAILURE, LampStatus.NO_POWER}


def _publish_lamp_change(
    *, reference: str, lat: float, lon: float, cabinet: str, old: str, new: str, reason: str = ""
) -> None:
    place: dict[str, Any] = {"asset_id": reference, "lat": lat, "lon": lon}
    parent = f"cabinet:{cabinet}"
    if old == LampStatus.DAY_BURNING and new != LampStatus.DAY_BURNING:
        events.publish(LampDaytimeEnded(**place))
    if old in FAULTY and new not in FAULTY:
        events.publish(LampRepaired(**place, status=new))
    if new in FAULTY and old not in FAULTY:
        severity = "minor"
        events.publish(
            LampFailed(**place, severity=severity, status=new, parent=parent, reason=reason)
        )
    if new == LampStatus.DAY_BURNING and old != LampStatus.DAY_BURNING:
        events.publish(LampLitInDaytime(**place, severity="minor", parent=parent))


def _lamp_status_from(
    values: dict[str, Any], *, expected: int, powered: bool, current: str
) -> str | None:
    """What a lamp's reading says about it; None when the reading says nothing about status.

    A controller may also report its own diagnosis: `day_burning` (lit when it should not
    be) and `fault` set back to false, which end the condition they name.
    """
    if values.get("fault"):
        return LampStatus.LAMP_FAILURE
    day_burning = values.get("day_burning")
    if day_burning is not None and not isinstance(day_burning, bool):
        raise ValueError(_("day_burning must be true or false"))
    if day_burning:
        return LampStatus.DAY_BURNING
    lit = values.get("lit")
    if lit is None:
        if values.get("fault") is False and current == LampStatus.LAMP_FAILURE:
            return LampStatus.OK
        if day_burning is False and current == LampStatus.DAY_BURNING:
            return LampStatus.OK
        return None
    if not isinstance(lit, bool):
        raise ValueError(_("lit must be true or false"))
    if lit and expected == 0:
        return LampStatus.DAY_BURNING
    if not lit and expected > 0:
        return LampStatus.LAMP_FAILURE if powered else LampStatus.NO_POWER
    return LampStatus.OK


LAMP_COLUMNS = (
    "reference", "pk", "status", "level", "lat", "lon", "street_class",
    "cabinet__reference", "cabinet__status",
)  # fmt: skip


def _lamp_rows(references: list[str]) -> list[tuple[Any, ...]]:
    """Current state of the batch's lamps in one query (an array parameter on PostgreSQL)."""
    if connection.vendor != "postgresql":
        return list(LightPoint.objects.filter(reference__in=references).values_list(*LAMP_COLUMNS))
    lamp, cabinet = LightPoint._meta.db_table, Cabinet._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT lamp.reference, lamp.id, lamp.status, lamp.level, lamp.lat, lamp.lon, "  # noqa: S608 (table names from the models)
            "lamp.street_class, cabinet.reference, cabinet.status FROM " + lamp + " AS lamp "
            "JOIN " + cabinet + " AS cabinet ON cabinet.id = lamp.cabinet_id "
            "WHERE lamp.reference = ANY(%s)",
            [references],
        )
        return cursor.fetchall()


def lamps_apply_readings(readings: list[Reading], *, now: datetime) -> HandlerOutcome:
    """Telemetry handler for "lamp": values {"lit": bool, "level": 0-100, "fault": str}.

    Lamp controllers may add "day_burning" and "relay_failure" (bool) and metered figures
    ("energy_kwh", "operating_hours", "switch_on_count"), which are kept in the history.
    """
    outcome = HandlerOutcome()
    rows = {row[0]: row for row in _lamp_rows(list({reading.asset_id for reading in readings}))}
    plan = profiles()
    expected_cache: dict[tuple[str, datetime], int] = {}
    latest: dict[str, tuple[datetime, str, int]] = {}
    relays: dict[str, bool] = {}
    for reading in readings:
        row = rows.get(reading.asset_id)
        if row is None:
            outcome.refused[reading.message_id] = _("unknown light point %(id)s") % {
                "id": reading.asset_id
            }
            continue
        _ref, _pk, status, level, _lat, _lon, street_class, _cab, cabinet_status = row
        minute = reading.measured_at.replace(second=0, microsecond=0)
        key = (street_class, minute)
        if key not in expected_cache:
            expected_cache[key] = schedule.level_at(minute, plan[street_class])
        try:
            new_status = _lamp_status_from(
                reading.values,
                expected=expected_cache[key],
                powered=cabinet_status != CabinetStatus.POWER_LOSS,
                current=status,
            )
            relay_failure = reading.values.get("relay_failure")
            if relay_failure is not None and not isinstance(relay_failure, bool):
                raise ValueError(_("relay_failure must be true or false"))
            new_level = reading.values.get("level", level)
            if not isinstance(new_level, int) or not 0 <= new_level <= 100:
                raise ValueError(_("level must be an integer from 0 to 100"))
        except ValueError as error:
            outcome.refused[reading.message_id] = str(error)
            continue
        outcome.applied += 1
        if relay_failure is not None:
            relays[reading.asset_id] = relay_failure
        previous = latest.get(reading.asset_id)
        if previous is None or reading.measured_at >= previous[0]:
            latest[reading.asset_id] = (reading.measured_at, new_status or status, new_level)
    changed = []
    for reference, (_at, new_status, new_level) in latest.items():
        _ref, pk, status, level, lat, lon, _class, cabinet, _cabinet_status = rows[reference]
        if new_status == status and new_level == level:
            continue
        changed.append(LightPoint(pk=pk, status=new_status, level=new_level))
        if new_status != status:
            _publish_lamp_change(
                reference=reference, lat=lat, lon=lon, cabinet=cabinet, old=status, new=new_status
            )
    if changed:
        _update_lamps(changed)
    for reference, failed in relays.items():
        _ref, _pk, _status, _level, lat, lon, _class, cabinet, _cabinet_status = rows[reference]
        place: dict[str, Any] = {"asset_id": reference, "lat": lat, "lon": lon}
        if failed:
            events.publish(LampRelayFailed(**place, severity="minor", parent=f"cabinet:{cabinet}"))
        else:
            events.publish(LampRelayRepaired(**place))
    return outcome


def _update_lamps(changed: list[LightPoint]) -> None:
    """One UPDATE for the whole batch on PostgreSQL; Django's CASE-based bulk_update elsewhere."""
    if connection.vendor != "postgresql":
        LightPoint.objects.bulk_update(changed, ["status", "level"], batch_size=500)
        return
    table = LightPoint._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE " + table + " AS lamp SET status = changed.status, level = changed.level "  # noqa: S608
            "FROM (SELECT unnest(%s::bigint[]) AS id, unnest(%s::varchar[]) AS status, "
            "unnest(%s::smallint[]) AS level) AS changed WHERE lamp.id = changed.id",
            [
                [point.pk for point in changed],
                [point.status for point in changed],
                [point.level for point in changed],
            ],
        )


def cabinets_apply_readings(readings: list[Reading], *, now: datetime) -> HandlerOutcome:
    """Telemetry handler for "cabinet": values {"powered": bool, "meter_kwh": float}."""
    outcome = HandlerOutcome()
    cabinets = {
        cabinet.reference: cabinet
        for cabinet in Cabinet.objects.filter(reference__in={r.asset_id for r in readings})
    }
    seen: dict[str, datetime] = {}
    for reading in sorted(readings, key=lambda item: item.measured_at):
        cabinet = cabinets.get(reading.asset_id)
        if cabinet is None:
            outcome.refused[reading.message_id] = _("unknown cabinet %(id)s") % {
                "id": reading.asset_id
            }
            continue
        powered = reading.values.get("powered")
        meter = reading.values.get("meter_kwh")
        if powered is not None and not isinstance(powered, bool):
            outcome.refused[reading.message_id] = _("powered must be true or false")
            continue
        if meter is not None and (not isinstance(meter, int | float) or meter < 0):
            outcome.refused[reading.message_id] = _("meter_kwh must be a positive number")
            continue
        outcome.applied += 1
        seen[cabinet.reference] = reading.measured_at
        if powered is not None:
            cabinet_power_set(cabinet=cabinet, powered=powered, at=reading.measured_at)
        if meter is not None:
            from lighting.services.energy import energy_meter_record

            energy_meter_record(cabinet=cabinet, index_kwh=float(meter), at=reading.measured_at)
    if seen:
        cabinets_heard_from(references=list(seen), at=now)
    return outcome


def cabinets_heard_from(*, references: Iterable[str], at: datetime) -> None:
    """Record contact; a cabinet that was silent is reported back."""
    references = list(references)
    Cabinet.objects.filter(reference__in=references).update(last_seen_at=at)
    for cabinet in Cabinet.objects.filter(reference__in=references, status=CabinetStatus.COMM_LOST):
        cabinet.status = CabinetStatus.OK
        cabinet.save(update_fields=["status"])
        LightPoint.objects.filter(cabinet=cabinet, status=LampStatus.COMM_LOST).update(
            status=LampStatus.OK
        )
        events.publish(
            CabinetCommunicationRestored(
                asset_id=cabinet.reference, lat=cabinet.lat, lon=cabinet.lon
            )
        )


@transaction.atomic
def cabinet_power_set(*, cabinet: Cabinet, powered: bool, at: datetime | None = None) -> bool:
    """Power lost: the cabinet alarm first, then each lamp it feeds goes dark as a consequence.

    Returns whether anything changed.
    """
    at = at or timezone.now()
    lost = cabinet.status == CabinetStatus.POWER_LOSS
    if lost == (not powered):
        return False
    place: dict[str, Any] = {"asset_id": cabinet.reference, "lat": cabinet.lat, "lon": cabinet.lon}
    lamps = list(
        cabinet.points.values_list("reference", "lat", "lon", "status").order_by("reference")
    )
    if not powered:
        cabinet.status = CabinetStatus.POWER_LOSS
        cabinet.save(update_fields=["status"])
        events.publish(
            CabinetPowerLost(**place, severity="major", points=len(lamps), occurred_at=at)
        )
        dark = schedule.is_dark(at)
        if dark:
            cabinet.points.exclude(status=LampStatus.LAMP_FAILURE).update(
                status=LampStatus.NO_POWER, level=0
            )
            for reference, lat, lon, status in lamps:
                if status != LampStatus.LAMP_FAILURE:
                    _publish_lamp_change(
                        reference=reference, lat=lat, lon=lon, cabinet=cabinet.reference,
                        old=status, new=LampStatus.NO_POWER, reason=_("cabinet without power"),
                    )  # fmt: skip
        return True
    cabinet.status = CabinetStatus.OK
    cabinet.save(update_fields=["status"])
    cabinet.points.filter(status=LampStatus.NO_POWER).update(status=LampStatus.OK)
    for reference, lat, lon, status in lamps:
        if status == LampStatus.NO_POWER:
            _publish_lamp_change(
                reference=reference, lat=lat, lon=lon, cabinet=cabinet.reference,
                old=status, new=LampStatus.OK,
            )  # fmt: skip
    events.publish(CabinetPowerRestored(**place, occurred_at=at))
    return True


@transaction.atomic
def lamp_status_set(*, point: LightPoint, status: str, reason: str = "") -> bool:
    """Set one lamp's status (a crew's report, the simulator); returns whether it changed."""
    if status not in LampStatus.values:
        raise ValueError(f"Unknown lamp status {status!r}")
    if point.status == status:
        return False
    old = point.status
    point.status = status
    if status in FAULTY:
        point.level = 0
    point.full_clean()
    point.save(update_fields=["status", "level"])
    _publish_lamp_change(
        reference=point.reference, lat=point.lat, lon=point.lon,
        cabinet=point.cabinet.reference, old=old, new=status, reason=reason,
    )  # fmt: skip
    return True


@transaction.atomic
def cabinets_detect_silent(*, now: datetime | None = None) -> int:
    """Cabinets silent for longer than the timeout lose communication (their lamps too)."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.COMMUNICATION_TIMEOUT_MINUTES)
    silent = list(
        Cabinet.objects.filter(status=CabinetStatus.OK, last_seen_at__lt=cutoff).select_for_update()
    )
    for cabinet in silent:
        cabinet.status = CabinetStatus.COMM_LOST
        cabinet.save(update_fields=["status"])
        cabinet.points.filter(status=LampStatus.OK).update(status=LampStatus.COMM_LOST)
        assert cabinet.last_seen_at is not None
        events.publish(
            CabinetCommunicationLost(
                asset_id=cabinet.reference,
                lat=cabinet.lat,
                lon=cabinet.lon,
                severity="minor",
                silent_minutes=int((now - cabinet.last_seen_at).total_seconds() // 60),
            )
        )
    return len(silent)
