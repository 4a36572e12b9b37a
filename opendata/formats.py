"""Renderers: GeoJSON, CSV, JSON records and the Frictionless Table Schema of a dataset.

They work on the snapshot's tuples directly: point layers are spliced by one bytes format
over zipped, column-encoded values (no dictionary or serializer per feature), area layers
are one `json.dumps`, and projections run on whole coordinate arrays.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from json.encoder import py_encode_basestring
from typing import Any

import shapely
from pyproj import Transformer
from shapely.geometry import mapping, shape
from shapely.ops import transform

from hypervisor.spreadsheet import defused
from opendata.datasets import Column, Dataset
from opendata.filters import LAMBERT93, WGS84_LAT_LON
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
    if crs == WGS84_LAT_LON:
        return lats, lons
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
        projected = transform(_TO_L93.transform, shape(geometry))
        # To the centimetre, as the points are: more decimals only describe rounding noise.
        return dict(mapping(shapely.transform(projected, lambda xy: xy.round(2))))
    if crs == WGS84_LAT_LON:
        return dict(mapping(transform(lambda x, y: (y, x), shape(geometry))))
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


def _json_bytes(
    values: Sequence[Any], column_type: str, *, unique: bool = False
) -> tuple[bytes, Iterable[Any]]:
    """A bytes %-format placeholder for a column, and the values to feed it.

    Numbers go to the format raw when none is missing; text is encoded to UTF-8 JSON in
    C-level loops, each distinct value once when the column repeats its values (status,
    commune, street, cabinet…); a `unique` column (the identifier) is not looked at for
    repeats.
    """
    if column_type in ("number", "integer"):
        if None not in values:
            return b"%r", values
        return b"%s", [b"null" if v is None else b"%r" % v for v in values]
    if set(map(type, values)) != {str}:
        return b"%s", [b"null" if v is None else encode_string(str(v)).encode() for v in values]
    if not unique:
        distinct = set(values)
        if len(distinct) * 2 <= len(values):
            table = {value: encode_string(value).encode() for value in distinct}
            return b"%s", list(map(table.__getitem__, values))
    return b"%s", list(map(str.encode, map(encode_string, values)))


def _point_features(snap: Snapshot, indexes: list[int], crs: str) -> list[bytes]:
    """Point features, one bytes object each, spliced by one bytes format over zipped columns.

    No dictionary and no Python call per feature: each column is encoded on its own (see
    `_json_bytes`) and `bytes.__mod__` fills one template per feature, straight into UTF-8.
    Coordinates are printed to about a centimetre (7 decimals of a degree, or 2 of a
    Lambert-93 metre).
    """
    if not indexes:
        return []
    columns = snap.dataset.columns
    names = snap.dataset.column_names
    rows = snap.table.rows
    selected = rows if len(indexes) == len(rows) else [rows[i] for i in indexes]
    by_column = list(zip(*selected, strict=True))
    lons = by_column[names.index("lon")]
    lats = by_column[names.index("lat")]
    if crs == LAMBERT93:
        xs, ys = _TO_L93.transform(list(lons), list(lats))
        coordinate = b"%.2f"
    elif crs == WGS84_LAT_LON:
        xs, ys = lats, lons
        coordinate = b"%.7f"
    else:
        xs, ys = lons, lats
        coordinate = b"%.7f"
    id_placeholder, ids = _json_bytes(by_column[0], columns[0].type, unique=True)
    properties, values = [], []
    for i, name in enumerate(names):
        if name in ("lon", "lat"):
            continue
        placeholder, encoded = (
            (id_placeholder, ids) if i == 0 else _json_bytes(by_column[i], columns[i].type)
        )
        properties.append(encode_string(name).encode().replace(b"%", b"%%") + b":" + placeholder)
        values.append(encoded)
    template = b"".join(
        [
            b'{"type":"Feature","id":',
            id_placeholder,
            b',"geometry":{"type":"Point","coordinates":[',
            coordinate,
            b",",
            coordinate,
            b']},"properties":{',
            b",".join(properties),
            b"}}",
        ]
    )
    return list(map(template.__mod__, zip(ids, xs, ys, *values, strict=True)))


def geojson(snap: Snapshot, indexes: list[int], crs: str, **extra: Any) -> bytes:
    if snap.table.shapes is not None:
        document = {"type": "FeatureCollection", **extra, "features": features(snap, indexes, crs)}
        return dumps(document)
    head = dumps({"type": "FeatureCollection", **extra})[:-1] + b',"features":['
    pieces = _point_features(snap, indexes, crs)
    if not pieces:
        return head + b"]}"
    # The head and tail ride on the first and last feature, so the body is allocated once.
    pieces[0] = head + pieces[0]
    pieces[-1] += b"]}"
    return b",".join(pieces)


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


def _constraints(column: Column) -> dict[str, Any]:
    if column.name == "id":
        return {"constraints": {"required": True, "unique": True}}
    if column.values is not None:
        return {"constraints": {"enum": column.values()}}
    return {}


def table_schema(dataset: Dataset) -> dict[str, Any]:
    """The Frictionless Table Schema the CSV export follows."""
    return {
        "fields": [
            {
                "name": column.name,
                "type": column.type,
                "description": str(column.description),
                **_constraints(column),
            }
            for column in dataset.columns
        ],
        "primaryKey": ["id"],
        "missingValues": [""],
    }
