"""OGC API – Features: landing, conformance, collections, items and single items."""

from __future__ import annotations

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
