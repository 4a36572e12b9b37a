"""GeoJSON as RFC 7946 has it: exterior rings counter-clockwise, holes clockwise; Lambert-93
output to the centimetre. Checked on communes stored the wrong way round (as IGN and the
data.gouv.fr files wind them) in the downloads, the OGC items and the single feature."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from shapely.geometry import shape

from hypervisor import services
from hypervisor.territory import CommuneRecord, parse_feature_collection

L93 = "http://www.opengis.net/def/crs/EPSG/0/2154"
# A square in Dijon wound clockwise (north-west, north-east, south-east, south-west).
CLOCKWISE = [[5.00, 47.34], [5.06, 47.34], [5.06, 47.30], [5.00, 47.30], [5.00, 47.34]]
HOLE_ANTICLOCKWISE = [[5.02, 47.31], [5.04, 47.31], [5.04, 47.33], [5.02, 47.33], [5.02, 47.31]]


def _rings(geometry: dict[str, Any]) -> list[tuple[bool, bool]]:
    """(exterior counter-clockwise, every hole clockwise) per polygon."""
    area = shape(geometry)
    polygons = list(area.geoms) if area.geom_type == "MultiPolygon" else [area]
    return [(p.exterior.is_ccw, all(not h.is_ccw for h in p.interiors)) for p in polygons]


@pytest.fixture
def clockwise_commune(db) -> None:  # type: ignore[no-untyped-def]
    """Stored as an older version stored it, with the source's winding."""
    services.territory_load(
        communes=[
            CommuneRecord(
                insee="21231",
                name="Dijon",
                population=156_920,
                geometry={"type": "Polygon", "coordinates": [CLOCKWISE, HOLE_ANTICLOCKWISE]},
                label_lat=47.32,
                label_lon=5.01,
            )
        ]
    )
    assert _rings({"type": "Polygon", "coordinates": [CLOCKWISE, HOLE_ANTICLOCKWISE]}) == [
        (False, False)
    ]


def test_a_clockwise_file_is_rewound_on_load():
    records = parse_feature_collection(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"insee": "21231", "nom": "Dijon", "population": 1},
                    "geometry": {"type": "Polygon", "coordinates": [CLOCKWISE, HOLE_ANTICLOCKWISE]},
                }
            ],
        }
    )
    assert _rings(records[0].geometry) == [(True, True)]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/datasets/communes/geojson/",
        "/ogcapi/collections/communes/items",
    ],
)
def test_collections_wind_exterior_rings_counter_clockwise(api, clockwise_commune, url):
    features = api.get(url).json()["features"]
    assert [_rings(f["geometry"]) for f in features] == [[(True, True)]]


def test_a_single_feature_winds_its_exterior_ring_counter_clockwise(api, clockwise_commune):
    feature = api.get("/ogcapi/collections/communes/items/21231").json()
    assert _rings(feature["geometry"]) == [(True, True)]


def _decimals(value: float) -> int:
    return max(0, -Decimal(repr(value)).as_tuple().exponent)  # type: ignore[operator]


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/datasets/communes/geojson/?crs={L93}",
        f"/ogcapi/collections/communes/items?crs={L93}",
        f"/ogcapi/collections/communes/items/21231?crs={L93}",
    ],
)
def test_lambert_93_areas_are_printed_to_the_centimetre(api, clockwise_commune, url):
    document = api.get(url).json()
    features = document.get("features", [document])
    positions = [xy for f in features for ring in f["geometry"]["coordinates"] for xy in ring]
    assert positions
    assert max(_decimals(v) for xy in positions for v in xy) <= 2
    assert all(800_000 < x < 900_000 for x, _y in positions)
