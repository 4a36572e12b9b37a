"""Live map layers of mobility: car parks, vehicles, bike stations and service alerts."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from mobility import selectors
from mobility.events import (
    BIKE_STATION_EVENT_KINDS,
    CAR_PARK_EVENT_KINDS,
    TRANSIT_ALERT_EVENT_KINDS,
)
from mobility.models import BikeStation, CarPark, TransitAlert, TransitVehicle

VEHICLE_EVENT_KINDS: frozenset[str] = frozenset()


def car_park_feature(car_park: CarPark) -> dict[str, Any]:
    status = "stale" if car_park.stale else car_park.state
    label = str(_("No recent data")) if car_park.stale else str(car_park.get_state_display())
    return {
        "id": car_park.reference,
        "lat": car_park.lat,
        "lon": car_park.lon,
        "status": f"car_park_{status}",
        "status_label": label,
        "name": car_park.name,
        str(_("occupancy")): (
            f"{car_park.occupancy_percent:.0f} %"
            if car_park.occupancy_percent is not None and not car_park.stale
            else "—"
        ),
        str(_("free spaces")): None if car_park.stale else car_park.free_spaces,
        str(_("full within the hour")): str(_("yes")) if car_park.full_within_hour else "",
    }


class CarParkLayer:
    name = "car_parks"
    label = _("Car parks")
    event_kinds = CAR_PARK_EVENT_KINDS

    def snapshot(self) -> list[dict[str, Any]]:
        return [car_park_feature(car_park) for car_park in selectors.car_parks()]

    def feature(self, asset_id: str) -> dict[str, Any] | None:
        car_park = CarPark.objects.filter(reference=asset_id).first()
        return car_park_feature(car_park) if car_park else None


def vehicle_labels() -> dict[str, str]:
    """Translated once per layer, not once per vehicle."""
    return {"late": str(_("late")), "delay": str(_("delay (min)"))}


def vehicle_feature(
    vehicle: TransitVehicle, routes: dict[str, str], labels: dict[str, str] | None = None
) -> dict[str, Any]:
    labels = labels or vehicle_labels()
    late = (vehicle.delay_seconds or 0) >= 300
    return {
        "id": f"{vehicle.feed_id}:{vehicle.vehicle_id}",
        "lat": vehicle.lat,
        "lon": vehicle.lon,
        "status": "vehicle_late" if late else "vehicle",
        "status_label": labels["late"] if late else "",
        "name": f"{routes.get(vehicle.route_id, vehicle.route_id)} · "
        f"{vehicle.label or vehicle.vehicle_id}",
        labels["delay"]: (
            round(vehicle.delay_seconds / 60) if vehicle.delay_seconds is not None else "—"
        ),
    }


class VehicleLayer:
    """Vehicles move every few seconds: their positions are pushed per poll, not as events."""

    name = "transit_vehicles"
    label = _("Trams and buses")
    event_kinds = VEHICLE_EVENT_KINDS

    def snapshot(self) -> list[dict[str, Any]]:
        routes, labels = selectors.route_names(), vehicle_labels()
        return [
            vehicle_feature(vehicle, routes, labels) for vehicle in selectors.vehicles_current()
        ]

    def feature(self, asset_id: str) -> dict[str, Any] | None:
        feed_id, _sep, vehicle_id = asset_id.partition(":")
        vehicle = (
            selectors.vehicles_current().filter(feed_id=feed_id, vehicle_id=vehicle_id).first()
        )
        return vehicle_feature(vehicle, selectors.route_names()) if vehicle else None


def bike_station_feature(station: BikeStation) -> dict[str, Any]:
    return {
        "id": str(station.pk),
        "lat": station.lat,
        "lon": station.lon,
        "status": f"bike_{station.state}",
        "status_label": str(station.get_state_display()),
        "name": station.name,
        str(_("bikes")): station.bikes_available,
        str(_("free docks")): station.docks_available,
    }


class BikeStationLayer:
    name = "bike_stations"
    label = _("Bike-sharing stations")
    event_kinds = BIKE_STATION_EVENT_KINDS

    def snapshot(self) -> list[dict[str, Any]]:
        return [bike_station_feature(station) for station in selectors.bike_stations()]

    def feature(self, asset_id: str) -> dict[str, Any] | None:
        station = BikeStation.objects.filter(pk=asset_id).first() if asset_id.isdigit() else None
        return bike_station_feature(station) if station else None


def alert_feature(alert: TransitAlert) -> dict[str, Any] | None:
    if not alert.active or alert.lat is None or alert.lon is None:
        return None
    return {
        "id": str(alert.pk),
        "lat": alert.lat,
        "lon": alert.lon,
        "status": "transit_alert",
        "status_label": alert.effect,
        "name": alert.header,
        str(_("lines")): ", ".join(alert.route_ids),
    }


class TransitAlertLayer:
    name = "transit_alerts"
    label = _("Public-transport alerts")
    event_kinds = TRANSIT_ALERT_EVENT_KINDS

    def snapshot(self) -> list[dict[str, Any]]:
        features = [alert_feature(alert) for alert in selectors.alerts_active()]
        return [feature for feature in features if feature]

    def feature(self, asset_id: str) -> dict[str, Any] | None:
        alert = TransitAlert.objects.filter(pk=asset_id).first() if asset_id.isdigit() else None
        return alert_feature(alert) if alert else None
