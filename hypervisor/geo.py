"""Geometry helpers: great-circle distance and the commune index.

Coordinates are WGS84 latitude/longitude. Polygons are shapely prepared geometries kept
in memory and rebuilt when the communes change.
"""

from __future__ import annotations

import functools
import math
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from shapely import prepared
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

EARTH_RADIUS_M = 6_371_008.8
# A point this close outside the territory (GPS noise along the edge) still belongs to it.
EDGE_TOLERANCE_M = 150.0


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def metres_to_degrees_lat(metres: float) -> float:
    return metres / 111_320.0


@dataclass(frozen=True)
class IndexedCommune:
    insee: str
    name: str
    geometry: BaseGeometry
    prepared: prepared.PreparedGeometry


class CommuneIndex:
    """Answers "which commune is this point in", deterministically on shared edges."""

    def __init__(self, communes: list[tuple[str, str, dict]]) -> None:
        self.communes = []
        for insee, name, geojson in sorted(communes):
            geometry = shape(geojson)
            self.communes.append(IndexedCommune(insee, name, geometry, prepared.prep(geometry)))

    def locate(self, lat: float, lon: float) -> str | None:
        """INSEE code of the commune covering the point.

        A point on the edge shared by two communes is covered by both; the lowest INSEE
        code wins so the answer never depends on the order rows come back from SQL. A
        point just outside the territory goes to the nearest commune within tolerance.
        """
        point = Point(lon, lat)
        covering = [c.insee for c in self.communes if c.prepared.covers(point)]
        if covering:
            return min(covering)
        best: tuple[float, str] | None = None
        for commune in self.communes:
            nearest = nearest_points(commune.geometry, point)[0]
            distance = haversine_m(lat, lon, nearest.y, nearest.x)
            if distance <= EDGE_TOLERANCE_M and (best is None or (distance, commune.insee) < best):
                best = (distance, commune.insee)
        return best[1] if best else None


_lock = threading.Lock()
_cache: dict[str, object] = {}


def commune_index(
    fingerprint: tuple[object, ...], loader: Callable[[], list[tuple[str, str, dict]]]
) -> CommuneIndex:
    """The index for the given state of the communes table, built once per state."""
    with _lock:
        if _cache.get("fingerprint") != fingerprint:
            _cache["index"] = CommuneIndex(loader())
            _cache["fingerprint"] = fingerprint
        return _cache["index"]  # type: ignore[return-value]


def random_point_in(geometry: dict, rng: random.Random) -> tuple[float, float]:
    """A uniformly drawn (lat, lon) inside a GeoJSON polygon (rejection sampling)."""
    polygon = shape(geometry)
    min_lon, min_lat, max_lon, max_lat = polygon.bounds
    prepared_polygon = prepared.prep(polygon)
    for _attempt in range(1000):
        lon, lat = rng.uniform(min_lon, max_lon), rng.uniform(min_lat, max_lat)
        if prepared_polygon.contains(Point(lon, lat)):
            return lat, lon
    inside = polygon.representative_point()
    return inside.y, inside.x


def snap_all_to_grid(
    lats: list[float], lons: list[float], *, grid_m: int
) -> list[tuple[float, float]]:
    """(lon, lat) of the centre of each point's square grid cell, in Lambert-93 metres.

    The one coarsening of published positions (open data, Open311): every point of a cell
    reads as its centre. Whole coordinate arrays go through the projection at once.
    """
    if not lats:
        return []
    to_l93, from_l93 = _lambert93()
    xs, ys = to_l93.transform(lons, lats)
    cxs = [(x // grid_m) * grid_m + grid_m / 2 for x in xs]
    cys = [(y // grid_m) * grid_m + grid_m / 2 for y in ys]
    out_lons, out_lats = from_l93.transform(cxs, cys)
    return [(round(lon, 6), round(lat, 6)) for lon, lat in zip(out_lons, out_lats, strict=True)]


@functools.cache
def _lambert93() -> tuple[Any, Any]:
    """WGS 84 → Lambert-93 and back (built once: building a transformer costs milliseconds)."""
    from pyproj import Transformer

    return (
        Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True),
        Transformer.from_crs("EPSG:2154", "EPSG:4326", always_xy=True),
    )
