"""The published datasets. Adding one is a `Dataset(...)` here and a loader in sources.py."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from opendata.datasets import sources
from opendata.datasets.base import Column, Dataset

ID = Column("id", "string", _("Stable identifier"))
LON = Column("lon", "number", _("Longitude (WGS84)"))
LAT = Column("lat", "number", _("Latitude (WGS84)"))
COMMUNE = Column("commune_insee", "string", _("INSEE code of the commune"))
STATUS = Column("status", "string", _("Operating status"))

ALL = [
    Dataset(
        slug="light-points",
        title=_("Street light points"),
        description=_("Every public light point of the metropolis with its current status."),
        columns=(ID, LAT, LON, STATUS, Column("level", "integer", _("Current level (%)"))),
        load=sources.light_points,
        frequency="CONTINUOUS",
        keywords=("éclairage public", "lighting"),
        spatial=True,
        filters=frozenset({"bbox", "status"}),
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
            Column("month", "string", _("Month (YYYY-MM)")),
            Column("consumed_kwh", "number", _("Energy used (kWh)")),
            Column("baseline_kwh", "number", _("Pre-renovation baseline (kWh)")),
            Column("savings", "number", _("Share saved against the baseline (0 to 1)")),
        ),
        load=sources.lighting_energy,
        frequency="MONTHLY",
        keywords=("énergie", "energy"),
        filters=frozenset({"commune"}),
    ),
    Dataset(
        slug="crossroads",
        title=_("Signalised crossroads"),
        description=_("Crossroads with traffic lights and the state of their controller."),
        columns=(ID, LAT, LON, STATUS),
        load=sources.crossroads,
        frequency="CONTINUOUS",
        keywords=("feux tricolores", "traffic signals"),
        spatial=True,
        filters=frozenset({"bbox", "status"}),
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
            Column("kind", "string", _("Kind of camera")),
            Column("purpose", "string", _("Purpose")),
            STATUS,
        ),
        load=sources.cameras,
        frequency="DAILY",
        keywords=("vidéoprotection", "cameras"),
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
            STATUS,
        ),
        load=sources.bollards,
        frequency="DAILY",
        keywords=("bornes escamotables", "bollards"),
        spatial=True,
        filters=frozenset({"bbox", "status", "commune"}),
    ),
    Dataset(
        slug="incidents",
        title=_("Incidents in public space (anonymised)"),
        description=_(
            "Open incidents: day, commune, category and a coarsened location. Small groups "
            "are merged or withheld; see the method in the documentation."
        ),
        columns=(
            ID,
            LON,
            LAT,
            Column("date", "date", _("Day reported")),
            COMMUNE,
            Column("category", "string", _("Category")),
            STATUS,
        ),
        load=sources.incidents_anonymised,
        frequency="DAILY",
        keywords=("signalements", "incidents"),
        spatial=True,
        filters=frozenset({"bbox", "status", "commune", "category", "date"}),
    ),
    Dataset(
        slug="service-sla",
        title=_("Deadlines met per service and month"),
        description=_("Share of incidents resolved by their deadline, by service and priority."),
        columns=(
            ID,
            Column("month", "string", _("Month (YYYY-MM)")),
            Column("service", "string", _("Service")),
            Column("priority", "string", _("Priority")),
            Column("share_met", "number", _("Deadlines met (%)")),
        ),
        load=sources.service_sla,
        frequency="MONTHLY",
        keywords=("qualité de service", "service level"),
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
        spatial=True,
        filters=frozenset({"bbox", "commune"}),
    ),
]


def published() -> list[Dataset]:
    """Datasets in catalogue order, minus those the operator chose not to publish."""
    hidden = set(settings.OPENDATA_UNPUBLISHED)
    return [dataset for dataset in ALL if dataset.slug not in hidden]


def get(slug: str) -> Dataset | None:
    return next((dataset for dataset in published() if dataset.slug == slug), None)
