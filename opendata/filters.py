"""Query parameters of the open-data API, checked before any row is read.

Every refusal names the parameter and the reason, so a 400 tells the caller what to fix.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _

from hypervisor import selectors as territory
from opendata.datasets import Dataset
from opendata.datasets.base import FILTER_COLUMNS
from opendata.store import Snapshot

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
# EPSG:4326 by its URI: the same datum as CRS84, latitude first (OGC API Features Part 2).
WGS84_LAT_LON = "http://www.opengis.net/def/crs/EPSG/0/4326"
LAMBERT93 = "http://www.opengis.net/def/crs/EPSG/0/2154"
SUPPORTED_CRS = (CRS84, WGS84_LAT_LON, LAMBERT93)
# The bare codes are shorthands of the REST API: "EPSG:4326" there means CRS84 (longitude
# first), as GeoJSON tools expect; docs/opendata.md says so.
CRS_ALIASES = {
    CRS84: CRS84,
    "EPSG:4326": CRS84,
    "CRS84": CRS84,
    WGS84_LAT_LON: WGS84_LAT_LON,
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
    # A filter on a property the rows do not have, or on a value none holds (a commune
    # outside the metropolis, an unknown category): no row can match.
    matches_nothing: bool = False

    @property
    def empty(self) -> bool:
        return self == Filters()


def parse_bbox(raw: str, parameter: str = "bbox") -> tuple[float, float, float, float]:
    """Four numbers, or six with heights (ignored: every feature lies on the ground).

    A west edge east of the east edge crosses the antimeridian, as OGC API Features allows.
    """
    expected = _(
        "expected four or six numbers: min lon, min lat, [min height,] max lon, max lat"
        "[, max height]"
    )
    parts = raw.split(",")
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        raise BadParameter(parameter, expected) from None
    if len(numbers) == 6:
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    elif len(numbers) != 4:
        raise BadParameter(parameter, expected)
    # A box south of itself, or off the globe, is well-formed and contains no feature.
    min_lon, min_lat, max_lon, max_lat = numbers
    return min_lon, min_lat, max_lon, max_lat


def parse_datetime(raw: str | None) -> tuple[str | None, str | None] | None:
    """OGC API `datetime`: an instant or an interval `start/end`, either end open (`..`).

    Returns the first and last day it covers (the published dates are days), or None.
    """
    if raw is None:
        return None
    if raw == "":
        raise BadParameter("datetime", _("must not be empty"))
    ends = raw.split("/")
    if len(ends) > 2:
        raise BadParameter("datetime", _("expected an instant or an interval start/end"))
    days = [_day_of(end) for end in ends]
    if len(days) == 1:
        return days[0], days[0]
    # "../.." bounds nothing; an end before its start contains no day.
    first, last = days
    return first, last


def _day_of(raw: str) -> str | None:
    if raw in ("", ".."):
        return None
    try:
        if "T" in raw.upper():
            return datetime.fromisoformat(raw.upper().replace("Z", "+00:00")).date().isoformat()
        return date.fromisoformat(raw).isoformat()
    except ValueError:
        raise BadParameter(
            "datetime", _("expected RFC 3339 dates or date-times, e.g. 2026-01-31T00:00:00Z")
        ) from None


def _date(raw: str, parameter: str) -> str:
    try:
        return date.fromisoformat(raw).isoformat()
    except ValueError:
        raise BadParameter(parameter, _("expected a date as YYYY-MM-DD")) from None


INSEE_CODE = re.compile(r"^[0-9][0-9AB][0-9]{3}$")


def _holds(dataset: Dataset, parameter: str, raw: str) -> bool:
    """Whether some row may hold this value: a coded column holds only its codes."""
    column = dataset.column(FILTER_COLUMNS[parameter])
    return column.values is None or raw in column.values()


def _may_match(dataset: Dataset, family: str, parameter: str, raw: str) -> bool:
    if family not in dataset.filters:
        return False
    if parameter == "commune":
        return raw in territory.commune_names()
    if parameter in ("category", "status"):
        return _holds(dataset, parameter, raw)
    return True


def parse_filters(query: Mapping[str, str], dataset: Dataset) -> Filters:
    """Malformed values are refused; well-formed ones that no row can hold (a filter the
    dataset does not have, a commune outside the metropolis) select nothing, as the
    OpenAPI document cannot say which dataset has which column."""
    values: dict[str, Any] = {}
    for parameter in FILTER_PARAMETERS:
        raw = query.get(parameter)
        if raw is None:
            continue
        if raw == "":
            if parameter in ("commune", "category", "status"):
                continue
            raise BadParameter(parameter, _("must not be empty"))
        family = "date" if parameter.startswith("date_") else parameter
        if parameter == "commune" and not INSEE_CODE.match(raw):
            raise BadParameter(parameter, _("expected an INSEE code of five characters"))
        if parameter == "bbox":
            values[parameter] = parse_bbox(raw)
        elif family == "date":
            values[parameter] = _date(raw, parameter)
        else:
            values[parameter] = raw
        if not _may_match(dataset, family, parameter, raw):
            values["matches_nothing"] = True
    return Filters(**values)


def apply(snap: Snapshot, filters: Filters) -> list[int]:
    """Indexes of the rows that pass every filter, in table (identifier) order."""
    rows, dataset = snap.table.rows, snap.dataset
    if filters.matches_nothing:
        return []
    if filters.empty:
        return list(range(len(rows)))
    candidates = _within_bbox_lons(snap, filters.bbox) if filters.bbox else range(len(rows))
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
            if not min_lat <= row[lat] <= max_lat:
                continue
            if min_lon <= max_lon and not min_lon <= row[lon] <= max_lon:
                continue
            if min_lon > max_lon and max_lon < row[lon] < min_lon:
                continue
        kept.append(index)
    return kept


def _within_bbox_lons(snap: Snapshot, bbox: tuple[float, float, float, float]) -> list[int]:
    west, east = bbox[0], bbox[2]
    if west <= east:
        return snap.within_lon(west, east)
    # Across the antimeridian: east of the west edge, or west of the east edge.
    return sorted({*snap.within_lon(west, 180), *snap.within_lon(-180, east)})


def parse_limit(raw: str | None, *, default: int, maximum: int, serve_maximum: bool = False) -> int:
    """`serve_maximum`: a limit above the maximum is served the maximum (OGC API Features
    /req/core/fc-limit-response-1) rather than refused."""
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadParameter("limit", _("expected a whole number")) from None
    if serve_maximum and value > maximum:
        return maximum
    if not 1 <= value <= maximum:
        raise BadParameter("limit", _("must lie between 1 and %(max)d") % {"max": maximum})
    return value


def parse_offset(raw: str | None) -> int:
    if raw is None:
        return 0
    try:
        value = int(raw)
    except ValueError:
        raise BadParameter("offset", _("expected a whole number")) from None
    if value < 0:
        raise BadParameter("offset", _("must not be negative"))
    return value


def parse_crs(raw: str | None, parameter: str = "crs") -> str:
    if raw is None:
        return CRS84
    if raw not in CRS_ALIASES:
        raise BadParameter(parameter, _("supported: %(list)s") % {"list": ", ".join(SUPPORTED_CRS)})
    return CRS_ALIASES[raw]


def encode_cursor(last_id: str) -> str:
    return base64.urlsafe_b64encode(last_id.encode()).decode().rstrip("=")


def decode_cursor(raw: str | None) -> str | None:
    if raw is None:
        return None
    try:
        decoded = base64.b64decode(raw + "=" * (-len(raw) % 4), altchars=b"-_", validate=True)
        # Any well-formed cursor is a position in identifier order, even one not issued here.
        return decoded.decode(errors="replace")
    except (binascii.Error, ValueError):
        raise BadParameter("cursor", _("not a cursor this API returned")) from None


def reject_unknown(query: Mapping[str, str], allowed: set[str]) -> None:
    for parameter in query:
        if parameter not in allowed:
            raise BadParameter(parameter, _("unknown parameter"))
