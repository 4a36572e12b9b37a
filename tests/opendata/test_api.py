"""The REST API: records, filters, formats, validators, compression, CORS, quotas."""

from __future__ import annotations

import gzip
import io
import json

import pytest
from django.core.cache import cache
from frictionless import Resource, Schema, validate

from opendata import datasets, store
from opendata.datasets.catalogue import ALL
from opendata.services import api_key_issue
from tests.lighting.factories import LightPointFactory


def test_records_come_in_identifier_order_with_a_cursor_to_the_next_page(api, light_points):
    first = api.get("/api/v1/datasets/light-points/records/?limit=5").json()
    second = api.get(first["next"]).json()
    ids = [row["id"] for row in first["results"] + second["results"]]
    assert ids == [f"LP-OD-{n:03d}" for n in range(10)]


def test_a_cursor_stays_valid_when_rows_are_added_before_it(api, light_points):
    first = api.get("/api/v1/datasets/light-points/records/?limit=5").json()
    LightPointFactory(reference="LP-OD-000a")
    from opendata import store

    store.forget()
    second = api.get(first["next"]).json()
    assert second["results"][0]["id"] == "LP-OD-005"


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("bbox=5,47,5.1", "bbox"),
        ("bbox=", "bbox"),
        ("date_from=", "date_from"),
        ("date_to=", "date_to"),
        ("bbox=a,b,c,d", "bbox"),
        ("commune=9999", "commune"),
        ("date_from=yesterday", "date_from"),
        ("limit=0", "limit"),
        ("cursor=%%%", "cursor"),
        ("colour=blue", "colour"),
    ],
)
def test_a_bad_filter_is_a_400_naming_the_parameter(api, territory, query, parameter):
    response = api.get(f"/api/v1/datasets/incidents/records/?{query}")
    assert response.status_code == 400
    assert response.json()["parameter"] == parameter
    assert response.json()["description"].startswith(f"{parameter}: ")


def test_a_well_formed_filter_no_row_can_match_selects_nothing(api, light_points):
    """The OpenAPI document cannot say which dataset has which column: a filter on one it
    lacks, or on a commune outside the metropolis, is valid and matches no row."""
    url = "/api/v1/datasets/light-points/records/"
    assert len(api.get(url).json()["results"]) == 12  # positive control
    for query in ("category=eclairage-panne", "commune=75056", "date_from=2026-01-01"):
        response = api.get(f"{url}?{query}")
        assert response.status_code == 200, query
        assert response.json()["results"] == [], query


def test_an_unknown_dataset_is_a_404_in_every_format(api, db):
    for suffix in ("", "records/", "csv/", "geojson/", "schema/"):
        assert api.get(f"/api/v1/datasets/no-such-thing/{suffix}").status_code == 404


def test_a_bbox_keeps_only_the_points_inside(api, light_points):
    response = api.get("/api/v1/datasets/light-points/records/?bbox=5.0,47.0,5.0445,47.4")
    ids = [row["id"] for row in response.json()["results"]]
    assert ids == ["LP-OD-000", "LP-OD-001", "LP-OD-002", "LP-OD-003", "LP-OD-004"]


def test_status_filter_keeps_only_that_status(api, light_points):
    LightPointFactory(reference="LP-OD-999", status="lamp_failed")
    rows = api.get("/api/v1/datasets/light-points/records/?status=lamp_failed").json()["results"]
    assert [row["id"] for row in rows] == ["LP-OD-999"]


def test_geojson_holds_the_whole_layer_as_points(api, light_points):
    response = api.get("/api/v1/datasets/light-points/geojson/")
    document = response.json()
    assert response["Content-Type"] == "application/geo+json"
    assert len(document["features"]) == 12
    feature = document["features"][0]
    assert feature["geometry"]["type"] == "Point"
    assert feature["id"] == "LP-OD-000"
    assert set(feature["properties"]) == {
        "id", "commune_insee", "street", "street_class", "technology", "wattage", "cabinet",
        "status", "level",
    }  # fmt: skip


def test_lambert_93_is_given_on_request(api, light_points):
    response = api.get("/api/v1/datasets/light-points/geojson/?crs=EPSG:2154")
    x, y = response.json()["features"][0]["geometry"]["coordinates"]
    assert 850_000 < x < 860_000
    assert 6_680_000 < y < 6_700_000
    assert response["Content-Crs"] == "<http://www.opengis.net/def/crs/EPSG/0/2154>"


def test_commune_outlines_are_polygons_in_geojson(api, territory):
    features = api.get("/api/v1/datasets/communes/geojson/").json()["features"]
    assert len(features) == 23
    assert {f["geometry"]["type"] for f in features} <= {"Polygon", "MultiPolygon"}


def _validate_csv(api, slug: str) -> tuple[bytes, object]:
    content = api.get(f"/api/v1/datasets/{slug}/csv/").content
    schema = Schema.from_descriptor(api.get(f"/api/v1/datasets/{slug}/schema/").json())
    resource = Resource(data=content, format="csv", encoding="utf-8", schema=schema)
    return content, validate(resource)


@pytest.mark.parametrize("slug", [dataset.slug for dataset in ALL])
def test_every_csv_export_follows_its_table_schema(api, every_dataset, settings, slug):
    settings.OPENDATA_K_THRESHOLD = 3  # the deadlines dataset has one cell of three
    content, report = _validate_csv(api, slug)
    assert content.startswith(b"id,")
    assert content.count(b"\r\n") >= 2, "a header and at least one row to validate"
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_a_table_schema_lists_the_values_of_coded_columns(api, db):
    fields = {
        f["name"]: f for f in api.get("/api/v1/datasets/light-points/schema/").json()["fields"]
    }
    assert "lamp_failed" in fields["status"]["constraints"]["enum"]
    assert set(fields["technology"]["constraints"]["enum"]) == {"led", "hps", "mh"}
    assert "constraints" not in fields["street"]


def test_a_csv_cell_that_looks_like_a_formula_is_defused(api, light_points):
    LightPointFactory(reference="=HYPERLINK(1)")
    content, report = _validate_csv(api, "light-points")
    assert b"'=HYPERLINK(1)" in content
    assert b"\n=HYPERLINK" not in content
    assert report.valid


def test_an_unchanged_export_is_answered_304_with_its_etag(api, light_points):
    first = api.get("/api/v1/datasets/light-points/geojson/")
    again = api.get("/api/v1/datasets/light-points/geojson/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""


def test_an_unchanged_export_is_answered_304_since_its_last_modification(api, light_points):
    first = api.get("/api/v1/datasets/light-points/csv/")
    again = api.get(
        "/api/v1/datasets/light-points/csv/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
    )
    assert again.status_code == 304


def test_a_stale_etag_gets_the_full_body(api, light_points):
    response = api.get("/api/v1/datasets/light-points/csv/", HTTP_IF_NONE_MATCH='"stale"')
    assert response.status_code == 200
    assert response.content.startswith(b"id,")


def test_exports_are_compressed_for_clients_that_accept_gzip(api, light_points):
    response = api.get("/api/v1/datasets/light-points/geojson/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(response.content))["type"] == "FeatureCollection"


def test_reads_are_open_to_any_origin(api, light_points):
    response = api.get("/api/v1/datasets/light-points/records/", HTTP_ORIGIN="https://x.example")
    assert response["Access-Control-Allow-Origin"] == "*"


def test_anonymous_callers_are_throttled(api, light_points, settings):
    settings.OPENDATA_RATE_ANONYMOUS = "3/min"
    codes = [api.get("/api/v1/datasets/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_an_api_key_gets_the_higher_quota(api, light_points, settings):
    settings.OPENDATA_RATE_ANONYMOUS = "2/min"
    settings.OPENDATA_RATE_KEY = "10/min"
    _key, raw = api_key_issue(name="Projet", email="dev@example.org")
    codes = [api.get("/api/v1/datasets/", HTTP_X_API_KEY=raw).status_code for _ in range(5)]
    assert codes == [200] * 5


def test_an_unknown_api_key_is_refused(api, db):
    response = api.get("/api/v1/datasets/", HTTP_X_API_KEY="not-a-key")
    assert response.status_code in (401, 403)


def test_the_openapi_schema_documents_every_open_data_route_and_its_filters(api, db):
    schema = api.get("/api/schema/?format=json").json()
    records = schema["paths"]["/api/v1/datasets/{slug}/records/"]["get"]
    names = {parameter["name"] for parameter in records["parameters"]}
    assert {
        "commune",
        "category",
        "status",
        "date_from",
        "date_to",
        "bbox",
        "limit",
        "cursor",
    } <= names
    for path in ("/ogcapi/collections/{slug}/items", "/api/v1/datasets/{slug}/csv/"):
        assert path in schema["paths"]
    assert "ApiKey" in schema["components"]["securitySchemes"]


def test_every_documented_records_parameter_is_accepted(api, reference_configuration, report):
    schema = api.get("/api/schema/?format=json").json()
    records = schema["paths"]["/api/v1/datasets/{slug}/records/"]["get"]
    samples = {
        "commune": "21231",
        "category": "eclairage-panne",
        "status": "new",
        "date_from": "2026-01-01",
        "date_to": "2026-12-31",
        "bbox": "4.9,47.2,5.2,47.4",
        "limit": "5",
        "cursor": "YQ",
    }
    for parameter in records["parameters"]:
        if parameter["in"] != "query":
            continue
        name = parameter["name"]
        response = api.get(f"/api/v1/datasets/incidents/records/?{name}={samples[name]}")
        assert response.status_code == 200, (name, response.content)


def test_the_csv_is_utf8_with_a_header(api, territory):
    content = api.get("/api/v1/datasets/communes/csv/").content.decode("utf-8")
    header = next(iter(io.StringIO(content))).strip()
    assert header == "id,lon,lat,commune_insee,name,population"
    assert "Fénay" in content


# Which filters each dataset takes: the issue names commune, category, date range, bbox and
# status; each dataset takes those its columns give a meaning to.
FILTER_MATRIX = {
    "light-points": {"bbox", "status", "commune"},
    "lighting-energy": {"commune", "date"},
    "crossroads": {"bbox", "status", "commune"},
    "cameras": {"bbox", "status", "commune"},
    "bollards": {"bbox", "status", "commune"},
    "incidents": {"bbox", "status", "commune", "category", "date"},
    "service-sla": {"date"},
    "communes": {"bbox", "commune"},
    "car-parks": {"bbox", "status", "commune"},
    "car-park-occupancy-hourly": {"date"},
}
VALID = {
    "commune": "commune=21231",
    "category": "category=eclairage-panne",
    "date": "date_from=2020-01-01&date_to=2040-12-31",
    "bbox": "bbox=4.9,47.2,5.2,47.4",
}
VALID_STATUS = {
    "light-points": "ok",
    "crossroads": "normal",
    "cameras": "online",
    "bollards": "up",
    "incidents": "closed",
    "car-parks": "free",
}


def test_the_filter_matrix_is_what_the_datasets_declare(db):
    assert {d.slug: set(d.filters) for d in ALL} == FILTER_MATRIX


def _matrix() -> list[tuple[str, str]]:
    return [(slug, family) for slug in FILTER_MATRIX for family in [*sorted(VALID), "status"]]


@pytest.mark.parametrize(("slug", "family"), _matrix())
def test_a_filter_applies_where_it_makes_sense_and_selects_nothing_elsewhere(
    api, every_dataset, slug, family
):
    """The OpenAPI document offers every filter on every dataset: where the rows lack the
    property, no row matches (docs/opendata.md)."""
    query = f"status={VALID_STATUS.get(slug, 'ok')}" if family == "status" else VALID[family]
    records = api.get(f"/api/v1/datasets/{slug}/records/?{query}")
    csv = api.get(f"/api/v1/datasets/{slug}/csv/?{query}")
    assert (records.status_code, csv.status_code) == (200, 200), (query, records.content)
    if family not in FILTER_MATRIX[slug]:
        assert records.json()["results"] == [], query
        assert csv.content.decode().strip().count("\n") == 0, query  # the header alone


OTHER_STATUS = {
    "light-points": "comm_lost",
    "crossroads": "comm_lost",
    "cameras": "offline",
    "bollards": "fault",
    "incidents": "cancelled",
    "car-parks": "full",
}
SELECTS_NOTHING = {
    "category": "category=voirie-nid-de-poule",
    "date": "date_from=2001-01-01&date_to=2001-12-31",
    "bbox": "bbox=0,0,1,1",
}


@pytest.mark.parametrize(
    ("slug", "family"),
    [(slug, f) for slug, families in FILTER_MATRIX.items() for f in sorted(families)],
)
def test_each_accepted_filter_really_selects_rows(api, every_dataset, settings, slug, family):
    settings.OPENDATA_K_THRESHOLD = 3
    every = api.get(f"/api/v1/datasets/{slug}/records/?limit=1000").json()["results"]
    if family == "commune":
        query = "commune=21617"  # Talant: nothing of the fixtures lies there but itself
    elif family == "status":
        query = f"status={OTHER_STATUS[slug]}"
    else:
        query = SELECTS_NOTHING[family]
    kept = api.get(f"/api/v1/datasets/{slug}/records/?limit=1000&{query}").json()["results"]
    assert every, "rows to filter"
    talant = [row for row in every if row["id"] == "21617"]
    expected = talant if (slug, family) == ("communes", "commune") else []
    assert kept == expected, query


@pytest.mark.parametrize(
    "slug", [s for s, families in FILTER_MATRIX.items() if "status" in families]
)
def test_an_unknown_status_selects_nothing(api, every_dataset, slug):
    url = f"/api/v1/datasets/{slug}/records/"
    assert api.get(url).json()["results"]  # positive control
    response = api.get(f"{url}?status=exploded")
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_an_unknown_category_selects_nothing(api, reference_configuration):
    response = api.get("/api/v1/datasets/incidents/records/?category=lampadaire")
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_a_whole_layer_is_compressed_once_and_shared_through_the_cache(api, light_points):
    first = api.get("/api/v1/datasets/light-points/geojson/", HTTP_ACCEPT_ENCODING="gzip")
    shared = cache.get(f"opendata:gzip:{first['ETag'].strip(chr(34))}")
    assert shared == first.content
    store.forget()  # another process: nothing in memory, the shared cache still holds it
    again = api.get("/api/v1/datasets/light-points/geojson/", HTTP_ACCEPT_ENCODING="gzip")
    assert again.content == first.content
    assert len(datasets.get("light-points").columns) == 11


def test_a_filtered_answer_is_compressed_but_not_kept(api, light_points):
    url = "/api/v1/datasets/light-points/geojson/?status=ok"
    response = api.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert cache.get(f"opendata:gzip:{response['ETag'].strip(chr(34))}") is None


def test_a_random_x_forwarded_for_per_request_does_not_reset_the_quota(api, light_points, settings):
    settings.OPENDATA_RATE_ANONYMOUS = "3/min"
    codes = [
        api.get("/api/v1/datasets/", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(4)
    ]
    assert codes == [200, 200, 200, 429]


def test_addresses_written_by_the_trusted_proxy_get_their_own_quota(api, light_points, settings):
    settings.OPENDATA_RATE_ANONYMOUS = "1/min"
    settings.CLIENT_IP_HEADER = "X-Real-IP"
    first = api.get("/api/v1/datasets/", HTTP_X_REAL_IP="203.0.113.1").status_code
    again = api.get("/api/v1/datasets/", HTTP_X_REAL_IP="203.0.113.1").status_code
    other = api.get("/api/v1/datasets/", HTTP_X_REAL_IP="203.0.113.2").status_code
    assert (first, again, other) == (200, 429, 200)
