"""Reads of the mobility app, for its pages, the map, the other apps and open data."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Avg, Count, QuerySet
from django.db.models.functions import TruncHour
from django.utils import timezone
from django.utils.translation import ngettext

from hypervisor.registry import AssetPlace
from mobility.models import (
    BikeStation,
    CarPark,
    CarParkReading,
    CarParkState,
    Feed,
    FeedLogEntry,
    IncidentTransitImpact,
    TransitAlert,
    TransitDelay,
    TransitRoute,
    TransitShape,
    TransitStop,
    TransitVehicle,
    TransportOperatorContact,
)

# A vehicle position older than this is not shown as current.
VEHICLE_FRESH_FOR = timedelta(minutes=2)


def car_parks() -> QuerySet[CarPark]:
    return CarPark.objects.select_related("feed").order_by("name")


def car_park_history(*, car_park: CarPark, hours: int = 24) -> list[tuple[datetime, float, bool]]:
    since = timezone.now() - timedelta(hours=hours)
    return list(
        CarParkReading.objects.filter(car_park=car_park, observed_at__gte=since)
        .order_by("observed_at")
        .values_list("observed_at", "value_percent", "valid")
    )


def feeds() -> QuerySet[Feed]:
    return Feed.objects.order_by("name")


def feed_log(*, feed: Feed, limit: int = 30) -> QuerySet[FeedLogEntry]:
    return FeedLogEntry.objects.filter(feed=feed).order_by("-at", "-pk")[:limit]


def route_names() -> dict[str, str]:
    return {
        route_id: short or long or route_id
        for route_id, short, long in TransitRoute.objects.values_list(
            "route_id", "short_name", "long_name"
        )
    }


def vehicles_current(*, now: datetime | None = None) -> QuerySet[TransitVehicle]:
    """Vehicles heard from recently on a feed that is not stale: through a failed poll the
    last positions stay a moment, then leave the map rather than be shown as current."""
    now = now or timezone.now()
    return TransitVehicle.objects.filter(
        observed_at__gte=now - VEHICLE_FRESH_FOR, feed__stale=False
    ).order_by("route_id", "vehicle_id")


def delay_per_line(*, now: datetime | None = None) -> list[dict[str, Any]]:
    """Mean and worst delay announced by current trip updates, per line."""
    now = now or timezone.now()
    names = route_names()
    rows = (
        TransitDelay.objects.filter(observed_at__gte=now - timedelta(minutes=10))
        .values("route_id")
        .annotate(mean=Avg("delay_seconds"), trips=Count("id"))
        .order_by("route_id")
    )
    worst: dict[str, int] = {}
    for route_id, delay in TransitDelay.objects.filter(
        observed_at__gte=now - timedelta(minutes=10)
    ).values_list("route_id", "delay_seconds"):
        worst[route_id] = max(worst.get(route_id, delay), delay)
    return [
        {
            "route_id": row["route_id"],
            "name": names.get(row["route_id"], row["route_id"]),
            "mean_minutes": round(row["mean"] / 60, 1),
            "worst_minutes": round(worst[row["route_id"]] / 60, 1),
            "trips": row["trips"],
        }
        for row in rows
    ]


def alerts_active() -> QuerySet[TransitAlert]:
    return TransitAlert.objects.filter(active=True).order_by("-first_seen_at")


def bike_stations() -> QuerySet[BikeStation]:
    return BikeStation.objects.order_by("name")


def routes() -> QuerySet[TransitRoute]:
    return TransitRoute.objects.order_by("route_type", "short_name")


def network_geojson() -> dict[str, Any]:
    """Lines (shapes) and stops as GeoJSON, for the mobility map."""
    colours = dict(TransitRoute.objects.values_list("pk", "color"))
    names = dict(TransitRoute.objects.values_list("pk", "short_name"))
    features: list[dict[str, Any]] = [
        {
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": shape.coordinates},
            "properties": {
                "kind": "line",
                "name": names.get(shape.route_id or 0, ""),
                "color": colours.get(shape.route_id or 0) or "58a6ff",
            },
        }
        for shape in TransitShape.objects.exclude(route=None)
    ]
    features += [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [stop.lon, stop.lat]},
            "properties": {"kind": "stop", "name": stop.name},
        }
        for stop in TransitStop.objects.all()
    ]
    return {"type": "FeatureCollection", "features": features}


def _box(lat: float, lon: float, metres: float) -> dict[str, float]:
    dlat = metres / 111_320
    dlon = metres / (111_320 * max(math.cos(math.radians(lat)), 0.01))
    return {
        "lat__gte": lat - dlat,
        "lat__lte": lat + dlat,
        "lon__gte": lon - dlon,
        "lon__lte": lon + dlon,
    }


def _metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    dy = (lat2 - lat1) * 111_320
    dx = (lon2 - lon1) * 111_320 * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot(dx, dy)


def stops_near(*, lat: float, lon: float, metres: float = 150) -> list[TransitStop]:
    return [
        stop
        for stop in TransitStop.objects.filter(**_box(lat, lon, metres)).prefetch_related("routes")
        if _metres(lat, lon, stop.lat, stop.lon) <= metres
    ]


def lines_near(*, lat: float, lon: float, metres: float = 150) -> list[dict[str, Any]]:
    """Transit lines with a stop or a stretch of route within `metres` of a place."""
    found: dict[str, dict[str, Any]] = {}
    for stop in stops_near(lat=lat, lon=lon, metres=metres):
        for route in stop.routes.all():
            entry = found.setdefault(
                route.route_id,
                {"route_id": route.route_id, "name": str(route), "stops": []},
            )
            entry["stops"].append(stop.name)
    for shape in TransitShape.objects.exclude(route=None).select_related("route"):
        assert shape.route is not None
        if shape.route.route_id in found:
            continue
        if any(_metres(lat, lon, y, x) <= metres for x, y in shape.coordinates):
            found[shape.route.route_id] = {
                "route_id": shape.route.route_id,
                "name": str(shape.route),
                "stops": [],
            }
    return sorted(found.values(), key=lambda entry: entry["name"])


def car_park_occupancy_hourly(
    *, start: datetime | None = None, end: datetime | None = None
) -> list[dict[str, Any]]:
    """Mean valid occupancy per car park and hour (open data); refused values left out."""
    readings = CarParkReading.objects.filter(valid=True)
    if start is not None:
        readings = readings.filter(observed_at__gte=start)
    if end is not None:
        readings = readings.filter(observed_at__lt=end)
    rows = (
        readings.annotate(hour=TruncHour("observed_at"))
        .values("car_park__reference", "car_park__name", "car_park__capacity", "hour")
        .annotate(mean=Avg("value_percent"), samples=Count("id"))
        .order_by("hour", "car_park__reference")
    )
    return [
        {
            "car_park": row["car_park__reference"],
            "name": row["car_park__name"],
            "hour": row["hour"],
            "occupancy_percent": round(row["mean"], 1),
            "capacity": row["car_park__capacity"],
            "samples": row["samples"],
        }
        for row in rows
    ]


def incident_impacts_open(*, limit: int = 50) -> list[IncidentTransitImpact]:
    """Incidents touching transport that are still open, newest first."""
    from incidents.selectors import incident_public_view

    found = []
    for impact in IncidentTransitImpact.objects.order_by("-found_at")[: limit * 2]:
        view = incident_public_view(incident_id=impact.incident_id)
        if view and view["is_open"]:
            impact.category_label = view["category"]  # type: ignore[attr-defined]
            found.append(impact)
    return found[:limit]


def car_park_state_codes() -> list[str]:
    return list(CarParkState.values)


def car_park_rows() -> list[tuple[Any, ...]]:
    """Open-data rows: a stale car park shows its state, never its old value as current."""
    rows = []
    for car_park in car_parks():
        stale = car_park.stale or car_park.occupancy_percent is None
        rows.append(
            (
                car_park.reference,
                car_park.name,
                car_park.lat,
                car_park.lon,
                car_park.commune_insee,
                car_park.capacity,
                car_park.operator,
                CarParkState.STALE if car_park.stale else car_park.state,
                None if stale else car_park.occupancy_percent,
                None if stale or car_park.observed_at is None else car_park.observed_at.isoformat(),
            )
        )
    return rows


def category_has_transport_contact(*, category_code: str) -> bool:
    return TransportOperatorContact.objects.filter(category_code=category_code).exists()


def incident_transit_section(incident_id: int) -> dict[str, Any] | None:
    """What the staff's incident detail shows of the transit lines it stands near: the lines,
    their stops nearby, whom to notify and whether that was done. None when none is near."""
    from django.urls import reverse

    impact = (
        IncidentTransitImpact.objects.filter(incident_id=incident_id)
        .select_related("notified_by")
        .first()
    )
    if impact is None:
        return None
    contact = TransportOperatorContact.objects.filter(category_code=impact.category_code).first()
    by = impact.notified_by
    return {
        "lines": impact.lines,
        "stops": sorted({stop for line in impact.lines for stop in line["stops"]}),
        "radius_m": contact.radius_m if contact else None,
        "found_at": impact.found_at,
        "contact": {"name": contact.recipient_name, "email": contact.email} if contact else None,
        "notified_at": impact.notified_at,
        "notified_by": (by.get_full_name() or by.get_username()) if by else "",
        "notify_url": reverse("mobility-notify-operator", args=[incident_id]),
    }


def car_park_places(references: list[str]) -> dict[str, AssetPlace]:
    """Each car park by its name and commune (the alarm panel's wording), not its slug."""
    rows = CarPark.objects.filter(reference__in=references).values_list(
        "reference", "name", "commune_insee"
    )
    return {ref: AssetPlace(name=name, commune_insee=insee) for ref, name, insee in rows}


def car_parks_counted(count: int) -> str:
    return ngettext("%(n)d car park", "%(n)d car parks", count) % {"n": count}


def feed_places(ids: list[str]) -> dict[str, AssetPlace]:
    """Each mobility feed by its name (its alarms carry the feed's id)."""
    wanted = [int(pk) for pk in ids if pk.isdigit()]
    return {
        str(pk): AssetPlace(name=name)
        for pk, name in Feed.objects.filter(pk__in=wanted).values_list("pk", "name")
    }


def feeds_counted(count: int) -> str:
    return ngettext("%(n)d feed", "%(n)d feeds", count) % {"n": count}
