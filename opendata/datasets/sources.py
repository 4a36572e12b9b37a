"""Row loaders: every read goes through another app's selectors or the hypervisor registry.

Loaders return plain tuples (never model instances), already in column order, so that the
formats can stream 35,000 rows without a serializer per object.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from operator import itemgetter
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from shapely.geometry import shape

from hypervisor import selectors as territory
from hypervisor.registry import registry
from incidents import selectors as incidents
from lighting import selectors as lighting
from opendata import anonymise
from opendata.datasets.base import Table
from traffic import selectors as traffic

# Wide enough to hold every asset of the territory: the layers read by bounding box.
WHOLE_WORLD = (-180.0, -90.0, 180.0, 90.0)
# At this zoom the equipment layers return points, not clusters.
POINT_ZOOM = 22


def _layer_rows(name: str, columns: list[str]) -> list[tuple[Any, ...]]:
    """The layer's point rows, with its fields picked by name in the order asked for."""
    layer = registry.layer(name)
    tile = layer.tile(bbox=WHOLE_WORLD, zoom=POINT_ZOOM)  # type: ignore[attr-defined]
    fields = tile["fields"]
    if fields[: len(columns)] == columns:
        return (
            list(map(tuple, tile["rows"]))
            if len(fields) == len(columns)
            else [tuple(row[: len(columns)]) for row in tile["rows"]]
        )
    pick = itemgetter(*(fields.index(column) for column in columns))
    return list(map(pick, tile["rows"]))


def light_points() -> Table:
    """Inventory and status, read from the lighting layer as tuples, not objects."""
    return Table(rows=_layer_rows("lighting", ["id", "lat", "lon", "status", "level"]))


def crossroads() -> Table:
    return Table(rows=_layer_rows("signals", ["id", "lat", "lon", "status"]))


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
    for _ in range(count - 1):
        months.append((months[-1] - timedelta(days=1)).replace(day=1))
    return sorted(months)


def _next_month(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1)


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


def service_sla() -> Table:
    """Share of incidents resolved by their deadline, per month, service and priority."""
    kpi: Any = next(
        k for k in incidents.KPIS if getattr(k, "key", "") == "incidents.sla_compliance"
    )
    tz = timezone.get_current_timezone()
    rows = []
    with translation.override(settings.LANGUAGE_CODE):
        for month in _months_back(settings.OPENDATA_HISTORY_MONTHS):
            start = timezone.make_aware(datetime.combine(month, time.min), tz)
            end = timezone.make_aware(datetime.combine(_next_month(month), time.min), tz)
            for name, share in kpi.compute(start=start, end=end)["by"].items():
                service, _sep, priority = name.partition(" · ")
                key = anonymise.stable_id("sla", f"{month:%Y-%m}", service, priority)
                rows.append((key, month.strftime("%Y-%m"), service, priority, share))
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


def incidents_anonymised() -> Table:
    """Located incidents, coarsened and thresholded on the whole table (see anonymise.py)."""
    names = {name: insee for insee, name in territory.commune_names().items()}
    with translation.override(settings.LANGUAGE_CODE):
        features = incidents.incident_map_features()
    records = [
        anonymise.Record(
            source_id=str(feature["id"]),
            day=timezone.localdate(datetime.fromisoformat(feature["created_at"])),
            commune_insee=names.get(feature["commune"], ""),
            category=feature["category"],
            status=feature["status"],
            lat=feature["lat"],
            lon=feature["lon"],
        )
        for feature in features
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
