"""Real GIS clients against the OGC API over HTTP: GDAL's `ogr2ogr` (Debian's gdal-bin, with
its defaults) and OWSLib.

GDAL 3.6 pages by 10 features and reads no `limit` from the API document, so copying a
layer of N features costs N/10 requests: the anonymous quota (the production default, not
the tests' one) must let every layer through.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import sqlite3
import subprocess
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from citizens.services import report_submit
from lighting.models import LightPoint
from opendata import store
from opendata.datasets.catalogue import ALL
from opendata.throttling import OpenDataThrottle
from tests.lighting.factories import CabinetFactory, LightPointFactory
from tests.mobility.factories import CarParkFactory
from tests.services import unavailable
from tests.traffic.factories import BollardFactory, CameraFactory, CrossroadFactory

pytestmark = pytest.mark.integration

# More pages than the old quota (60 a minute) allowed GDAL's paging by 10.
LIGHT_POINTS = 1_250
GDAL_PAGE = 10


@pytest.fixture
def ogc_base(real_services, asgi_server, reference_configuration) -> str:  # type: ignore[no-untyped-def]
    """Every collection has rows; the quota is the production default."""
    cabinet = CabinetFactory()
    LightPoint.objects.bulk_create(
        [
            LightPointFactory.build(
                reference=f"LP-GIS-{n:05d}",
                cabinet=cabinet,
                lat=47.30 + (n % 50) * 1e-3,
                lon=5.00 + (n // 50) * 1e-3,
            )
            for n in range(LIGHT_POINTS)
        ]
    )
    CrossroadFactory()
    CameraFactory()
    BollardFactory()
    CarParkFactory()
    for n in range(6):  # above the publication threshold of one commune-month-category cell
        with transaction.atomic():
            report_submit(
                category_code="eclairage-panne",
                description="Lampadaire éteint",
                lat=47.3225 + n * 0.003,
                lon=5.0317,
                link_duplicates=False,
            )
    store.forget()
    return f"{asgi_server.url}/ogcapi"


def _json(url: str) -> dict:  # type: ignore[type-arg]
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (the test server)
        return json.loads(response.read())  # type: ignore[no-any-return]


def _collections(base: str) -> list[str]:
    return [c["id"] for c in _json(f"{base}/collections")["collections"]]


def test_the_production_quota_lets_gdal_defaults_copy_every_demo_layer():
    """At the demo's real scale (~35,000 light points) the quota covers GDAL's paging."""
    from lighting.demo import LIGHT_POINTS as DEMO_LIGHT_POINTS

    allowed, seconds = OpenDataThrottle().parse_rate(settings.OPENDATA_RATE_ANONYMOUS)
    assert allowed is not None
    assert seconds is not None
    # The light points, ~2,000 other features and a few metadata requests per layer,
    # with room for the inventory to grow by a tenth.
    needed = math.ceil(DEMO_LIGHT_POINTS * 1.1 / GDAL_PAGE) + 2_000 // GDAL_PAGE + 6 * 3
    assert allowed >= needed


def test_gdal_copies_every_collection_to_geopackage_with_its_defaults(ogc_base, tmp_path):
    if not shutil.which("ogr2ogr"):
        unavailable("needs GDAL's ogr2ogr (apt-get install gdal-bin)")
    collections = _collections(ogc_base)
    assert len(collections) == len([dataset for dataset in ALL if dataset.spatial])
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("GDAL_", "CPL_"))}
    for layer in collections:
        out = tmp_path / f"{layer}.gpkg"
        completed = subprocess.run(
            ["ogr2ogr", "-f", "GPKG", str(out), f"OAPIF:{ogc_base}", layer],
            capture_output=True,
            text=True,
            timeout=120,
            env=environment,
        )
        assert completed.returncode == 0, completed.stderr
        expected = _json(f"{ogc_base}/collections/{layer}/items?limit=1")["numberMatched"]
        assert expected > 0, layer
        assert _feature_count(out, layer) == expected, layer


def _feature_count(gpkg: Path, layer: str) -> int:
    with sqlite3.connect(gpkg) as database:
        (count,) = database.execute(
            "SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = ?", (layer,)
        ).fetchone()
    return int(count)


def test_gdal_reads_light_points_in_lambert_93_at_their_place(ogc_base, tmp_path):
    if not shutil.which("ogr2ogr"):
        unavailable("needs GDAL's ogr2ogr (apt-get install gdal-bin)")
    out = tmp_path / "l93.geojson"
    completed = subprocess.run(
        [
            "ogr2ogr",
            "-f",
            "GeoJSON",
            "-t_srs",
            "EPSG:2154",
            str(out),
            f"OAPIF:{ogc_base}",
            "bollards",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    x, y = json.loads(out.read_text())["features"][0]["geometry"]["coordinates"][:2]
    assert 840_000 < x < 870_000
    assert 6_680_000 < y < 6_700_000


def test_owslib_reads_the_api_definition_collections_and_items(ogc_base):
    from owslib.ogcapi.features import Features

    client = Features(f"{ogc_base}/")
    definition = client.api()
    assert definition["openapi"].startswith("3.")
    assert "/ogcapi/collections/{slug}/items" in definition["paths"]
    assert (
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"
        in (client.conformance()["conformsTo"])
    )
    assert {c["id"] for c in client.collections()["collections"]} == set(_collections(ogc_base))
    page = client.collection_items("light-points", limit=25, offset=50)
    assert page["numberMatched"] == LIGHT_POINTS
    assert [f["id"] for f in page["features"]][:1] == ["LP-GIS-00050"]
    assert client.collection_item("light-points", "LP-GIS-00050")["id"] == "LP-GIS-00050"
