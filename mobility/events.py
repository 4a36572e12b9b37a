"""Typed events of the mobility app; the alarm rules they drive are declared below."""

from __future__ import annotations

from dataclasses import dataclass, field

from hypervisor.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class CarParkOccupancyChanged(DomainEvent):
    kind = "car_park.occupancy_changed"
    asset_type = "car_park"
    name: str
    occupancy_percent: float
    state: str


@dataclass(frozen=True, kw_only=True)
class CarParkFilled(DomainEvent):
    kind = "car_park.filled"
    asset_type = "car_park"
    name: str


@dataclass(frozen=True, kw_only=True)
class CarParkFreed(DomainEvent):
    kind = "car_park.freed"
    asset_type = "car_park"


@dataclass(frozen=True, kw_only=True)
class CarParkFlatlined(DomainEvent):
    """The same value for hours: the counting equipment or the feed is probably frozen."""

    kind = "car_park.flatlined"
    asset_type = "car_park"
    name: str
    value_percent: float
    since: str


@dataclass(frozen=True, kw_only=True)
class CarParkMovingAgain(DomainEvent):
    kind = "car_park.moving_again"
    asset_type = "car_park"


@dataclass(frozen=True, kw_only=True)
class CarParkValueOutOfRange(DomainEvent):
    """A value below 0 % or above capacity was received and refused."""

    kind = "car_park.value_out_of_range"
    asset_type = "car_park"
    name: str
    value_percent: float


@dataclass(frozen=True, kw_only=True)
class CarParkValuesInRange(DomainEvent):
    kind = "car_park.values_in_range"
    asset_type = "car_park"


@dataclass(frozen=True, kw_only=True)
class CarParkWentStale(DomainEvent):
    kind = "car_park.went_stale"
    asset_type = "car_park"
    name: str
    silent_minutes: int


@dataclass(frozen=True, kw_only=True)
class CarParkRefreshed(DomainEvent):
    kind = "car_park.refreshed"
    asset_type = "car_park"


@dataclass(frozen=True, kw_only=True)
class MobilityFeedFailed(DomainEvent):
    kind = "mobility_feed.failed"
    asset_type = "mobility_feed"
    name: str
    error: str


@dataclass(frozen=True, kw_only=True)
class MobilityFeedRecovered(DomainEvent):
    kind = "mobility_feed.recovered"
    asset_type = "mobility_feed"


@dataclass(frozen=True, kw_only=True)
class MobilityFeedWentStale(DomainEvent):
    kind = "mobility_feed.went_stale"
    asset_type = "mobility_feed"
    name: str
    silent_minutes: int


@dataclass(frozen=True, kw_only=True)
class MobilityFeedRefreshed(DomainEvent):
    kind = "mobility_feed.refreshed"
    asset_type = "mobility_feed"


@dataclass(frozen=True, kw_only=True)
class TransitFeedQualityDegraded(DomainEvent):
    """Unknown trips or stops, or vehicles moving impossibly fast, in a GTFS-RT feed."""

    kind = "transit_feed.quality_degraded"
    asset_type = "mobility_feed"
    name: str
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class TransitFeedQualityRestored(DomainEvent):
    kind = "transit_feed.quality_restored"
    asset_type = "mobility_feed"


@dataclass(frozen=True, kw_only=True)
class TransitAlertPublished(DomainEvent):
    kind = "transit_alert.published"
    asset_type = "transit_alert"
    header: str
    route_ids: list[str] = field(default_factory=list)
    effect: str = ""


@dataclass(frozen=True, kw_only=True)
class TransitAlertEnded(DomainEvent):
    kind = "transit_alert.ended"
    asset_type = "transit_alert"


@dataclass(frozen=True, kw_only=True)
class BikeStationChanged(DomainEvent):
    kind = "bike_station.changed"
    asset_type = "bike_station"
    state: str


CAR_PARK_EVENT_KINDS = frozenset(
    {
        CarParkOccupancyChanged.kind,
        CarParkFilled.kind,
        CarParkFreed.kind,
        CarParkFlatlined.kind,
        CarParkMovingAgain.kind,
        CarParkValueOutOfRange.kind,
        CarParkValuesInRange.kind,
        CarParkWentStale.kind,
        CarParkRefreshed.kind,
    }
)
TRANSIT_ALERT_EVENT_KINDS = frozenset({TransitAlertPublished.kind, TransitAlertEnded.kind})
BIKE_STATION_EVENT_KINDS = frozenset({BikeStationChanged.kind})

# event kind → (action, alarm kind, severity, French title, English title)
ALARM_RULES = [
    ("car_park.filled", "raise", "car-park-full", "info", "Parking complet", "Car park full"),
    ("car_park.freed", "clear", "car-park-full", "info", "", ""),
    (
        "car_park.flatlined",
        "raise",
        "car-park-flatlined",
        "minor",
        "Parking : même valeur depuis des heures (comptage figé ?)",
        "Car park: same value for hours (frozen count?)",
    ),
    ("car_park.moving_again", "clear", "car-park-flatlined", "minor", "", ""),
    (
        "car_park.value_out_of_range",
        "raise",
        "car-park-out-of-range",
        "minor",
        "Parking : valeur d'occupation impossible reçue",
        "Car park: impossible occupancy value received",
    ),
    ("car_park.values_in_range", "clear", "car-park-out-of-range", "minor", "", ""),
    (
        "car_park.went_stale",
        "raise",
        "car-park-stale",
        "minor",
        "Parking : plus de données récentes",
        "Car park: no recent data",
    ),
    ("car_park.refreshed", "clear", "car-park-stale", "minor", "", ""),
    (
        "mobility_feed.failed",
        "raise",
        "mobility-feed-failed",
        "major",
        "Flux mobilité en erreur",
        "Mobility feed failing",
    ),
    ("mobility_feed.recovered", "clear", "mobility-feed-failed", "major", "", ""),
    (
        "mobility_feed.went_stale",
        "raise",
        "mobility-feed-stale",
        "major",
        "Flux mobilité : plus de données récentes",
        "Mobility feed stale",
    ),
    ("mobility_feed.refreshed", "clear", "mobility-feed-stale", "major", "", ""),
    (
        "transit_feed.quality_degraded",
        "raise",
        "transit-feed-quality",
        "minor",
        "Flux temps réel transport : données incohérentes",
        "Transit real-time feed: inconsistent data",
    ),
    ("transit_feed.quality_restored", "clear", "transit-feed-quality", "minor", "", ""),
]
