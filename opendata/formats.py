"""Renderers: GeoJSON, CSV, JSON records and the Frictionless Table Schema of a dataset.

They work on the snapshot's tuples directly; 35,000 features are one `json.dumps` of plain
lists and dictionaries, with the projection done on whole coordinate arrays.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from json.encoder import py_encode_basestring
from typing import Any

from pyproj import Transformer
from shapely.geometry import mapping, shape
from shapely.ops import transform

from hypervisor.spreadsheet import defused
from opendata.datasets import Dataset
from opendata.filters import LAMBERT93
from opendata.store import Snapshot

_TO_L93 = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)
try:  # the C accelerator, as json.dumps(ensure_ascii=False) uses it
    from _json import encode_basestring as encode_string
except ImportError:  # pragma: no cover - CPython always has it
    encode_string = py_encode_basestring


def dumps(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def _coordinates(snap: Snapshot, indexes: list[int], crs: str) -> list[tuple[float, float]]:
    names = snap.dataset.column_names
    rows = snap.table.rows
    lons = [rows[i][names.index("lon")] for i in indexes]
    lats = [rows[i][names.index("lat")] for i in indexes]
    return list(zip(*_project(lons, lats, crs), strict=True))


def _project(lons: list[float], lats: list[float], crs: str) -> tuple[list[Any], list[Any]]:
    """Whole coordinate arrays at once; Lambert-93 rounded to the centimetre."""
    if crs != LAMBERT93 or not lons:
        return lons, lats
    xs, ys = _TO_L93.transform(lons, lats)
    return [round(x, 2) for x in xs], [round(y, 2) for y in ys]


def _geometry(snap: Snapshot, index: int, point: tuple[float, float], crs: str) -> dict[str, Any]:
    shapes = snap.table.shapes
    if shapes is None:
        return {"type": "Point", "coordinates": list(point)}
    geometry = shapes[index]
    if crs == LAMBERT93:
        return dict(mapping(transform(_TO_L93.transform, shape(geometry))))
    return geometry


def features(snap: Snapshot, indexes: list[int], crs: str) -> list[dict[str, Any]]:
    names = snap.dataset.column_names
    kept = [i for i, name in enumerate(names) if name not in ("lon", "lat")]
    properties = [names[i] for i in kept]
    rows = snap.table.rows
    points = _coordinates(snap, indexes, crs)
    return [
        {
            "type": "Feature",
            "id": rows[index][0],
            "geometry": _geometry(snap, index, point, crs),
            "properties": {name: rows[index][i] for name, i in zip(properties, kept, strict=True)},
        }
        for index, point in zip(indexes, points, strict=True)
    ]


def _encoded(values: Sequence[Any], column_type: str) -> Iterable[str]:
    """JSON text of each value, in C-level loops when the column allows it."""
    numeric = column_type in ("number", "integer")
    if numeric:
        return ("null" if v is None else repr(v) for v in values)
    if set(map(type, values)) == {str}:
        return map(encode_string, values)
    return ("null" if v is None else encode_string(str(v)) for v in values)


def _placeholder(values: Sequence[Any], column_type: str) -> tuple[str, Iterable[Any]]:
    """A %-format placeholder and the values to feed it: raw numbers when none is null."""
    if column_type in ("number", "integer") and None not in values:
        return "%r", values
    return "%s", _encoded(values, column_type)


def _point_features(snap: Snapshot, indexes: list[int], crs: str) -> str:
    """Point features spliced by one format string over zipped columns.

    No dictionary and no Python call per feature: strings are encoded column by column,
    numbers go straight to `str.__mod__`, coordinates are printed to about a centimetre
    (7 decimals of a degree, or 2 of a Lambert-93 metre).
    """
    if not indexes:
        return ""
    columns = snap.dataset.columns
    names = snap.dataset.column_names
    rows = snap.table.rows
    selected = rows if len(indexes) == len(rows) else [rows[i] for i in indexes]
    by_column = list(zip(*selected, strict=True))
    lons = list(by_column[names.index("lon")])
    lats = list(by_column[names.index("lat")])
    if crs == LAMBERT93:
        xs, ys = _TO_L93.transform(lons, lats)
        coordinate = "%.2f"
    else:
        xs, ys = lons, lats
        coordinate = "%.7f"
    id_placeholder, ids = _placeholder(by_column[0], columns[0].type)
    properties, values = [], []
    for i, name in enumerate(names):
        if name in ("lon", "lat"):
            continue
        placeholder, encoded = _placeholder(by_column[i], columns[i].type)
        properties.append(encode_string(name).replace("%", "%%") + ":" + placeholder)
        values.append(encoded)
    template = (
        '{"type":"Feature","id":' + id_placeholder + ',"geometry":{"type":"Point",'
        '"coordinates":['
        + coordinate
        + ","
        + coordinate
        + ']},"properties":{'
        + ",".join(properties)
        + "}}"
    )
    features = zip(ids, xs, ys, *values, strict=True)
    return ",".join(map(template.__mod__, features))


def geojson(snap: Snapshot, indexes: list[int], crs: str, **extra: Any) -> bytes:
    if snap.table.shapes is not None:
        document = {"type": "FeatureCollection", **extra, "features": features(snap, indexes, crs)}
        return dumps(document)
    head = dumps({"type": "FeatureCollection", **extra})[:-1]
    return f'{head.decode()},"features":[{_point_features(snap, indexes, crs)}]}}'.encode()


def records(snap: Snapshot, indexes: list[int]) -> list[dict[str, Any]]:
    names = snap.dataset.column_names
    rows = snap.table.rows
    return [dict(zip(names, rows[index], strict=True)) for index in indexes]


def _cell(value: Any) -> Any:
    """Text that spreadsheets would evaluate is defused in the CSV (docs/opendata.md says
    so); numbers stay numbers, and the JSON and GeoJSON keep every value as it is."""
    if value is None:
        return ""
    return defused(value)


def csv_bytes(snap: Snapshot, indexes: list[int]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(snap.dataset.column_names)
    rows = snap.table.rows
    writer.writerows([_cell(value) for value in rows[index]] for index in indexes)
    return out.getvalue().encode("utf-8")


def table_schema(dataset: Dataset) -> dict[str, Any]:
    """The Frictionless Table Schema the CSV export follows."""
    return {
        "fields": [
            {
                "name": column.name,
                "type": column.type,
                "description": str(column.description),
                **(
                    {"constraints": {"required": True, "unique": True}}
                    if column.name == "id"
                    else {}
                ),
            }
            for column in dataset.columns
        ],
        "primaryKey": ["id"],
        "missingValues": [""],
    }
