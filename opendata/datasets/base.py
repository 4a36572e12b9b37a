"""What a published dataset is: its columns, where its rows come from, how often it changes.

Each dataset is a small declaration; every format (JSON, GeoJSON, CSV, OGC API, DCAT) is
derived from it, so adding an equipment dataset is one `Dataset(...)` in `catalogue.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

# Filters a dataset may accept; each maps to a column it must have ("date" filters a day
# column, or a month column as YYYY-MM).
FILTER_COLUMNS = {
    "commune": "commune_insee",
    "category": "category",
    "status": "status",
    "date": "date",
    "bbox": "lon",
}
DATE_COLUMNS = ("date", "month")


@dataclass(frozen=True)
class Column:
    """One column, typed the Frictionless Table Schema way (string, integer, number, date).

    `values`, when given, returns every value a coded column may hold: the Table Schema
    publishes it as an enum and a filter on the column refuses anything else.
    """

    name: str
    type: str
    description: Promise | str
    values: Callable[[], list[str]] | None = None


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
    # A code of the EU frequency authority table: UPDATE_CONT, DAILY, MONTHLY, ANNUAL, IRREG…
    frequency: str
    keywords: tuple[str, ...] = ()
    # A code of the EU data-theme authority table: ENER, TRAN, GOVE, REGI, JUST…
    theme: str = "GOVE"
    # Point datasets have lon/lat columns; area datasets also carry shapes.
    spatial: bool = False
    filters: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        names = self.column_names
        for family in self.filters:
            wanted = DATE_COLUMNS if family == "date" else (FILTER_COLUMNS[family],)
            if not set(wanted) & set(names):
                raise ValueError(f"{self.slug}: the {family} filter needs one of {wanted}")

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    def index_of(self, name: str) -> int:
        return self.column_names.index(name)

    def column(self, name: str) -> Column:
        return self.columns[self.index_of(name)]

    @property
    def date_column(self) -> str | None:
        return next((name for name in DATE_COLUMNS if name in self.column_names), None)
