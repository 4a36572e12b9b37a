"""Reading the territory's communes: a GeoJSON file, or approximations from a facts table."""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely
from django.utils.translation import gettext as _
from shapely import voronoi_polygons
from shapely.geometry import MultiPoint, Point, mapping, shape
from shapely.geometry.polygon import orient
from shapely.validation import explain_validity

FACTS_FILE = Path(__file__).parent / "data" / "communes_facts.csv"

_INSEE_KEYS = ("insee", "code_insee", "INSEE_COM", "code")
_NAME_KEYS = ("nom", "name", "NOM_COM", "nom_commune")
_POPULATION_KEYS = ("population_municipale", "population", "POPULATION", "population_totale")


class TerritoryFileError(ValueError):
    """The file cannot be loaded; says which feature and why."""


@dataclass(frozen=True)
class CommuneRecord:
    insee: str
    name: str
    population: int
    geometry: dict[str, Any]
    label_lat: float
    label_lon: float
    approximated: bool = False


def rfc7946_wound(geometry: dict[str, Any]) -> dict[str, Any]:
    """A Polygon or MultiPolygon with exterior rings counter-clockwise and holes clockwise,
    as RFC 7946 §3.1.6 requires of GeoJSON (many sources, IGN's included, wind the other way).
    """
    area = shape(geometry)
    if area.geom_type == "Polygon":
        return dict(mapping(orient(area, sign=1.0)))
    if area.geom_type == "MultiPolygon":
        return dict(mapping(shapely.MultiPolygon([orient(p, sign=1.0) for p in area.geoms])))
    return geometry


def _first(properties: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        if properties.get(key) not in (None, ""):
            return properties[key]
    return None


def read_geojson(path: Path) -> list[CommuneRecord]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TerritoryFileError(_("File not found: %(path)s") % {"path": path}) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise TerritoryFileError(_("Not a JSON file: %(error)s") % {"error": error}) from None
    return parse_feature_collection(data)


def parse_feature_collection(data: Any) -> list[CommuneRecord]:
    """Validate every feature before anything is written; the first fault is reported."""
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise TerritoryFileError(_("Expected a GeoJSON FeatureCollection."))
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise TerritoryFileError(_("The FeatureCollection has no features."))
    records: list[CommuneRecord] = []
    seen: set[str] = set()
    for number, feature in enumerate(features, start=1):
        records.append(_parse_feature(number, feature, seen))
    return records


def _parse_feature(number: int, feature: Any, seen: set[str]) -> CommuneRecord:
    def fail(reason: str) -> TerritoryFileError:
        return TerritoryFileError(
            _("Feature %(number)d: %(reason)s") % {"number": number, "reason": reason}
        )

    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise fail(_("not a GeoJSON Feature."))
    properties = feature.get("properties") or {}
    insee = str(_first(properties, _INSEE_KEYS) or "").strip()
    if len(insee) != 5 or not insee[:2].isalnum() or not insee[2:].isdigit():
        raise fail(_("missing or invalid INSEE code (five characters, e.g. 21231)."))
    if insee in seen:
        raise fail(_("INSEE code %(insee)s appears twice.") % {"insee": insee})
    seen.add(insee)
    name = str(_first(properties, _NAME_KEYS) or "").strip()
    if not name:
        raise fail(_("missing commune name."))
    raw_population = _first(properties, _POPULATION_KEYS)
    try:
        population = int(raw_population) if raw_population is not None else 0
    except (TypeError, ValueError):
        raise fail(_("population is not a whole number.")) from None
    if population < 0:
        raise fail(_("population is negative."))
    geometry_json = feature.get("geometry")
    if not isinstance(geometry_json, dict) or geometry_json.get("type") not in (
        "Polygon",
        "MultiPolygon",
    ):
        raise fail(_("geometry must be a Polygon or a MultiPolygon."))
    try:
        geometry = shape(geometry_json)
    except Exception as error:
        raise fail(_("unreadable geometry (%(error)s).") % {"error": error}) from None
    if geometry.is_empty or not geometry.is_valid:
        raise fail(_("invalid geometry: %(why)s.") % {"why": explain_validity(geometry)})
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise fail(_("coordinates are not WGS84 longitude/latitude."))
    label_lat, label_lon = properties.get("label_lat"), properties.get("label_lon")
    if (
        label_lat is None
        or label_lon is None
        or not geometry.covers(Point(float(label_lon), float(label_lat)))
    ):
        inside = geometry.representative_point()
        label_lat, label_lon = inside.y, inside.x
    return CommuneRecord(
        insee=insee,
        name=name,
        population=population,
        geometry=rfc7946_wound(dict(mapping(geometry))),
        label_lat=float(label_lat),
        label_lon=float(label_lon),
    )


def approximate_communes(facts_file: Path = FACTS_FILE) -> list[CommuneRecord]:
    """Approximate boundaries from each commune's centre and area.

    Voronoi cells around the centres share their edges, so the approximated communes tile
    the territory without overlaps; each cell is clipped to a disc of the commune's area
    (enlarged, since communes are not round) so the outer edge stays plausible.
    """
    with facts_file.open(encoding="utf-8") as handle:
        facts = list(csv.DictReader(handle))
    # A local equirectangular projection is affine, so edges shared in metres stay shared
    # once mapped back to degrees (a conformal projection would bend them into slivers).
    mean_lat = sum(float(row["centre_lat"]) for row in facts) / len(facts)
    x_scale = 111_320.0 * math.cos(math.radians(mean_lat))
    y_scale = 110_574.0

    scale = (x_scale, y_scale)

    def to_metric(lon: float, lat: float) -> tuple[float, float]:
        return lon * x_scale, lat * y_scale

    centres = [
        Point(to_metric(float(row["centre_lon"]), float(row["centre_lat"]))) for row in facts
    ]
    cells = voronoi_polygons(MultiPoint(centres), extend_to=MultiPoint(centres).buffer(30_000))
    records = []
    taken = Point(0, 0).buffer(0)
    for row, centre in zip(facts, centres, strict=True):
        cell = next(cell for cell in cells.geoms if cell.covers(centre))
        radius = math.sqrt(float(row["area_km2"]) * 1_000_000 / math.pi) * 1.35
        # Subtracting what earlier communes took removes the slivers floating point leaves.
        area = cell.intersection(centre.buffer(radius, quad_segs=8)).difference(taken)
        taken = taken.union(area)
        geometry = shapely.transform(area, lambda coordinates: coordinates / scale)
        records.append(
            CommuneRecord(
                insee=row["insee"],
                name=row["name"],
                population=int(row["population"]),
                geometry=rfc7946_wound(dict(mapping(geometry))),
                label_lat=float(row["centre_lat"]),
                label_lon=float(row["centre_lon"]),
                approximated=True,
            )
        )
    return records
