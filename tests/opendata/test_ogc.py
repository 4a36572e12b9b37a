"""OGC API – Features: landing, conformance, collections, items and single items."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

CORE = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"
GEOJSON = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson"


def rels(document: dict) -> dict[str, str]:
    return {link["rel"]: link["href"] for link in document["links"]}


def test_the_landing_page_links_to_the_api_definition_conformance_and_data(api, db):
    links = rels(api.get("/ogcapi/").json())
    assert {"self", "service-desc", "service-doc", "conformance", "data"} <= set(links)
    assert links["data"].endswith("/ogcapi/collections")


def test_conformance_declares_core_and_geojson(api, db):
    conforms = api.get("/ogcapi/conformance").json()["conformsTo"]
    assert CORE in conforms
    assert GEOJSON in conforms


def test_collections_list_only_the_spatial_datasets(api, db):
    collections = api.get("/ogcapi/collections").json()["collections"]
    ids = {c["id"] for c in collections}
    spatial = {"light-points", "crossroads", "cameras", "bollards", "incidents", "communes"}
    assert spatial | {"car-parks"} == ids
    light = next(c for c in collections if c["id"] == "light-points")
    assert "items" in rels(light)
    assert light["extent"]["spatial"]["bbox"][0][0] < light["extent"]["spatial"]["bbox"][0][2]


def test_items_report_matched_and_returned_counts_with_a_next_link(api, light_points):
    response = api.get("/ogcapi/collections/light-points/items?limit=5&offset=5")
    document = response.json()
    assert response["Content-Type"] == "application/geo+json"
    assert document["type"] == "FeatureCollection"
    assert (document["numberMatched"], document["numberReturned"]) == (12, 5)
    assert next(f["id"] for f in document["features"]) == "LP-OD-005"
    assert "offset=10" in rels(document)["next"]


def test_items_are_served_to_a_client_that_accepts_only_geojson(api, light_points):
    response = api.get(
        "/ogcapi/collections/light-points/items?limit=5", HTTP_ACCEPT="application/geo+json"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"


def test_the_last_page_has_no_next_link(api, light_points):
    document = api.get("/ogcapi/collections/light-points/items?limit=5&offset=10").json()
    assert document["numberReturned"] == 2
    assert "next" not in rels(document)


def test_items_filtered_by_bbox(api, light_points):
    document = api.get("/ogcapi/collections/light-points/items?bbox=5.0,47.0,5.0425,47.4").json()
    assert document["numberMatched"] == 3


def test_a_bbox_in_lambert_93_is_understood(api, light_points):
    url = "/ogcapi/collections/light-points/items?bbox=850000,6680000,860000,6700000"
    crs = "&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/2154"
    assert api.get(url + crs).json()["numberMatched"] == 12


def test_a_single_item_is_a_feature_with_links(api, light_points):
    response = api.get("/ogcapi/collections/light-points/items/LP-OD-003")
    feature = response.json()
    assert response["Content-Type"] == "application/geo+json"
    assert feature["type"] == "Feature"
    assert feature["id"] == "LP-OD-003"
    assert {"self", "collection"} <= set(rels(feature))


def test_items_in_lambert_93_say_so_in_content_crs(api, light_points):
    crs = "http://www.opengis.net/def/crs/EPSG/0/2154"
    response = api.get(f"/ogcapi/collections/light-points/items/LP-OD-003?crs={crs}")
    assert response["Content-Crs"] == f"<{crs}>"
    assert response.json()["geometry"]["coordinates"][0] > 800_000


def test_an_unknown_collection_or_item_is_a_404(api, light_points):
    assert api.get("/ogcapi/collections/nowhere").status_code == 404
    assert api.get("/ogcapi/collections/nowhere/items").status_code == 404
    assert api.get("/ogcapi/collections/service-sla/items").status_code == 404
    assert api.get("/ogcapi/collections/light-points/items/LP-NONE").status_code == 404


def test_an_unknown_query_parameter_or_bad_limit_is_a_400(api, light_points):
    assert api.get("/ogcapi/collections/light-points/items?colour=red").status_code == 400
    assert api.get("/ogcapi/collections/light-points/items?limit=-1").status_code == 400
    assert api.get("/ogcapi/collections/light-points/items?offset=x").status_code == 400
    assert api.get("/ogcapi/collections/light-points/items?crs=EPSG:3857").status_code == 400


ITEMS = "/ogcapi/collections/{}/items"
LAT_LON = "http://www.opengis.net/def/crs/EPSG/0/4326"


def test_a_limit_above_the_maximum_is_served_the_maximum(api, light_points, monkeypatch):
    from opendata.views import ogc

    monkeypatch.setattr(ogc, "ITEMS_MAX", 5)
    response = api.get(ITEMS.format("light-points") + "?limit=50")
    assert response.status_code == 200
    document = response.json()
    assert document["numberReturned"] == 5
    assert "limit=5" in rels(document)["next"]


def test_the_openapi_document_declares_limit_bounds_and_bbox_as_numbers(api, db):
    from opendata.views.ogc import ITEMS_DEFAULT, ITEMS_MAX

    schema = api.get("/api/schema/?format=json").json()
    items = schema["paths"]["/ogcapi/collections/{slug}/items"]["get"]
    parameters = {parameter["name"]: parameter for parameter in items["parameters"]}
    limit = parameters["limit"]["schema"]
    assert (limit["minimum"], limit["maximum"], limit["default"]) == (1, ITEMS_MAX, ITEMS_DEFAULT)
    bbox = parameters["bbox"]
    sizes = [(a["minItems"], a["maxItems"]) for a in bbox["schema"]["oneOf"]]
    assert sizes == [(4, 4), (6, 6)]
    assert {a["items"]["type"] for a in bbox["schema"]["oneOf"]} == {"number"}
    assert (bbox["style"], bbox["explode"]) == ("form", False)
    assert "datetime" in parameters


def test_items_describe_their_body_in_the_openapi_document(api, db):
    schema = api.get("/api/schema/?format=json").json()
    ok = schema["paths"]["/ogcapi/collections/{slug}/items"]["get"]["responses"]["200"]
    body = ok["content"]["application/geo+json"]["schema"]
    assert body["properties"]["type"] == {"enum": ["FeatureCollection"]}
    assert "features" in body["required"]


def test_a_six_number_bbox_ignores_the_heights(api, light_points):
    document = api.get(ITEMS.format("light-points") + "?bbox=5.0,47.0,-10,5.0425,47.4,300").json()
    assert document["numberMatched"] == 3


def test_a_bbox_across_the_antimeridian_wraps_around(api, light_points):
    # West edge east of the east edge: from 5.0445°E eastwards round the world to 5.0425°E.
    document = api.get(ITEMS.format("light-points") + "?bbox=5.0445,47.0,5.0425,47.4").json()
    assert document["numberMatched"] == 12 - 2


def test_a_bbox_in_epsg_4326_by_its_uri_is_latitude_first(api, light_points):
    url = ITEMS.format("light-points") + f"?bbox=47.0,5.0,47.4,5.0425&bbox-crs={LAT_LON}"
    assert api.get(url).json()["numberMatched"] == 3


def test_epsg_4326_by_its_uri_answers_latitude_first(api, light_points):
    response = api.get(ITEMS.format("light-points") + f"/LP-OD-003?crs={LAT_LON}")
    assert response.status_code == 200
    assert response["Content-Crs"] == f"<{LAT_LON}>"
    assert response.json()["geometry"]["coordinates"] == [47.323, 5.043]
    plain = api.get(ITEMS.format("light-points") + "/LP-OD-003").json()
    assert plain["geometry"]["coordinates"] == [5.043, 47.323]


def test_an_empty_crs_is_a_400(api, light_points):
    for query in ("crs=", "bbox-crs=", "bbox=", "datetime=", "limit=", "offset="):
        response = api.get(ITEMS.format("light-points") + "?" + query)
        assert response.status_code == 400, query
        assert response.json()["code"] == "InvalidParameterValue"


def test_datetime_is_accepted_and_ignored_by_a_collection_without_dates(api, light_points):
    response = api.get(ITEMS.format("light-points") + "?datetime=2020-01-01T00:00:00Z/..")
    assert response.status_code == 200
    assert response.json()["numberMatched"] == 12


def test_a_malformed_datetime_is_a_400_even_where_it_is_ignored(api, light_points):
    response = api.get(ITEMS.format("light-points") + "?datetime=yesterday")
    assert response.status_code == 400
    assert response.json()["parameter"] == "datetime"


@pytest.fixture
def published_incidents(report) -> list[object]:  # type: ignore[no-untyped-def]
    from tests.opendata.conftest import K, spread

    return [report(at=spread(n)) for n in range(K + 1)]


def test_datetime_filters_incidents_on_their_day(api, published_incidents):
    today = timezone.localdate()
    url = ITEMS.format("incidents")
    assert api.get(f"{url}?datetime={today.isoformat()}").json()["numberMatched"] > 0
    since_today = api.get(f"{url}?datetime={today.isoformat()}T00:00:00Z/..").json()
    assert since_today["numberMatched"] > 0
    before = (today - timedelta(days=2)).isoformat()
    assert api.get(f"{url}?datetime=../{before}").json()["numberMatched"] == 0
    assert api.get(f"{url}?datetime=2020-01-01/2020-01-31").json()["numberMatched"] == 0


def test_an_address_the_api_does_not_have_answers_a_json_404(api, db):
    response = api.get("/ogcapi/collections/incidents/queryables")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "NotFound"


def test_over_quota_answers_the_documented_error_shape(api, light_points, settings):
    settings.OPENDATA_RATE_ANONYMOUS = "2/min"
    codes = [api.get(ITEMS.format("light-points")).status_code for _ in range(2)]
    response = api.get(ITEMS.format("light-points"))
    assert codes == [200, 200]
    assert response.status_code == 429
    assert set(response.json()) == {"code", "description"}
    assert int(response["Retry-After"]) >= 1


def test_the_service_desc_link_answers_the_type_it_announces(api, db):
    link = next(x for x in api.get("/ogcapi/").json()["links"] if x["rel"] == "service-desc")
    response = api.get(link["href"])
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert response.json()["openapi"].startswith("3.")
