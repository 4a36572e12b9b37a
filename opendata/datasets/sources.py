"""Row loaders: every read goes through another app's selectors.

Loaders return plain tuples (never model instances), already in column order, so that the
formats can stream 35,000 rows without a serializer per object.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from shapely.geometry import shape

from hypervisor import selectors as territory
from incidents import selectors as incidents
from lighting import selectors as lighting
from mobility import selectors as mobility
from opendata import anonymise
from opendata.datasets.base import Table
from traffic import selectors as traffic

# The crossroads' availability is the share of this many days in normal operation.
AVAILABILITY_DAYS = 30
# Service code of the incidents resolved without a competent service.
UNROUTED = "non-affecte"


def light_points() -> Table:
    """Inventory and status, straight from the lighting selector's cursor."""
    return Table(rows=lighting.light_point_rows())


def crossroads() -> Table:
    end = timezone.now()
    start = end - timedelta(days=AVAILABILITY_DAYS)
    return Table(rows=traffic.crossroad_availability_rows(start=start, end=end))


def cameras() -> Table:
    rows = traffic.cameras().values_list(
        "reference", "lon", "lat", "commune_insee", "kind", "purpose", "status"
    )
    return Table(rows=[tuple(row) for row in rows])


def bollards() -> Table:
    rows = traffic.bollards().values_list(
        "reference", "lon", "lat", "commune_insee", "access_point", "state"
    )
    return Table(rows=[tuple(row) for row in rows])


def _months_back(count: int) -> list[date]:
    first = timezone.localdate().replace(day=1)
    months = [first]
    for _step in range(count - 1):
        months.append((months[-1] - timedelta(days=1)).replace(day=1))
    return sorted(months)


def _next_month(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1)


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


def lighting_energy() -> Table:
    """Consumed and baseline kWh per commune and month, with the savings share."""
    months = _months_back(settings.OPENDATA_HISTORY_MONTHS)
    rows = []
    for insee in sorted(territory.commune_names()):
        figures = lighting.energy_figures(
            start=months[0], end=_next_month(months[-1]), commune_insee=insee
        )
        for month, figure in figures.items():
            saving = figure.savings
            rows.append(
                (
                    f"{insee}-{month:%Y-%m}",
                    insee,
                    month.strftime("%Y-%m"),
                    round(figure.consumed_kwh, 1),
                    round(figure.baseline_kwh, 1),
                    round(saving, 4) if saving is not None else None,
                )
            )
    return Table(rows=rows)


def sla_priorities() -> list[str]:
    return [*incidents.incident_priority_codes(), anonymise.OTHER_CATEGORY]


def service_sla() -> Table:
    """Incidents resolved on time and late per month, service and priority (k-thresholded)."""
    months = _months_back(settings.OPENDATA_HISTORY_MONTHS)
    counts = incidents.incident_deadline_counts(
        start=_local_midnight(months[0]), end=_local_midnight(_next_month(months[-1]))
    )
    with translation.override(settings.LANGUAGE_CODE):
        unrouted = _("Unrouted")
    cells = anonymise.threshold_counts(
        [
            anonymise.CountCell(
                group=(f"{month:%Y-%m}", code or UNROUTED, name or unrouted),
                detail=priority,
                counts=(on_time, late),
            )
            for month, code, name, priority, on_time, late in counts
        ],
        k=settings.OPENDATA_K_THRESHOLD,
    )
    rows = []
    for cell in cells:
        month, code, name = cell.group
        on_time, late = cell.counts
        total = on_time + late
        rows.append(
            (
                f"{month}-{code}-{cell.detail}",
                month,
                code,
                name,
                cell.detail,
                on_time,
                late,
                total,
                round(on_time / total, 4),
            )
        )
    return Table(rows=rows)


def communes() -> Table:
    collection = territory.communes_geojson()
    rows, shapes = [], []
    for feature in sorted(collection["features"], key=lambda f: f["properties"]["insee"]):
        props = feature["properties"]
        inside = shape(feature["geometry"]).representative_point()
        rows.append(
            (
                props["insee"],
                round(inside.x, 6),
                round(inside.y, 6),
                props["insee"],
                props["name"],
                props["population"],
            )
        )
        shapes.append(feature["geometry"])
    return Table(rows=rows, shapes=shapes)


def incident_categories() -> list[str]:
    return [*incidents.incident_category_codes(), anonymise.OTHER_CATEGORY]


def incidents_anonymised() -> Table:
    """Every published incident, coarsened and thresholded as a whole (see anonymise.py)."""
    records = [
        anonymise.Record(
            source_id=str(pk),
            day=timezone.localdate(created_at),
            commune_insee=insee,
            category=category,
            status=status,
            lat=lat,
            lon=lon,
        )
        for pk, created_at, insee, category, status, lat, lon in (
            incidents.incident_publication_rows()
        )
    ]
    published = anonymise.publishable(
        records,
        k=settings.OPENDATA_K_THRESHOLD,
        mode=settings.OPENDATA_INCIDENT_LOCATION,
        grid_m=settings.OPENDATA_GRID_METRES,
        centroids=commune_centroids(),
    )
    return Table(
        rows=[
            (row.id, row.lon, row.lat, row.day, row.commune_insee, row.category, row.status)
            for row in published
        ]
    )


def commune_centroids() -> dict[str, tuple[float, float]]:
    centroids = {}
    for feature in territory.communes_geojson()["features"]:
        inside = shape(feature["geometry"]).representative_point()
        centroids[feature["properties"]["insee"]] = (round(inside.x, 6), round(inside.y, 6))
    return centroids


def car_park_states() -> list[str]:
    return mobility.car_park_state_codes()


def car_parks() -> Table:
    return Table(rows=mobility.car_park_rows())


def car_park_occupancy_hourly() -> Table:
    """The last 90 days, hour by hour (local time)."""
    start = timezone.now() - timedelta(days=90)
    rows = []
    for row in mobility.car_park_occupancy_hourly(start=start):
        local = timezone.localtime(row["hour"])
        rows.append(
            (
                f"{row['car_park']}:{local:%Y-%m-%dT%H}",
                row["car_park"],
                local.date().isoformat(),
                local.hour,
                row["occupancy_percent"],
                row["capacity"],
                row["samples"],
            )
        )
    return Table(rows=rows)
