"""Mobility: car parks, public transport and bike sharing, fed by the operators' open feeds."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class MobilityAccess(models.Model):
    """Holds the mobility permissions; no table."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_mobility", _("Can see car parks, public transport and bike sharing")),
            ("manage_feeds", _("Can see and configure the mobility feeds")),
            ("notify_transport_operator", _("Can notify the transport operator of an incident")),
        ]

    def __str__(self) -> str:
        return "mobility access"


class FeedKind(models.TextChoices):
    CAR_PARKS_JSON = "car_parks_json", _("Car-park occupancy (JSON)")
    CAR_PARKS_CSV = "car_parks_csv", _("Car-park occupancy (CSV)")
    GTFS_RT = "gtfs_rt", _("GTFS-Realtime (vehicle positions, trip updates, alerts)")
    GBFS = "gbfs", _("GBFS bike sharing (auto-discovery file)")


class FeedHealth(models.TextChoices):
    NEVER = "never", _("Never polled")
    OK = "ok", _("Working")
    FAILING = "failing", _("Failing")


class Feed(models.Model):
    """One source polled over HTTP, its field mapping (car parks) and its health."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=FeedKind.choices)
    url = models.CharField(
        _("address"),
        max_length=500,
        help_text=_(
            "HTTP(S) address polled. {simulator} stands for the address of the demo feed "
            "simulator (ONDIJON_MOBILITY_SIMULATOR_URL)."
        ),
    )
    active = models.BooleanField(_("active"), default=True)
    poll_seconds = models.PositiveIntegerField(
        _("poll every (seconds)"), default=60, validators=[MinValueValidator(5)]
    )
    stale_after_seconds = models.PositiveIntegerField(
        _("stale after (seconds)"),
        default=3600,
        help_text=_("No new data for this long raises the stale-feed alarm."),
    )
    # Field mapping of car-park feeds (JSON: dotted paths inside one record).
    records_path = models.CharField(
        _("records path"),
        max_length=120,
        blank=True,
        help_text=_("JSON: dotted path to the list of records (empty: the document is the list)."),
    )
    id_field = models.CharField(_("car-park identifier field"), max_length=80, blank=True)
    percent_field = models.CharField(_("occupancy (%) field"), max_length=80, blank=True)
    occupied_field = models.CharField(_("occupied spaces field"), max_length=80, blank=True)
    free_field = models.CharField(_("free spaces field"), max_length=80, blank=True)
    capacity_field = models.CharField(_("capacity field"), max_length=80, blank=True)
    timestamp_field = models.CharField(
        _("timestamp field"),
        max_length=80,
        blank=True,
        help_text=_("ISO 8601; empty: the time of the poll."),
    )
    csv_delimiter = models.CharField(_("CSV delimiter"), max_length=1, default=",", blank=True)
    # Health, kept by the poller.
    health = models.CharField(
        _("health"), max_length=10, choices=FeedHealth.choices, default=FeedHealth.NEVER
    )
    last_polled_at = models.DateTimeField(_("last polled at"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last success at"), null=True, blank=True)
    last_data_at = models.DateTimeField(_("newest data at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    consecutive_failures = models.PositiveIntegerField(_("consecutive failures"), default=0)
    stale = models.BooleanField(_("stale"), default=False)
    warnings = models.JSONField(_("data-quality warnings"), default=list, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("mobility feed")
        verbose_name_plural = _("mobility feeds")

    def __str__(self) -> str:
        return self.name


class FeedLogEntry(models.Model):
    """One poll of a feed, kept for its status page."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="log_entries")
    at = models.DateTimeField(_("at"))
    ok = models.BooleanField(_("succeeded"))
    message = models.TextField(_("message"))
    items = models.PositiveIntegerField(_("items"), default=0)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("feed log entry")
        verbose_name_plural = _("feed log entries")
        # Serves the status page (latest entries of one feed) and the purge.
        indexes = [models.Index(fields=["feed", "-at"], name="feedlog_feed_at")]

    def __str__(self) -> str:
        return str(f"{self.feed_id} {self.at:%Y-%m-%d %H:%M}")


class CarParkState(models.TextChoices):
    FREE = "free", _("Spaces available")
    BUSY = "busy", _("Nearly full")
    FULL = "full", _("Full")
    STALE = "stale", _("No recent data")
    UNKNOWN = "unknown", _("Unknown")


class CarPark(models.Model):
    reference = models.SlugField(_("reference"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    lat = models.FloatField(
        _("latitude"), validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    lon = models.FloatField(
        _("longitude"), validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1)])
    operator = models.CharField(_("operator"), max_length=120, blank=True)
    commune_insee = models.CharField(_("commune"), max_length=5, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    feed = models.ForeignKey(
        Feed,
        verbose_name=_("feed"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="car_parks",
    )
    source_id = models.CharField(
        _("identifier in the feed"), max_length=80, blank=True, db_index=True
    )
    # Last good reading: a refused value never replaces it.
    occupancy_percent = models.FloatField(_("occupancy (%)"), null=True, blank=True)
    observed_at = models.DateTimeField(_("observed at"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=8, choices=CarParkState.choices, default=CarParkState.UNKNOWN
    )
    stale = models.BooleanField(_("stale"), default=False)
    flatlined = models.BooleanField(_("flat-lined"), default=False)
    out_of_range = models.BooleanField(_("out of range"), default=False)
    last_refused_value = models.FloatField(_("last refused value"), null=True, blank=True)
    forecast_percent_30 = models.FloatField(_("forecast in 30 min (%)"), null=True, blank=True)
    forecast_percent_60 = models.FloatField(_("forecast in 60 min (%)"), null=True, blank=True)
    full_within_hour = models.BooleanField(_("full within the hour"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("car park")
        verbose_name_plural = _("car parks")
        constraints = [
            models.UniqueConstraint(
                fields=["feed", "source_id"],
                condition=~models.Q(source_id=""),
                name="carpark_feed_source_id",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def free_spaces(self) -> int | None:
        if self.occupancy_percent is None:
            return None
        return max(0, round(self.capacity * (1 - self.occupancy_percent / 100)))


class CarParkReading(models.Model):
    """Every sample received, refused ones included (marked), for history and forecasts."""

    car_park = models.ForeignKey(CarPark, on_delete=models.CASCADE, related_name="readings")
    observed_at = models.DateTimeField(_("observed at"))
    value_percent = models.FloatField(_("occupancy (%) as received"))
    valid = models.BooleanField(_("valid"), default=True)

    class Meta:
        ordering = ["car_park", "-observed_at"]
        verbose_name = _("car-park reading")
        verbose_name_plural = _("car-park readings")
        constraints = [
            models.UniqueConstraint(fields=["car_park", "observed_at"], name="carparkreading_once")
        ]
        # Serves the history, flat-line check, forecast profile and hourly open data.
        indexes = [models.Index(fields=["car_park", "-observed_at"], name="carpark_reading_at")]

    def __str__(self) -> str:
        return str(f"{self.car_park_id} {self.observed_at:%Y-%m-%d %H:%M} {self.value_percent}")


class RouteType(models.IntegerChoices):
    """GTFS route_type values used in the metropolis."""

    TRAM = 0, _("Tram")
    METRO = 1, _("Metro")
    RAIL = 2, _("Rail")
    BUS = 3, _("Bus")


class TransitRoute(models.Model):
    """A GTFS route (a line as passengers know it)."""

    route_id = models.CharField(_("GTFS route id"), max_length=64, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    long_name = models.CharField(_("long name"), max_length=200, blank=True)
    route_type = models.PositiveSmallIntegerField(_("type"), default=RouteType.BUS)
    color = models.CharField(_("colour"), max_length=6, blank=True)
    text_color = models.CharField(_("text colour"), max_length=6, blank=True)
    agency_name = models.CharField(_("operator"), max_length=120, blank=True)

    class Meta:
        ordering = ["route_type", "short_name"]
        verbose_name = _("transit line")
        verbose_name_plural = _("transit lines")

    def __str__(self) -> str:
        return self.short_name or self.long_name or self.route_id


class TransitStop(models.Model):
    stop_id = models.CharField(_("GTFS stop id"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    routes = models.ManyToManyField(TransitRoute, related_name="stops", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("transit stop")
        verbose_name_plural = _("transit stops")
        # Serves "stops near this incident".
        indexes = [models.Index(fields=["lat", "lon"], name="transitstop_lat_lon")]

    def __str__(self) -> str:
        return self.name


class TransitShape(models.Model):
    shape_id = models.CharField(_("GTFS shape id"), max_length=64, unique=True)
    route = models.ForeignKey(
        TransitRoute, on_delete=models.CASCADE, null=True, blank=True, related_name="shapes"
    )
    coordinates = models.JSONField(_("coordinates [lon, lat]"), default=list)

    class Meta:
        verbose_name = _("transit shape")
        verbose_name_plural = _("transit shapes")

    def __str__(self) -> str:
        return str(self.shape_id)


class TransitTrip(models.Model):
    trip_id = models.CharField(_("GTFS trip id"), max_length=64, unique=True)
    route = models.ForeignKey(TransitRoute, on_delete=models.CASCADE, related_name="trips")
    service_id = models.CharField(_("service"), max_length=64)
    headsign = models.CharField(_("headsign"), max_length=200, blank=True)
    direction_id = models.PositiveSmallIntegerField(_("direction"), null=True, blank=True)
    shape_id = models.CharField(_("shape"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("transit trip")
        verbose_name_plural = _("transit trips")

    def __str__(self) -> str:
        return str(self.trip_id)


class TransitStopTime(models.Model):
    trip = models.ForeignKey(TransitTrip, on_delete=models.CASCADE, related_name="stop_times")
    stop = models.ForeignKey(TransitStop, on_delete=models.CASCADE, related_name="+")
    stop_sequence = models.PositiveIntegerField(_("sequence"))
    arrival_seconds = models.PositiveIntegerField(_("arrival (seconds after midnight)"))
    departure_seconds = models.PositiveIntegerField(_("departure (seconds after midnight)"))

    class Meta:
        ordering = ["trip", "stop_sequence"]
        constraints = [
            models.UniqueConstraint(fields=["trip", "stop_sequence"], name="stoptime_once")
        ]

    def __str__(self) -> str:
        return str(f"{self.trip_id}#{self.stop_sequence}")


class GtfsImport(models.Model):
    """One GTFS archive offered for import: accepted whole, or refused with its reasons."""

    at = models.DateTimeField(_("at"))
    file_name = models.CharField(_("file"), max_length=200)
    accepted = models.BooleanField(_("accepted"))
    counts = models.JSONField(_("rows imported"), default=dict, blank=True)
    problems = models.JSONField(_("problems"), default=list, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("GTFS import")
        verbose_name_plural = _("GTFS imports")

    def __str__(self) -> str:
        return str(f"{self.file_name} {self.at:%Y-%m-%d %H:%M}")


class TransitVehicle(models.Model):
    """The last known position of a vehicle, as its GTFS-RT feed last gave it."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="vehicles")
    vehicle_id = models.CharField(_("vehicle"), max_length=64)
    label = models.CharField(_("label"), max_length=64, blank=True)
    trip_id = models.CharField(_("trip"), max_length=64, blank=True)
    route_id = models.CharField(_("line"), max_length=64, blank=True)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    bearing = models.FloatField(_("bearing"), null=True, blank=True)
    speed_kmh = models.FloatField(_("speed (km/h)"), null=True, blank=True)
    observed_at = models.DateTimeField(_("observed at"))
    delay_seconds = models.IntegerField(_("delay (s)"), null=True, blank=True)

    class Meta:
        ordering = ["route_id", "vehicle_id"]
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")
        constraints = [
            models.UniqueConstraint(fields=["feed", "vehicle_id"], name="vehicle_once_per_feed")
        ]

    def __str__(self) -> str:
        return str(self.label or self.vehicle_id)


class TransitDelay(models.Model):
    """The delay a trip update announces for a trip, kept for the delay per line."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="delays")
    trip_id = models.CharField(_("trip"), max_length=64)
    route_id = models.CharField(_("line"), max_length=64, blank=True)
    delay_seconds = models.IntegerField(_("delay (s)"))
    observed_at = models.DateTimeField(_("observed at"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["feed", "trip_id"], name="delay_once_per_trip")
        ]

    def __str__(self) -> str:
        return str(f"{self.trip_id} {self.delay_seconds}")


class TransitAlert(models.Model):
    """A GTFS-RT service alert, active while its feed keeps announcing it."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="alerts")
    alert_id = models.CharField(_("alert"), max_length=100)
    header = models.CharField(_("header"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    cause = models.CharField(_("cause"), max_length=40, blank=True)
    effect = models.CharField(_("effect"), max_length=40, blank=True)
    route_ids = models.JSONField(_("lines"), default=list, blank=True)
    stop_ids = models.JSONField(_("stops"), default=list, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    first_seen_at = models.DateTimeField(_("first seen at"))
    last_seen_at = models.DateTimeField(_("last seen at"))

    class Meta:
        ordering = ["-first_seen_at"]
        verbose_name = _("service alert")
        verbose_name_plural = _("service alerts")
        constraints = [
            models.UniqueConstraint(fields=["feed", "alert_id"], name="alert_once_per_feed")
        ]

    def __str__(self) -> str:
        return str(self.header)


class BikeStationState(models.TextChoices):
    OK = "ok", _("Bikes and docks available")
    EMPTY = "empty", _("No bike")
    FULL = "full", _("No free dock")
    CLOSED = "closed", _("Closed")
    STALE = "stale", _("No recent data")


class BikeStation(models.Model):
    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="bike_stations")
    station_id = models.CharField(_("station"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    bikes_available = models.PositiveIntegerField(_("bikes available"), null=True, blank=True)
    docks_available = models.PositiveIntegerField(_("docks available"), null=True, blank=True)
    is_renting = models.BooleanField(_("renting"), default=True)
    last_reported = models.DateTimeField(_("last reported"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=6, choices=BikeStationState.choices, default=BikeStationState.STALE
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("bike station")
        verbose_name_plural = _("bike stations")
        constraints = [
            models.UniqueConstraint(fields=["feed", "station_id"], name="station_once_per_feed")
        ]

    def __str__(self) -> str:
        return str(self.name)


class TransportOperatorContact(models.Model):
    """Who runs the buses and trams hears of incidents of this category near their lines."""

    category_code = models.SlugField(
        _("incident category"),
        max_length=60,
        unique=True,
        help_text=_("Incidents of this category block the road near where they are reported."),
    )
    recipient_name = models.CharField(_("recipient"), max_length=120)
    email = models.EmailField(_("e-mail"))
    radius_m = models.PositiveIntegerField(_("distance to a line or stop (m)"), default=150)

    class Meta:
        ordering = ["category_code"]
        verbose_name = _("transport operator contact")
        verbose_name_plural = _("transport operator contacts")

    def __str__(self) -> str:
        return f"{self.category_code} → {self.recipient_name}"


class IncidentTransitImpact(models.Model):
    """An open incident blocking a road near transit lines, and whether they were told."""

    incident_id = models.PositiveIntegerField(_("incident"), unique=True)
    reference = models.CharField(_("reference"), max_length=40, blank=True)
    category_code = models.SlugField(_("incident category"), max_length=60)
    lat = models.FloatField()
    lon = models.FloatField()
    lines = models.JSONField(_("lines affected"), default=list)
    found_at = models.DateTimeField(_("found at"))
    notified_at = models.DateTimeField(_("operator notified at"), null=True, blank=True)
    notified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("notified by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-found_at"]
        verbose_name = _("incident affecting transit")
        verbose_name_plural = _("incidents affecting transit")

    def __str__(self) -> str:
        names = ", ".join(line["name"] for line in self.lines)
        return f"{self.reference or self.incident_id}: {names}"
