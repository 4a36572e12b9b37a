"""The published datasets. Adding one is a `Dataset(...)` here and a loader in sources.py."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from incidents import selectors as incidents
from lighting import selectors as lighting
from opendata.datasets import sources
from opendata.datasets.base import Column, Dataset
from traffic import selectors as traffic

ID = Column("id", "string", _("Stable identifier"))
LON = Column("lon", "number", _("Longitude (WGS84)"))
LAT = Column("lat", "number", _("Latitude (WGS84)"))
COMMUNE = Column("commune_insee", "string", _("INSEE code of the commune"))
MONTH = Column("month", "string", _("Month (YYYY-MM)"))


def _vocabulary(read: Callable[[], dict[str, list[str]]], name: str) -> Callable[[], list[str]]:
    return lambda: read()[name]


def _status(read: Callable[[], dict[str, list[str]]]) -> Column:
    return Column("status", "string", _("Operating status"), _vocabulary(read, "status"))


ALL = [
    Dataset(
        slug="light-points",
        title=_("Street light points: inventory and status"),
        description=_(
            "Every public light point of the metropolis: place, commune, street, lamp "
            "technology and wattage, feeder cabinet, and its operating status and current "
            "level."
        ),
        columns=(
            ID,
            LAT,
            LON,
            COMMUNE,
            Column("street", "string", _("Street")),
            Column(
                "street_class",
                "string",
                _("Street class (lighting profile)"),
                _vocabulary(lighting.light_point_vocabularies, "street_class"),
            ),
            Column(
                "technology",
                "string",
                _("Lamp technology"),
                _vocabulary(lighting.light_point_vocabularies, "technology"),
            ),
            Column("wattage", "integer", _("Nominal wattage (W)")),
            Column("cabinet", "string", _("Reference of the feeder cabinet")),
            _status(lighting.light_point_vocabularies),
            Column("level", "integer", _("Current level (%)")),
        ),
        load=sources.light_points,
        frequency="UPDATE_CONT",
        keywords=("éclairage public", "lighting"),
        theme="ENER",
        spatial=True,
        filters=frozenset({"bbox", "status", "commune"}),
    ),
    Dataset(
        slug="lighting-energy",
        title=_("Lighting energy per commune and month"),
        description=_(
            "Energy used by public lighting (metered where known, else estimated), the "
            "pre-renovation baseline and the share saved."
        ),
        columns=(
            ID,
            COMMUNE,
            MONTH,
            Column("consumed_kwh", "number", _("Energy used (kWh)")),
            Column("baseline_kwh", "number", _("Pre-renovation baseline (kWh)")),
            Column("savings", "number", _("Share saved against the baseline (0 to 1)")),
        ),
        load=sources.lighting_energy,
        frequency="MONTHLY",
        keywords=("énergie", "energy"),
        theme="ENER",
        filters=frozenset({"commune", "date"}),
    ),
    Dataset(
        slug="crossroads",
        title=_("Signalised crossroads and their availability"),
        description=_(
            "Crossroads with traffic lights, the present state of their controller and the "
            "share of the last 30 days it spent in normal operation."
        ),
        columns=(
            ID,
            Column("name", "string", _("Name")),
            COMMUNE,
            LAT,
            LON,
            _status(traffic.crossroad_vocabularies),
            Column(
                "availability",
                "number",
                _("Share of the last 30 days in normal operation (0 to 1)"),
            ),
        ),
        load=sources.crossroads,
        frequency="UPDATE_CONT",
        keywords=("feux tricolores", "traffic signals"),
        theme="TRAN",
        spatial=True,
        filters=frozenset({"bbox", "status", "commune"}),
    ),
    Dataset(
        slug="cameras",
        title=_("Video-protection camera locations"),
        description=_("Where the public-space cameras are, their kind, purpose and status."),
        columns=(
            ID,
            LON,
            LAT,
            COMMUNE,
            Column(
                "kind",
                "string",
                _("Kind of camera"),
                _vocabulary(traffic.camera_vocabularies, "kind"),
            ),
            Column(
                "purpose",
                "string",
                _("Purpose"),
                _vocabulary(traffic.camera_vocabularies, "purpose"),
            ),
            _status(traffic.camera_vocabularies),
        ),
        load=sources.cameras,
        frequency="DAILY",
        keywords=("vidéoprotection", "cameras"),
        theme="JUST",
        spatial=True,
        filters=frozenset({"bbox", "status", "commune"}),
    ),
    Dataset(
        slug="bollards",
        title=_("Retractable bollards"),
        description=_("Retractable bollards at the access points of pedestrian zones."),
        columns=(
            ID,
            LON,
            LAT,
            COMMUNE,
            Column("access_point", "string", _("Access point")),
            _status(traffic.bollard_vocabularies),
        ),
        load=sources.bollards,
        frequency="DAILY",
        keywords=("bornes escamotables", "bollards"),
        theme="TRAN",
        spatial=True,
        filters=frozenset({"bbox", "status", "commune"}),
    ),
    Dataset(
        slug="incidents",
        title=_("Incidents in public space (anonymised)"),
        description=_(
            "Every incident reported in public space, open or closed: day, commune, category, "
            "status and a coarsened location. Small groups are merged or withheld; see the "
            "method in the documentation."
        ),
        columns=(
            ID,
            LON,
            LAT,
            Column("date", "date", _("Day reported")),
            COMMUNE,
            Column("category", "string", _("Category code"), sources.incident_categories),
            Column("status", "string", _("Incident status"), incidents.incident_status_codes),
        ),
        load=sources.incidents_anonymised,
        frequency="DAILY",
        keywords=("signalements", "incidents"),
        theme="GOVE",
        spatial=True,
        filters=frozenset({"bbox", "status", "commune", "category", "date"}),
    ),
    Dataset(
        slug="service-sla",
        title=_("Deadlines met per service and month"),
        description=_(
            "Incidents resolved each month by each service and priority: how many by their "
            "deadline, how many late, and the share on time. Small groups are merged or "
            "withheld."
        ),
        columns=(
            ID,
            MONTH,
            Column("service", "string", _("Service code")),
            Column("service_name", "string", _("Service")),
            Column("priority", "string", _("Priority"), sources.sla_priorities),
            Column("on_time", "integer", _("Resolved by the deadline")),
            Column("late", "integer", _("Resolved after the deadline")),
            Column("total", "integer", _("Resolved")),
            Column("share_on_time", "number", _("Share resolved by the deadline (0 to 1)")),
        ),
        load=sources.service_sla,
        frequency="MONTHLY",
        keywords=("qualité de service", "service level"),
        theme="GOVE",
        filters=frozenset({"date"}),
    ),
    Dataset(
        slug="communes",
        title=_("Communes of the metropolis"),
        description=_("The communes with their outline and municipal population."),
        columns=(
            ID,
            LON,
            LAT,
            COMMUNE,
            Column("name", "string", _("Name")),
            Column("population", "integer", _("Municipal population")),
        ),
        load=sources.communes,
        frequency="ANNUAL",
        keywords=("communes", "territoire"),
        theme="REGI",
        spatial=True,
        filters=frozenset({"bbox", "commune"}),
    ),
    Dataset(
        slug="car-parks",
        title=_("Car parks: inventory and current occupancy"),
        description=_(
            "The supervised car parks: place, capacity, operator, and their last accepted "
            "occupancy (a car park without recent data says so rather than show an old value)."
        ),
        columns=(
            ID,
            Column("name", "string", _("Name")),
            LAT,
            LON,
            COMMUNE,
            Column("capacity", "integer", _("Spaces")),
            Column("operator", "string", _("Operator")),
            Column("status", "string", _("Occupancy state"), sources.car_park_states),
            Column("occupancy_percent", "number", _("Occupancy (%)")),
            Column("observed_at", "string", _("Time of the occupancy (ISO 8601)")),
        ),
        load=sources.car_parks,
        frequency="UPDATE_CONT",
        keywords=("stationnement", "parking", "car parks"),
        spatial=True,
        filters=frozenset({"bbox", "status", "commune"}),
    ),
    Dataset(
        slug="car-park-occupancy-hourly",
        title=_("Car-park occupancy per hour"),
        description=_(
            "Mean occupancy of each car park per hour, from every accepted reading; "
            "impossible values received from the counting equipment are left out."
        ),
        columns=(
            ID,
            Column("car_park", "string", _("Identifier of the car park")),
            Column("date", "date", _("Day (local time)")),
            Column("hour", "integer", _("Hour of the day (local time, 0 to 23)")),
            Column("occupancy_percent", "number", _("Mean occupancy (%)")),
            Column("capacity", "integer", _("Spaces")),
            Column("samples", "integer", _("Readings averaged")),
        ),
        load=sources.car_park_occupancy_hourly,
        frequency="HOURLY",
        keywords=("stationnement", "parking", "occupation"),
        filters=frozenset({"date"}),
    ),
]


def published() -> list[Dataset]:
    """Datasets in catalogue order, minus those the operator chose not to publish."""
    hidden = set(settings.OPENDATA_UNPUBLISHED)
    return [dataset for dataset in ALL if dataset.slug not in hidden]


def get(slug: str) -> Dataset | None:
    return next((dataset for dataset in published() if dataset.slug == slug), None)
