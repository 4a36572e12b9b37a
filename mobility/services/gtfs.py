"""GTFS import, all or nothing: the archive is read with partridge, checked whole, and
loaded in one transaction only when nothing is refused; every refused file and row is named.
"""

from __future__ import annotations

import logging
import math
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import partridge
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mobility.models import (
    GtfsImport,
    TransitRoute,
    TransitShape,
    TransitStop,
    TransitStopTime,
    TransitTrip,
)

logger = logging.getLogger(__name__)
REQUIRED_FILES = ("agency.txt", "stops.txt", "routes.txt", "trips.txt", "stop_times.txt")
MAX_PROBLEMS = 200


class GtfsRefused(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems[:5]))
        self.problems = problems


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


def _text(value: Any) -> str:
    return "" if _blank(value) else str(value).strip()


def _rows(frame: Any) -> list[tuple[int, dict[str, Any]]]:
    """(line number in the file, row); line 1 is the header."""
    return [(index + 2, row) for index, row in enumerate(frame.to_dict("records"))]


def gtfs_read(*, path: Path) -> dict[str, Any]:
    """The checked content of an archive, or GtfsRefused listing every problem found."""
    problems: list[str] = []
    try:
        with zipfile.ZipFile(path) as archive:
            names = {Path(name).name for name in archive.namelist()}
    except zipfile.BadZipFile:
        raise GtfsRefused([_("The file is not a ZIP archive.")]) from None
    for required in REQUIRED_FILES:
        if required not in names:
            problems.append(_("Required file %(file)s is missing.") % {"file": required})
    if "calendar.txt" not in names and "calendar_dates.txt" not in names:
        problems.append(_("Neither calendar.txt nor calendar_dates.txt is present."))
    if problems:
        raise GtfsRefused(problems)
    try:
        feed = partridge.load_feed(str(path))
        frames = {
            "routes": feed.routes,
            "stops": feed.stops,
            "trips": feed.trips,
            "stop_times": feed.stop_times,
            "shapes": feed.shapes,
            "agency": feed.agency,
        }
    except Exception as error:
        raise GtfsRefused(
            [_("The archive could not be read: %(error)s") % {"error": error}]
        ) from error
    content = _check(frames, problems)
    if problems:
        raise GtfsRefused(problems[:MAX_PROBLEMS])
    return content


def _check(frames: dict[str, Any], problems: list[str]) -> dict[str, Any]:
    def refuse(file: str, line: int, reason: str) -> None:
        problems.append(
            _("%(file)s line %(line)s: %(reason)s") % {"file": file, "line": line, "reason": reason}
        )

    agency = _text(frames["agency"]["agency_name"].iloc[0]) if len(frames["agency"]) else ""
    routes: dict[str, dict[str, Any]] = {}
    for line, row in _rows(frames["routes"]):
        route_id = _text(row.get("route_id"))
        if not route_id:
            refuse("routes.txt", line, _("no route_id"))
            continue
        if _blank(row.get("route_type")):
            refuse("routes.txt", line, _("route_type missing or not a number"))
            continue
        routes[route_id] = {
            "short_name": _text(row.get("route_short_name")),
            "long_name": _text(row.get("route_long_name")),
            "route_type": int(row["route_type"]),
            "color": _text(row.get("route_color"))[:6],
            "text_color": _text(row.get("route_text_color"))[:6],
        }
    stops: dict[str, dict[str, Any]] = {}
    # Rows pointing at a refused stop or trip are not named again: the cause already is.
    refused_ids: set[str] = set()
    for line, row in _rows(frames["stops"]):
        stop_id = _text(row.get("stop_id"))
        lat, lon = row.get("stop_lat") or math.nan, row.get("stop_lon") or math.nan
        if not stop_id:
            refuse("stops.txt", line, _("no stop_id"))
        elif not (-90 <= lat <= 90 and -180 <= lon <= 180):  # NaN when missing or unreadable
            refuse("stops.txt", line, _("stop %(id)s has no valid position") % {"id": stop_id})
            refused_ids.add(stop_id)
        else:
            stops[stop_id] = {
                "name": _text(row.get("stop_name")) or stop_id,
                "lat": lat,
                "lon": lon,
            }
    trips: dict[str, dict[str, Any]] = {}
    for line, row in _rows(frames["trips"]):
        trip_id, route_id = _text(row.get("trip_id")), _text(row.get("route_id"))
        if route_id not in routes:
            refuse("trips.txt", line, _("unknown route_id %(id)s") % {"id": route_id})
            refused_ids.add(trip_id)
            continue
        direction: Any = row.get("direction_id")
        trips[trip_id] = {
            "route_id": route_id,
            "service_id": _text(row.get("service_id")),
            "headsign": _text(row.get("trip_headsign")),
            "direction_id": None if _blank(direction) else int(direction),
            "shape_id": _text(row.get("shape_id")),
        }
    stop_times = []
    for line, row in _rows(frames["stop_times"]):
        trip_id, stop_id = _text(row.get("trip_id")), _text(row.get("stop_id"))
        if trip_id in refused_ids or stop_id in refused_ids:
            continue
        if trip_id not in trips:
            refuse("stop_times.txt", line, _("unknown trip_id %(id)s") % {"id": trip_id})
        elif stop_id not in stops:
            refuse("stop_times.txt", line, _("unknown stop_id %(id)s") % {"id": stop_id})
        elif _blank(row.get("arrival_time")) or _blank(row.get("departure_time")):
            refuse("stop_times.txt", line, _("arrival or departure time missing or unreadable"))
        else:
            stop_times.append(
                (
                    trip_id,
                    stop_id,
                    int(row["stop_sequence"]),
                    int(row["arrival_time"]),
                    int(row["departure_time"]),
                )
            )
        if len(problems) >= MAX_PROBLEMS:
            break
    shapes: dict[str, list[tuple[int, float, float]]] = defaultdict(list)
    for line, row in _rows(frames["shapes"]):
        if _blank(row.get("shape_pt_lat")) or _blank(row.get("shape_pt_lon")):
            refuse("shapes.txt", line, _("shape point without a position"))
            continue
        shapes[_text(row.get("shape_id"))].append(
            (int(row["shape_pt_sequence"]), float(row["shape_pt_lon"]), float(row["shape_pt_lat"]))
        )
    return {
        "agency": agency,
        "routes": routes,
        "stops": stops,
        "trips": trips,
        "stop_times": stop_times,
        "shapes": {
            shape_id: [[lon, lat] for _s, lon, lat in sorted(points)]
            for shape_id, points in shapes.items()
        },
    }


def gtfs_import(*, path: Path, file_name: str = "") -> GtfsImport:
    """Replace the network with the archive's, or change nothing and record why."""
    name = file_name or path.name
    try:
        content = gtfs_read(path=path)
    except GtfsRefused as refused:
        logger.warning("GTFS %s refused: %s", name, "; ".join(refused.problems[:10]))
        return GtfsImport.objects.create(
            at=timezone.now(), file_name=name, accepted=False, problems=refused.problems
        )
    return _load(content, name)


@transaction.atomic
def _load(content: dict[str, Any], name: str) -> GtfsImport:
    TransitStopTime.objects.all().delete()
    TransitTrip.objects.all().delete()
    TransitShape.objects.all().delete()
    TransitStop.objects.all().delete()
    TransitRoute.objects.all().delete()
    routes = {
        route_id: TransitRoute.objects.create(
            route_id=route_id, agency_name=content["agency"], **fields
        )
        for route_id, fields in content["routes"].items()
    }
    stops = {
        stop_id: TransitStop(stop_id=stop_id, **fields)
        for stop_id, fields in content["stops"].items()
    }
    TransitStop.objects.bulk_create(stops.values())
    trips = {
        trip_id: TransitTrip(
            trip_id=trip_id,
            route=routes[fields["route_id"]],
            service_id=fields["service_id"],
            headsign=fields["headsign"],
            direction_id=fields["direction_id"],
            shape_id=fields["shape_id"],
        )
        for trip_id, fields in content["trips"].items()
    }
    TransitTrip.objects.bulk_create(trips.values(), batch_size=2000)
    TransitStopTime.objects.bulk_create(
        [
            TransitStopTime(
                trip=trips[trip_id],
                stop=stops[stop_id],
                stop_sequence=sequence,
                arrival_seconds=arrival,
                departure_seconds=departure,
            )
            for trip_id, stop_id, sequence, arrival, departure in content["stop_times"]
        ],
        batch_size=5000,
    )
    route_of_shape = {
        fields["shape_id"]: routes[fields["route_id"]]
        for fields in content["trips"].values()
        if fields["shape_id"]
    }
    TransitShape.objects.bulk_create(
        [
            TransitShape(shape_id=shape_id, route=route_of_shape.get(shape_id), coordinates=points)
            for shape_id, points in content["shapes"].items()
        ]
    )
    served = defaultdict(set)
    for trip_id, stop_id, *_rest in content["stop_times"]:
        served[stop_id].add(routes[content["trips"][trip_id]["route_id"]].pk)
    through = TransitStop.routes.through
    through.objects.bulk_create(
        [
            through(transitstop_id=stops[stop_id].pk, transitroute_id=route_pk)
            for stop_id, route_pks in served.items()
            for route_pk in route_pks
        ]
    )
    counts = {
        key: len(content[key]) for key in ("routes", "stops", "trips", "stop_times", "shapes")
    }
    return GtfsImport.objects.create(
        at=timezone.now(), file_name=name, accepted=True, counts=counts
    )
