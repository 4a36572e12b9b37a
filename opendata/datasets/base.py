"""What a published dataset is: its columns, where its rows come from, how often it changes.

Each dataset is a small declaration; every format (JSON, GeoJSON, CSV, OGC API, DCAT) is
derived from it, so adding an equipment dataset is one `Dataset(...)` in `catalogue.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

# Filters a dataset may accept; each maps to a column it must have.
FILTER_COLUMNS = {
    "commune": "commune_insee",
    "category": "category",
    "status": "status",
    "date": "date",
    "bbox": "lon",
}


@dataclass(frozen=True)
class Column:
    """One column, typed the Frictionless Table Schema way (string, integer, number, date)."""

    name: str
    type: str
    description: Promise | str


@dataclass(frozen=True)
class Table:
    """Rows in column order, plus a geometry per row for area datasets (None for points)."""

    rows: list[tuple[Any, ...]]
    shapes: list[dict[str, Any]] | None = None


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: Promise | str
    description: Promise | str
    columns: tuple[Column, ...]
    load: Callable[[], Table]
    # EU frequency vocabulary: CONTINUOUS, DAILY, MONTHLY, ANNUAL, IRREG…
    frequency: str
    keywords: tuple[str, ...] = ()
    # Point datasets have lon/lat columns; area datasets also carry shapes.
    spatial: bool = False
    filters: frozenset[str] = field(default_factory=frozenset)

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    def index_of(self, name: str) -> int:
        return self.column_names.index(name)
