"""Query parameters of the open-data API, checked before any row is read.

Every refusal names the parameter and the reason, so a 400 tells the caller what to fix.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from hypervisor import selectors as territory
from opendata.datasets import Dataset
from opendata.datasets.base import FILTER_COLUMNS
from opendata.store import Snapshot

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
LAMBERT93 = "http://www.opengis.net/def/crs/EPSG/0/2154"
CRS_ALIASES = {
    CRS84: CRS84,
    "EPSG:4326": CRS84,
    "CRS84": CRS84,
    LAMBERT93: LAMBERT93,
    "EPSG:2154": LAMBERT93,
}
FILTER_PARAMETERS = ("commune", "category", "status", "date_from", "date_to", "bbox")


class BadParameter(Exception):
    def __init__(self, parameter: str, reason: str) -> None:
        super().__init__(f"{parameter}: {reason}")
        self.parameter = parameter
        self.reason = reason


@dataclass(frozen=True)
class Filters:
    commune: str | None = None
    category: str | None = None
    status: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    bbox: tuple[float, float, float, float] | None = None

    @property
    def empty(self) -> bool:
        return self == Filters()


def parse_bbox(raw: str, parameter: str = "bbox") -> tuple[float, float, float, float]:
    parts = raw.split(",")
    if len(parts) != 4:
        raise BadParameter(
            parameter, _("expected four numbers: min lon, min lat, max lon, max lat")
        )
    try:
        min_lon, min_lat, max_lon, max_lat = (float(part) for part in parts)
    except ValueError:
        raise BadParameter(
            parameter, _("expected four numbers: min lon, min lat, max lon, max lat")
        ) from None
    if not all(-180 <= v <= 180 for v in (min_lon, max_lon)) or not all(
        -90 <= v <= 90 for v in (min_lat, max_lat)
    ):
        raise BadParameter(parameter, _("longitudes must lie within ±180 and latitudes within ±90"))
    if min_lon > max_lon or min_lat > max_lat:
        raise BadParameter(parameter, _("the minimum corner must come before the maximum corner"))
    return min_lon, min_lat, max_lon, max_lat


def _date(raw: str, parameter: str) -> str:
    try:
        return date.fromisoformat(raw).isoformat()
    except ValueError:
        raise BadParameter(parameter, _("expected a date as YYYY-MM-DD")) from None


def _check_value(dataset: Dataset, parameter: str, raw: str) -> None:
    """A coded column accepts only its codes, so a typo is a 400 rather than no rows."""
    column = dataset.column(FILTER_COLUMNS[parameter])
    if column.values is None:
        return
    allowed = column.values()
    if raw not in allowed:
        raise BadParameter(
            parameter, _("expected one of: %(values)s") % {"values": ", ".join(allowed)}
        )


def parse_filters(query: Mapping[str, str], dataset: Dataset) -> Filters:
    values: dict[str, Any] = {}
    for parameter in FILTER_PARAMETERS:
        raw = query.get(parameter)
        if raw is None or raw == "":
            continue
        family = "date" if parameter.startswith("date_") else parameter
        if family not in dataset.filters:
            raise BadParameter(parameter, _("this dataset cannot be filtered this way"))
        if parameter == "commune" and raw not in territory.commune_names():
            raise BadParameter(parameter, _("no commune has this INSEE code"))
        if parameter in ("category", "status"):
            _check_value(dataset, parameter, raw)
        if parameter == "bbox":
            values[parameter] = parse_bbox(raw)
        elif family == "date":
            values[parameter] = _date(raw, parameter)
        else:
            values[parameter] = raw
    if (
        values.get("date_from")
        and values.get("date_to")
        and values["date_to"] < values["date_from"]
    ):
        raise BadParameter("date_to", _("comes before date_from"))
    return Filters(**values)


def apply(snap: Snapshot, filters: Filters) -> list[int]:
    """Indexes of the rows that pass every filter, in table (identifier) order."""
    rows, dataset = snap.table.rows, snap.dataset
    if filters.empty:
        return list(range(len(rows)))
    candidates = (
        snap.within_lon(filters.bbox[0], filters.bbox[2]) if filters.bbox else range(len(rows))
    )
    checks = []
    names = dataset.column_names
    for parameter in ("commune", "category", "status"):
        wanted = getattr(filters, parameter)
        if wanted is not None:
            checks.append((names.index(FILTER_COLUMNS[parameter]), wanted))
    date_column = dataset.date_column
    day = names.index(date_column) if date_column else -1
    # A month column (YYYY-MM) is compared with the month of each bound: a month is kept
    # when any of its days lies in the range.
    width = 7 if date_column == "month" else 10
    date_from = filters.date_from[:width] if filters.date_from else None
    date_to = filters.date_to[:width] if filters.date_to else None
    lon = names.index("lon") if "lon" in names else -1
    lat = names.index("lat") if "lat" in names else -1
    kept = []
    for index in candidates:
        row = rows[index]
        if any(row[column] != wanted for column, wanted in checks):
            continue
        if date_from and str(row[day]) < date_from:
            continue
        if date_to and str(row[day]) > date_to:
            continue
        if filters.bbox:
            min_lon, min_lat, max_lon, max_lat = filters.bbox
            if not (min_lon <= row[lon] <= max_lon and min_lat <= row[lat] <= max_lat):
                continue
        kept.append(index)
    return kept


def parse_limit(raw: str | None, *, default: int, maximum: int) -> int:
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadParameter("limit", _("expected a whole number")) from None
    if not 1 <= value <= maximum:
        raise BadParameter("limit", _("must lie between 1 and %(max)d") % {"max": maximum})
    return value


def parse_offset(raw: str | None) -> int:
    if raw is None or raw == "":
        return 0
    try:
        value = int(raw)
    except ValueError:
        raise BadParameter("offset", _("expected a whole number")) from None
    if value < 0:
        raise BadParameter("offset", _("must not be negative"))
    return value


def parse_crs(raw: str | None, parameter: str = "crs") -> str:
    if raw is None or raw == "":
        return CRS84
    if raw not in CRS_ALIASES:
        raise BadParameter(parameter, _("supported: %(list)s") % {"list": f"{CRS84}, {LAMBERT93}"})
    return CRS_ALIASES[raw]


def encode_cursor(last_id: str) -> str:
    return base64.urlsafe_b64encode(last_id.encode()).decode().rstrip("=")


def decode_cursor(raw: str | None) -> str | None:
    if raw is None or raw == "":
        return None
    try:
        return base64.b64decode(raw + "=" * (-len(raw) % 4), altchars=b"-_", validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadParameter("cursor", _("not a cursor this API returned")) from None


def reject_unknown(query: Mapping[str, str], allowed: set[str]) -> None:
    for parameter in query:
        if parameter not in allowed:
            raise BadParameter(parameter, _("unknown parameter"))
