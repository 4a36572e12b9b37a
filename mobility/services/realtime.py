"""GTFS-Realtime consumer, with the official protobuf bindings (gtfs-realtime-bindings).

One message may carry vehicle positions, trip updates and service alerts. The checks
transport authorities run on such feeds raise the feed-quality alarm: vehicles on trips or
stops the GTFS does not know, and vehicles moving faster than any tram or bus can.
"""

from __future__ import annotations

import json
import logging
import math
from datetime import UTC, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from google.protobuf.message import DecodeError
from google.transit import gtfs_realtime_pb2

from hypervisor import events, fanout
from mobility.events import (
    TransitAlertEnded,
    TransitAlertPublished,
    TransitFeedQualityDegraded,
    TransitFeedQualityRestored,
)
from mobility.models import (
    Feed,
    TransitAlert,
    TransitDelay,
    TransitStop,
    TransitTrip,
    TransitVehicle,
)

logger = logging.getLogger(__name__)
# Faster than this between two positions is a positioning fault, not a tram or a bus.
MAX_REALISTIC_KMH = 110.0
WARNINGS_LISTED = 5


def gtfs_rt_parse(body: bytes) -> gtfs_realtime_pb2.FeedMessage:
    from mobility.services.feeds import FeedError

    message = gtfs_realtime_pb2.FeedMessage()
    try:
        message.ParseFromString(body)
    except DecodeError as error:
        raise FeedError(
            _("The feed is not a valid GTFS-Realtime protobuf message (%(error)s).")
            % {"error": error}
        ) from error
    if not message.HasField("header") or not message.header.gtfs_realtime_version:
        raise FeedError(_("The GTFS-Realtime message has no header (gtfs_realtime_version)."))
    return message


def _when(seconds: int) -> datetime | None:
    return datetime.fromtimestamp(seconds, tz=UTC) if seconds else None


def _metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    dy = (lat2 - lat1) * 111_320
    dx = (lon2 - lon1) * 111_320 * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot(dx, dy)


def _translated(text: Any) -> str:
    for translation in text.translation:
        if translation.language in ("", "fr"):
            return str(translation.text)
    return str(text.translation[0].text) if text.translation else ""


def gtfs_rt_apply(*, feed: Feed, body: bytes) -> tuple[int, datetime | None, list[str]]:
    """Apply one message; returns (entities, header time, data-quality warnings)."""
    message = gtfs_rt_parse(body)
    now = timezone.now()
    header_at = _when(message.header.timestamp) or now
    vehicles, updates, alerts = [], [], []
    for entity in message.entity:
        if entity.is_deleted:
            continue
        if entity.HasField("vehicle"):
            vehicles.append(entity.vehicle)
        if entity.HasField("trip_update"):
            updates.append(entity.trip_update)
        if entity.HasField("alert"):
            alerts.append((entity.id, entity.alert))
    trip_ids = {v.trip.trip_id for v in vehicles if v.trip.trip_id} | {
        u.trip.trip_id for u in updates if u.trip.trip_id
    }
    known_trips = dict(
        TransitTrip.objects.filter(trip_id__in=trip_ids).values_list("trip_id", "route__route_id")
    )
    warnings: list[str] = []
    with transaction.atomic():
        moved = (
            _apply_vehicles(feed, vehicles, known_trips, header_at, warnings) if vehicles else []
        )
        if updates:
            _apply_trip_updates(feed, updates, known_trips, header_at, warnings)
        if alerts or feed.alerts.filter(active=True).exists():
            _apply_alerts(feed, alerts, now)
        _quality(feed, warnings)
    if moved:
        transaction.on_commit(lambda: _push_vehicles(moved), robust=True)
    return len(message.entity), header_at, warnings


def _apply_vehicles(
    feed: Feed,
    positions: list[Any],
    known_trips: dict[str, str],
    header_at: datetime,
    warnings: list[str],
) -> list[TransitVehicle]:
    previous = {
        vehicle_id: (lat, lon, at)
        for vehicle_id, lat, lon, at in TransitVehicle.objects.filter(feed=feed).values_list(
            "vehicle_id", "lat", "lon", "observed_at"
        )
    }
    unknown_trips, too_fast, rows = [], [], []
    for position in positions:
        vehicle_id = position.vehicle.id or position.vehicle.label
        if not vehicle_id or not position.HasField("position"):
            continue
        lat, lon = position.position.latitude, position.position.longitude
        at = _when(position.timestamp) or header_at
        trip_id = position.trip.trip_id
        if trip_id and trip_id not in known_trips:
            unknown_trips.append(trip_id)
        before = previous.get(vehicle_id)
        speed = position.position.speed * 3.6 if position.position.HasField("speed") else None
        if before and at > before[2]:
            computed = (
                _metres(before[0], before[1], lat, lon) / (at - before[2]).total_seconds() * 3.6
            )
            if computed > MAX_REALISTIC_KMH:
                too_fast.append(f"{vehicle_id} ({computed:.0f} km/h)")
            speed = computed if speed is None else speed
        rows.append(
            TransitVehicle(
                feed=feed,
                vehicle_id=vehicle_id,
                label=position.vehicle.label,
                trip_id=trip_id,
                route_id=position.trip.route_id or known_trips.get(trip_id, ""),
                lat=lat,
                lon=lon,
                bearing=position.position.bearing
                if position.position.HasField("bearing")
                else None,
                speed_kmh=speed,
                observed_at=at,
            )
        )
    _upsert(
        TransitVehicle,
        rows,
        unique=["feed_id", "vehicle_id"],
        update=[
            "label",
            "trip_id",
            "route_id",
            "lat",
            "lon",
            "bearing",
            "speed_kmh",
            "observed_at",
        ],
    )
    # Vehicles the feed no longer lists have left service.
    TransitVehicle.objects.filter(feed=feed).exclude(
        vehicle_id__in=[row.vehicle_id for row in rows]
    ).delete()
    if unknown_trips:
        warnings.append(
            _("%(count)s vehicles on trips unknown to the GTFS: %(ids)s")
            % {"count": len(unknown_trips), "ids": ", ".join(unknown_trips[:WARNINGS_LISTED])}
        )
    if too_fast:
        warnings.append(
            _("%(count)s vehicles moving unrealistically fast: %(ids)s")
            % {"count": len(too_fast), "ids": ", ".join(too_fast[:WARNINGS_LISTED])}
        )
    return rows


def _upsert(model: type[Any], rows: list[Any], *, unique: list[str], update: list[str]) -> None:
    """Insert or update many rows in one statement.

    On PostgreSQL the values go straight to `execute_values`: Django's bulk_create prepares
    each value in Python, which for 300 vehicles every 10 s costs more than the rest of the
    poll together (bench/gtfs_rt_poll.py). Elsewhere bulk_create does the same job.
    """
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["feed" if name == "feed_id" else name for name in unique],
            update_fields=update,
        )
        return
    from psycopg2.extras import execute_values

    columns = [*unique, *update]
    table = model._meta.db_table
    assignments = ", ".join(f"{name} = EXCLUDED.{name}" for name in update)
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES %s "  # noqa: S608 (names are ours)
        f"ON CONFLICT ({', '.join(unique)}) DO UPDATE SET {assignments}"
    )
    values = [tuple(getattr(row, name) for name in columns) for row in rows]
    with connection.cursor() as cursor:
        execute_values(cursor.cursor, sql, values, page_size=1000)


def _apply_trip_updates(
    feed: Feed, updates: list[Any], known_trips: dict[str, str], at: datetime, warnings: list[str]
) -> None:
    stop_ids = {
        stop.stop_id for update in updates for stop in update.stop_time_update if stop.stop_id
    }
    known_stops = set(
        TransitStop.objects.filter(stop_id__in=stop_ids).values_list("stop_id", flat=True)
    )
    unknown_stops = sorted(stop_ids - known_stops)
    unknown_trips, rows = [], []
    for update in updates:
        trip_id = update.trip.trip_id
        if trip_id not in known_trips:
            unknown_trips.append(trip_id)
        delay = update.delay if update.HasField("delay") else None
        for stop in update.stop_time_update:
            if delay is not None:
                break
            if stop.HasField("arrival") and stop.arrival.HasField("delay"):
                delay = stop.arrival.delay
            elif stop.HasField("departure") and stop.departure.HasField("delay"):
                delay = stop.departure.delay
        if delay is None:
            continue
        rows.append(
            TransitDelay(
                feed=feed,
                trip_id=trip_id,
                route_id=update.trip.route_id or known_trips.get(trip_id, ""),
                delay_seconds=delay,
                observed_at=at,
            )
        )
    _upsert(
        TransitDelay,
        rows,
        unique=["feed_id", "trip_id"],
        update=["route_id", "delay_seconds", "observed_at"],
    )
    TransitDelay.objects.filter(feed=feed).exclude(
        trip_id__in=[row.trip_id for row in rows]
    ).delete()
    # One statement for every vehicle whose trip got an update, whichever feed it came from.
    TransitVehicle.objects.filter(trip_id__in=[row.trip_id for row in rows]).update(
        delay_seconds=Subquery(
            TransitDelay.objects.filter(trip_id=OuterRef("trip_id"))
            .order_by("-observed_at")
            .values("delay_seconds")[:1]
        )
    )
    if unknown_trips:
        warnings.append(
            _("%(count)s trip updates for trips unknown to the GTFS: %(ids)s")
            % {"count": len(unknown_trips), "ids": ", ".join(unknown_trips[:WARNINGS_LISTED])}
        )
    if unknown_stops:
        warnings.append(
            _("%(count)s stops unknown to the GTFS: %(ids)s")
            % {"count": len(unknown_stops), "ids": ", ".join(unknown_stops[:WARNINGS_LISTED])}
        )


def _apply_alerts(feed: Feed, alerts: list[tuple[str, Any]], now: datetime) -> None:
    seen = []
    for alert_id, alert in alerts:
        route_ids = sorted({e.route_id for e in alert.informed_entity if e.route_id})
        stop_ids = sorted({e.stop_id for e in alert.informed_entity if e.stop_id})
        where = _alert_place(route_ids, stop_ids)
        fields = {
            "header": _translated(alert.header_text)[:300] or alert_id,
            "description": _translated(alert.description_text),
            "cause": gtfs_realtime_pb2.Alert.Cause.Name(alert.cause),
            "effect": gtfs_realtime_pb2.Alert.Effect.Name(alert.effect),
            "route_ids": route_ids,
            "stop_ids": stop_ids,
            "lat": where[0] if where else None,
            "lon": where[1] if where else None,
            "active": True,
            "last_seen_at": now,
        }
        existing = TransitAlert.objects.filter(feed=feed, alert_id=alert_id).first()
        record, _created = TransitAlert.objects.update_or_create(
            feed=feed,
            alert_id=alert_id,
            defaults=fields,
            create_defaults={**fields, "first_seen_at": now},
        )
        seen.append(alert_id)
        if existing is None or not existing.active:
            events.publish(
                TransitAlertPublished(
                    asset_id=str(record.pk),
                    severity="minor",
                    lat=record.lat,
                    lon=record.lon,
                    header=record.header,
                    route_ids=route_ids,
                    effect=record.effect,
                )
            )
    for ended in TransitAlert.objects.filter(feed=feed, active=True).exclude(alert_id__in=seen):
        ended.active = False
        ended.save(update_fields=["active"])
        events.publish(TransitAlertEnded(asset_id=str(ended.pk), lat=ended.lat, lon=ended.lon))


def _alert_place(route_ids: list[str], stop_ids: list[str]) -> tuple[float, float] | None:
    """Where an alert shows on the map: its stops' centre, else its line's middle stop."""
    stops = list(TransitStop.objects.filter(stop_id__in=stop_ids).values_list("lat", "lon"))
    if not stops and route_ids:
        stops = list(
            TransitStop.objects.filter(routes__route_id__in=route_ids)
            .order_by("stop_id")
            .values_list("lat", "lon")
        )
        stops = stops[len(stops) // 2 : len(stops) // 2 + 1]
    if not stops:
        return None
    return sum(s[0] for s in stops) / len(stops), sum(s[1] for s in stops) / len(stops)


def _quality(feed: Feed, warnings: list[str]) -> None:
    degraded_before = bool(feed.warnings)
    if warnings and not degraded_before:
        events.publish(
            TransitFeedQualityDegraded(
                asset_id=str(feed.pk), severity="minor", name=feed.name, warnings=warnings
            )
        )
    elif degraded_before and not warnings:
        events.publish(TransitFeedQualityRestored(asset_id=str(feed.pk)))


def _push_vehicles(vehicles: list[TransitVehicle]) -> None:
    """The vehicle layer goes to the screens whole, once per poll, as a one-layer snapshot.

    Positions change every few seconds: a stored event per position would swamp the event
    history, and a screen that misses one poll gets the next.
    """
    from hypervisor.selectors import live_sequence
    from mobility import selectors
    from mobility.layers import VehicleLayer, vehicle_feature, vehicle_labels

    routes = selectors.route_names()
    labels = vehicle_labels()
    current = selectors.vehicles_current().only(
        "feed_id", "vehicle_id", "label", "route_id", "lat", "lon", "delay_seconds"
    )
    message = {
        "type": "snapshot",
        "seq": live_sequence(),
        "layers": {
            VehicleLayer.name: [vehicle_feature(vehicle, routes, labels) for vehicle in current]
        },
    }
    try:
        fanout.publish(audience="", text=json.dumps(message, cls=DjangoJSONEncoder))
    except Exception:
        logger.exception("Live push of vehicle positions failed; screens catch up on reconnect")
