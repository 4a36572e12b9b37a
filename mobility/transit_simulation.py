"""GTFS-Realtime and GBFS feeds of the demo network, served by the feed simulator.

Stateless: everything follows from the clock, so any number of polls agree. Vehicles run the
demo timetable with a few minutes of delay each; every half hour a disruption may strike a
line (extra delay plus a service alert), and now and then the feed carries a vehicle on a trip
the GTFS does not know, as real feeds do, for the feed-quality alarm to catch.
"""

from __future__ import annotations

import json
import math
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache
from itertools import pairwise
from zoneinfo import ZoneInfo

from django.conf import settings
from google.transit import gtfs_realtime_pb2

from mobility import network

Route = Callable[[str], tuple[bytes, str]]
PROTOBUF = "application/x-protobuf"
DISRUPTION_PERIOD = 1800
DISRUPTION_LASTS = 900

CAUSES = [
    ("ACCIDENT", "Accident de la circulation"),
    ("TECHNICAL_PROBLEM", "Incident technique"),
    ("DEMONSTRATION", "Manifestation"),
]

# Bike-sharing stations near real places of the centre (approximate positions).
BIKE_STATIONS: list[tuple[str, str, float, float, int]] = [
    ("1", "Darcy", 47.32230, 5.03520, 20), ("2", "République", 47.32800, 5.04400, 18),
    ("3", "Place Wilson", 47.31620, 5.04560, 16), ("4", "Dijon Gare", 47.32360, 5.02800, 24),
    ("5", "Théâtre", 47.32190, 5.04400, 14), ("6", "Université", 47.31380, 5.07300, 22),
    ("7", "Godrans", 47.32440, 5.03900, 16), ("8", "Monge", 47.31730, 5.03200, 12),
    ("9", "Sainte-Anne", 47.31790, 5.04120, 12), ("10", "Toison d'Or", 47.35260, 5.05580, 20),
    ("11", "Auditorium", 47.32990, 5.04800, 16), ("12", "CHU", 47.32150, 5.07180, 18),
    ("13", "Drapeau", 47.33880, 5.04760, 14), ("14", "Érasme", 47.31700, 5.06950, 16),
    ("15", "Liberté", 47.32240, 5.03980, 18), ("16", "Port du Canal", 47.31450, 5.02900, 12),
]  # fmt: skip


@lru_cache(maxsize=1)
def _timetable() -> list[tuple[str, str, int, list[tuple[str, int, int]]]]:
    return [
        (trip_id, route_id, direction, network.trip_schedule(route_id, direction, start))
        for trip_id, route_id, direction, start in network.trips()
    ]


def _local_seconds(now: float) -> int:
    local = datetime.fromtimestamp(now, tz=ZoneInfo(settings.TIME_ZONE))
    seconds = local.hour * 3600 + local.minute * 60 + local.second
    # Trips after midnight run on the previous service day (times above 24:00:00).
    return seconds + 86_400 if seconds < 3 * 3600 else seconds


def disruption(now: float) -> dict[str, object] | None:
    """The disruption under way, if any: line, stop, cause, extra delay (seconds)."""
    period = int(now // DISRUPTION_PERIOD)
    rng = random.Random(f"disruption:{period}")
    if rng.random() >= 0.6 or now - period * DISRUPTION_PERIOD > DISRUPTION_LASTS:
        return None
    route_id = rng.choice(sorted(network.LINES))
    stop_id = rng.choice(network.LINES[route_id][4])
    cause, label = rng.choice(CAUSES)
    return {
        "id": f"disruption-{period}",
        "route_id": route_id,
        "stop_id": stop_id,
        "cause": cause,
        "label": label,
        "extra": rng.randint(6, 12) * 60,
    }


def _delay(trip_id: str, now: float, trouble: dict[str, object] | None) -> int:
    base = random.Random(trip_id).randint(-30, 240)
    drift = int(60 * math.sin(now / 600 + len(trip_id)))
    extra = (
        int(trouble["extra"]) if trouble and trip_id.startswith(f"{trouble['route_id']}-") else 0
    )  # type: ignore[call-overload]
    return max(-60, base + drift + extra)


def _position(
    schedule: list[tuple[str, int, int]], at: int
) -> tuple[float, float, float, str] | None:
    """(lat, lon, bearing, next stop) at `at` seconds, or None when not running."""
    if at < schedule[0][2] or at > schedule[-1][1]:
        return None
    for (stop_a, _arr_a, dep_a), (stop_b, arr_b, _dep_b) in pairwise(schedule):
        if at <= dep_a:
            _n, lat, lon = network.STOPS[stop_a]
            return lat, lon, 0.0, stop_a
        if at <= arr_b:
            share = (at - dep_a) / max(1, arr_b - dep_a)
            _n1, lat1, lon1 = network.STOPS[stop_a]
            _n2, lat2, lon2 = network.STOPS[stop_b]
            bearing = (
                math.degrees(math.atan2((lon2 - lon1) * math.cos(math.radians(lat1)), lat2 - lat1))
                % 360
            )
            return lat1 + (lat2 - lat1) * share, lon1 + (lon2 - lon1) * share, bearing, stop_b
    _n, lat, lon = network.STOPS[schedule[-1][0]]
    return lat, lon, 0.0, schedule[-1][0]


def running(now: float) -> list[tuple[str, str, int, tuple[float, float, float, str]]]:
    """[(trip_id, route_id, delay, position)] of every vehicle in service now."""
    trouble = disruption(now)
    clock = _local_seconds(now)
    found = []
    for trip_id, route_id, _direction, schedule in _timetable():
        if not schedule[0][2] - 600 <= clock <= schedule[-1][1] + 1200:
            continue
        delay = _delay(trip_id, now, trouble)
        where = _position(schedule, clock - delay)
        if where is not None:
            found.append((trip_id, route_id, delay, where))
    return found


def _header(message: gtfs_realtime_pb2.FeedMessage, now: float) -> None:
    message.header.gtfs_realtime_version = "2.0"
    message.header.incrementality = gtfs_realtime_pb2.FeedHeader.FULL_DATASET
    message.header.timestamp = int(now)


def vehicle_positions(now: float | None = None) -> bytes:
    now = time.time() if now is None else now
    message = gtfs_realtime_pb2.FeedMessage()
    _header(message, now)
    vehicles = running(now)
    if random.Random(f"ghost:{int(now // DISRUPTION_PERIOD)}").random() < 0.15 and vehicles:
        _trip, route_id, delay, where = vehicles[0]
        vehicles.append(
            ("T9-GHOST", route_id, delay, (where[0] + 0.002, where[1], where[2], where[3]))
        )
    for trip_id, route_id, _delay_s, (lat, lon, bearing, stop_id) in vehicles:
        entity = message.entity.add()
        entity.id = f"vehicle-{trip_id}"
        vehicle = entity.vehicle
        vehicle.trip.trip_id = trip_id
        vehicle.trip.route_id = route_id
        vehicle.vehicle.id = f"veh-{trip_id}"
        vehicle.vehicle.label = f"{network.LINES.get(route_id, (route_id,))[0]} {trip_id[-4:]}"
        vehicle.position.latitude = lat
        vehicle.position.longitude = lon
        vehicle.position.bearing = bearing
        vehicle.stop_id = stop_id
        vehicle.timestamp = int(now)
    return message.SerializeToString()


def trip_updates(now: float | None = None) -> bytes:
    now = time.time() if now is None else now
    message = gtfs_realtime_pb2.FeedMessage()
    _header(message, now)
    for trip_id, route_id, delay, (_lat, _lon, _bearing, stop_id) in running(now):
        entity = message.entity.add()
        entity.id = f"trip-{trip_id}"
        update = entity.trip_update
        update.trip.trip_id = trip_id
        update.trip.route_id = route_id
        update.delay = delay
        update.timestamp = int(now)
        stop = update.stop_time_update.add()
        stop.stop_id = stop_id
        stop.arrival.delay = delay
    return message.SerializeToString()


def service_alerts(now: float | None = None) -> bytes:
    now = time.time() if now is None else now
    message = gtfs_realtime_pb2.FeedMessage()
    _header(message, now)
    trouble = disruption(now)
    if trouble:
        entity = message.entity.add()
        entity.id = str(trouble["id"])
        alert = entity.alert
        alert.cause = gtfs_realtime_pb2.Alert.Cause.Value(str(trouble["cause"]))
        alert.effect = gtfs_realtime_pb2.Alert.SIGNIFICANT_DELAYS
        informed = alert.informed_entity.add()
        informed.route_id = str(trouble["route_id"])
        stop = alert.informed_entity.add()
        stop.route_id = str(trouble["route_id"])
        stop.stop_id = str(trouble["stop_id"])
        line = network.LINES[str(trouble["route_id"])][0]
        place = network.STOPS[str(trouble["stop_id"])][0]
        minutes = int(trouble["extra"]) // 60  # type: ignore[call-overload]
        for language, header, description in (
            (
                "fr",
                f"Ligne {line} : perturbation à {place}",
                f"{trouble['label']} à {place} : retards jusqu'à {minutes} min.",
            ),
            (
                "en",
                f"Line {line}: disruption at {place}",
                f"Delays of up to {minutes} min at {place}.",
            ),
        ):
            translation = alert.header_text.translation.add()
            translation.text, translation.language = header, language
            translation = alert.description_text.translation.add()
            translation.text, translation.language = description, language
        period = alert.active_period.add()
        period.start = int(now // DISRUPTION_PERIOD * DISRUPTION_PERIOD)
        period.end = period.start + DISRUPTION_LASTS
    return message.SerializeToString()


def _bikes(station_id: str, capacity: int, now: float) -> int:
    rng = random.Random(f"bikes:{station_id}")
    phase, amplitude = rng.uniform(0, 2 * math.pi), rng.uniform(0.5, 0.75)
    share = 0.5 + amplitude * math.sin(now / 5400 + phase)
    return max(0, min(capacity, round(capacity * share)))


def _iso(now: float) -> str:
    return datetime.fromtimestamp(int(now), tz=UTC).isoformat().replace("+00:00", "Z")


def gbfs(version: str, name: str, base: str, now: float | None = None) -> bytes:
    """GBFS 2.3 or 3.0 documents: the discovery file, station information and status."""
    now = time.time() if now is None else now
    v3 = version.startswith("3")
    root = f"{base}/gbfs/{version}"
    if name == "gbfs":
        feeds = [
            {"name": feed, "url": f"{root}/{feed}.json"}
            for feed in ("system_information", "station_information", "station_status")
        ]
        data: dict[str, object] = {"feeds": feeds} if v3 else {"fr": {"feeds": feeds}}
    elif name == "system_information":
        system: dict[str, object] = {"system_id": "dijon-velo-demo", "timezone": "Europe/Paris"}
        if v3:
            system.update(
                name=[{"text": "DiviaVélodi (démonstration)", "language": "fr"}],
                languages=["fr"],
                opening_hours="24/7",
                feed_contact_email="open-data@example.org",
            )
        else:
            system.update(name="DiviaVélodi (démonstration)", language="fr")
        data = system
    elif name == "station_information":
        data = {
            "stations": [
                {
                    "station_id": sid,
                    "name": [{"text": label, "language": "fr"}] if v3 else label,
                    "lat": lat,
                    "lon": lon,
                    "capacity": capacity,
                }
                for sid, label, lat, lon, capacity in BIKE_STATIONS
            ]
        }
    elif name == "station_status":
        stations = []
        for sid, _label, _lat, _lon, capacity in BIKE_STATIONS:
            bikes = _bikes(sid, capacity, now)
            status: dict[str, object] = {
                "station_id": sid,
                "num_docks_available": capacity - bikes,
                "is_installed": True,
                "is_renting": True,
                "is_returning": True,
                "last_reported": _iso(now) if v3 else int(now),
            }
            status["num_vehicles_available" if v3 else "num_bikes_available"] = bikes
            stations.append(status)
        data = {"stations": stations}
    else:
        raise KeyError(name)
    document = {
        "last_updated": _iso(now) if v3 else int(now),
        "ttl": 60,
        "version": "3.0" if v3 else "2.3",
        "data": data,
    }
    return json.dumps(document, ensure_ascii=False).encode()


def routes() -> dict[str, Route]:
    table: dict[str, Route] = {
        "/gtfs-rt/vehicle-positions.pb": lambda base: (vehicle_positions(), PROTOBUF),
        "/gtfs-rt/trip-updates.pb": lambda base: (trip_updates(), PROTOBUF),
        "/gtfs-rt/alerts.pb": lambda base: (service_alerts(), PROTOBUF),
    }
    for version in ("2.3", "3.0"):
        for name in ("gbfs", "system_information", "station_information", "station_status"):
            table[f"/gbfs/{version}/{name}.json"] = lambda base, version=version, name=name: (
                gbfs(version, name, base),
                "application/json",
            )
    return table
