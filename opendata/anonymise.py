"""Anonymisation of incidents before publication.

Only these facts of an incident are ever read: its id, day, commune, category, status and
location; free text, photos and reporter data never enter this module. Locations are
snapped to the centre of a square grid drawn in Lambert-93 metres (or replaced by the
commune's inner point), times are cut to the day, and the k-threshold is applied to the
whole table:

1. rows are grouped into (commune, month, category) cells;
2. every cell with fewer than k rows has its category replaced by OTHER_CATEGORY, which
   merges the small cells of one commune and month into one;
3. a merged cell still under k is dropped.

Tables of counts (deadlines met per month, service and priority) follow the same rule with
`threshold_counts`: a cell under k is merged into OTHER_CATEGORY within its group.

Because the threshold runs once on the complete table and every request filters the
already-published rows, no combination of filters can bring back a dropped cell.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from django.conf import settings

from hypervisor import geo

OTHER_CATEGORY = "autres"
GRID = "grid"
COMMUNE = "commune"


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


def snap_all(
    lats: Sequence[float], lons: Sequence[float], *, grid_m: int
) -> list[tuple[float, float]]:
    """(lon, lat) of the centre of each point's grid cell, grid in Lambert-93 metres."""
    return geo.snap_all_to_grid(list(lats), list(lons), grid_m=grid_m)


def snap_to_grid(*, lat: float, lon: float, grid_m: int) -> tuple[float, float]:
    """(lon, lat) of the centre of the grid cell holding the point."""
    return snap_all([lat], [lon], grid_m=grid_m)[0]


def coarsen_all(
    records: Sequence[Record],
    *,
    mode: str,
    grid_m: int,
    centroids: dict[str, tuple[float, float]],
) -> list[Row]:
    """Records cut to the day, placed at their grid cell's centre or their commune's point."""
    grid = snap_all([r.lat for r in records], [r.lon for r in records], grid_m=grid_m)
    rows = []
    for record, cell in zip(records, grid, strict=True):
        if mode == COMMUNE and record.commune_insee in centroids:
            lon, lat = centroids[record.commune_insee]
        else:
            lon, lat = cell
        rows.append(
            Row(
                id=stable_id("incident", record.source_id),
                day=record.day.isoformat(),
                commune_insee=record.commune_insee,
                category=record.category,
                status=record.status,
                lat=lat,
                lon=lon,
            )
        )
    return rows


def coarsen(
    record: Record, *, mode: str, grid_m: int, centroids: dict[str, tuple[float, float]]
) -> Row:
    return coarsen_all([record], mode=mode, grid_m=grid_m, centroids=centroids)[0]


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
    coarse = coarsen_all(list(records), mode=mode, grid_m=grid_m, centroids=centroids)
    return sorted(apply_threshold(coarse, k=k), key=lambda row: row.id)


@dataclass(frozen=True)
class CountCell:
    """Counts of one `detail` (a priority, say) within a `group` (a month and service)."""

    group: tuple[str, ...]
    detail: str
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.counts)


def threshold_counts(cells: Iterable[CountCell], *, k: int) -> list[CountCell]:
    """The same rule for tables of counts: a cell counting fewer than k incidents has its
    detail replaced by OTHER_CATEGORY, which sums the small cells of its group; a merged
    cell still under k is dropped. Groups keep their input order, merged cells come last.
    """
    kept: list[CountCell] = []
    merged: dict[tuple[str, ...], list[int]] = {}
    for cell in cells:
        if cell.total >= k:
            kept.append(cell)
            continue
        sums = merged.setdefault(cell.group, [0] * len(cell.counts))
        for i, count in enumerate(cell.counts):
            sums[i] += count
    kept += [
        CountCell(group=group, detail=OTHER_CATEGORY, counts=tuple(sums))
        for group, sums in merged.items()
        if sum(sums) >= k
    ]
    return kept
