"""Anonymisation of incidents before publication.

Only five facts of an incident are ever read (day, commune, category, status, location);
free text, photos and reporter data never enter this module. Locations are snapped to the
centre of a square grid drawn in Lambert-93 metres (or replaced by the commune's inner
point), times are cut to the day, and the k-threshold is applied to the whole table:

1. rows are grouped into (commune, month, category) cells;
2. every cell with fewer than k rows has its category replaced by OTHER_CATEGORY, which
   merges the small cells of one commune and month into one;
3. a merged cell still under k is dropped.

Because the threshold runs once on the complete table and every request filters the
already-published rows, no combination of filters can bring back a dropped cell.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from django.conf import settings
from pyproj import Transformer

OTHER_CATEGORY = "autres"
GRID = "grid"
COMMUNE = "commune"

_TO_L93 = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)
_FROM_L93 = Transformer.from_crs("EPSG:2154", "EPSG:4326", always_xy=True)


@dataclass(frozen=True)
class Record:
    """The only facts of an incident the anonymisation reads; `day` is the local date."""

    source_id: str
    day: date
    commune_insee: str
    category: str
    status: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Row:
    id: str
    day: str
    commune_insee: str
    category: str
    status: str
    lat: float
    lon: float


def stable_id(*parts: str) -> str:
    """An identifier that stays the same between exports but cannot be traced back.

    A keyed hash: without the server's secret the source id cannot be recovered or guessed
    by hashing candidate ids.
    """
    message = "\x1f".join(parts).encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:16]


def snap_to_grid(*, lat: float, lon: float, grid_m: int) -> tuple[float, float]:
    """(lon, lat) of the centre of the grid cell holding the point, grid in Lambert-93 metres."""
    x, y = _TO_L93.transform(lon, lat)
    cx = (x // grid_m) * grid_m + grid_m / 2
    cy = (y // grid_m) * grid_m + grid_m / 2
    out_lon, out_lat = _FROM_L93.transform(cx, cy)
    return round(out_lon, 6), round(out_lat, 6)


def coarsen(
    record: Record, *, mode: str, grid_m: int, centroids: dict[str, tuple[float, float]]
) -> Row:
    if mode == COMMUNE and record.commune_insee in centroids:
        lon, lat = centroids[record.commune_insee]
    else:
        lon, lat = snap_to_grid(lat=record.lat, lon=record.lon, grid_m=grid_m)
    return Row(
        id=stable_id("incident", record.source_id),
        day=record.day.isoformat(),
        commune_insee=record.commune_insee,
        category=record.category,
        status=record.status,
        lat=lat,
        lon=lon,
    )


def cell_of(row: Row) -> tuple[str, str, str]:
    return (row.commune_insee, row.day[:7], row.category)


def apply_threshold(rows: Iterable[Row], *, k: int) -> list[Row]:
    """Merge cells under k into OTHER_CATEGORY, then drop merged cells still under k."""
    rows = list(rows)
    sizes = Counter(cell_of(row) for row in rows)
    merged = [
        row if sizes[cell_of(row)] >= k else replace(row, category=OTHER_CATEGORY) for row in rows
    ]
    merged_sizes = Counter(cell_of(row) for row in merged)
    return [row for row in merged if merged_sizes[cell_of(row)] >= k]


def publishable(
    records: Iterable[Record],
    *,
    k: int,
    mode: str,
    grid_m: int,
    centroids: dict[str, tuple[float, float]],
) -> list[Row]:
    """The published table: coarsened rows, thresholded as a whole, in id order."""
    coarse = [coarsen(r, mode=mode, grid_m=grid_m, centroids=centroids) for r in records]
    return sorted(apply_threshold(coarse, k=k), key=lambda row: row.id)
