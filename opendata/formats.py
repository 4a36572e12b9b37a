"""Renderers: GeoJSON, CSV, JSON records and the Frictionless Table Schema of a dataset.

They work on the snapshot's tuples directly; 35,000 features are one `json.dumps` of plain
lists and dictionaries, with the projection done on whole coordinate arrays.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from json.encoder import py_encode_basestring
from typing import Any

from pyproj import Transformer
from shapely.geometry import mapping, shape
from shapely.ops import transform

from opendata.datasets import Dataset
from opendata.filters import LAMBERT93
from opendata.store import Snapshot

_TO_L93 = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)
try:  # the C accelerator, as json.dumps(ensure_ascii=False) uses it
    from _json import encode_basestring as encode_string
except ImportError:  # pragma: no cover - CPython always has it
    encode_string = py_encode_basestring
# Cells starting with these are read as formulas by spreadsheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def dumps(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def _coordinates(snap: Snapshot, indexes: list[int], crs: str) -> list[tuple[float, float]]:
    names = snap.dataset.column_names
    lon, lat = names.index("lon"), names.index("lat")
    rows = snap.table.rows
    lons = [rows[i][lon] for i in indexes]
    lats = [rows[i][lat] for i in indexes]
    if crs == LAMBERT93 and indexes:
        xs, ys = _TO_L93.transform(lons, lats)
        return [(round(x, 2), round(y, 2)) for x, y in zip(xs, ys, strict=True)]
    return list(zip(lons, lats, strict=True))


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


def _encoded(values: list[Any], column_type: str) -> Iterable[str]:
    """JSON text of each value; C-level loops when the column has no nulls (the usual case)."""
    numeric = column_type in ("number", "integer")
    if None not in values:
        return map(repr, values) if numeric else map(encode_string, map(str, values))
    if numeric:
        return ("null" if v is None else repr(v) for v in values)
    return ("null" if v is None else encode_string(str(v)) for v in values)


def _point_features(snap: Snapshot, indexes: list[int], crs: str) -> str:
    """Point features spliced from per-column JSON text: no dictionary per feature.

    Each column is encoded in one pass and the features are assembled by `str.__mod__`
    over zipped columns, which keeps the 35,000-point layer out of per-row Python code.
    """
    if not indexes:
        return ""
    columns = snap.dataset.columns
    kept = [i for i, column in enumerate(columns) if column.name not in ("lon", "lat")]
    rows = snap.table.rows
    selected = [rows[i] for i in indexes]
    by_column = list(zip(*selected, strict=True))
    points = _coordinates(snap, indexes, crs)
    xs = map(repr, [x for x, _y in points])
    ys = map(repr, [y for _x, y in points])
    properties = ",".join(encode_string(columns[i].name).replace("%", "%%") + ":%s" for i in kept)
    template = (
        '{"type":"Feature","id":%s,"geometry":{"type":"Point","coordinates":[%s,%s]},'
        '"properties":{' + properties + "}}"
    )
    encoded = [_encoded(list(by_column[i]), columns[i].type) for i in kept]
    ids = _encoded(list(by_column[0]), columns[0].type)
    return ",".join(map(template.__mod__, zip(ids, xs, ys, *encoded, strict=True)))


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
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        # A leading apostrophe makes spreadsheets show the text instead of evaluating it.
        return "'" + value
    return value


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
