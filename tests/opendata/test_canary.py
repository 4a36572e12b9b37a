"""Personal data planted in citizen reports appears in no open-data response."""

from __future__ import annotations

from tests.opendata.conftest import CANARY


def spread(n: int) -> tuple[float, float]:
    """Places 330 m apart in Dijon, far enough not to be taken for duplicates."""
    return (round(47.3225 + n * 0.003, 5), 5.0317)


ROUTES = [
    "/opendata/",
    "/opendata/catalog.jsonld",
    "/opendata/catalog.ttl",
    "/api/v1/datasets/",
    "/ogcapi/collections",
]


def test_personal_strings_of_reports_appear_in_no_export_or_response(api, report):
    for n in range(6):
        report(at=spread(n))
    slugs = [d["id"] for d in api.get("/api/v1/datasets/").json()["datasets"]]
    urls = list(ROUTES)
    for slug in slugs:
        base = f"/api/v1/datasets/{slug}/"
        urls += [base, f"{base}records/?limit=1000", f"{base}csv/", f"{base}schema/"]
    spatial = [c["id"] for c in api.get("/ogcapi/collections").json()["collections"]]
    for slug in spatial:
        urls += [
            f"/api/v1/datasets/{slug}/geojson/",
            f"/ogcapi/collections/{slug}/items?limit=10000",
        ]
    incidents = api.get("/api/v1/datasets/incidents/records/").json()["results"]
    assert len(incidents) == 6, (
        "the planted reports must be published for the check to mean anything"
    )
    urls += [f"/ogcapi/collections/incidents/items/{row['id']}" for row in incidents]
    for url in urls:
        response = api.get(url)
        assert response.status_code == 200, url
        text = response.content.decode("utf-8")
        for value in (*CANARY.values(), "06 12 34", "canarivelli", "Lampadaire éteint devant"):
            assert value.lower() not in text.lower(), (url, value)


def test_published_incidents_keep_only_the_day_and_a_coarse_place(api, report):
    for n in range(5):
        report(at=spread(n))
    rows = api.get("/api/v1/datasets/incidents/records/").json()["results"]
    assert len(rows) == 5
    assert set(rows[0]) == {"id", "lon", "lat", "date", "commune_insee", "category", "status"}
    assert len(rows[0]["date"]) == 10
    planted = {spread(n) for n in range(5)}
    assert not planted & {(row["lat"], row["lon"]) for row in rows}


def test_a_cell_under_k_is_not_published_however_the_filters_are_combined(api, report, settings):
    settings.OPENDATA_K_THRESHOLD = 5
    for n in range(5):
        report(at=spread(n))
    report(category_code="voirie-nid-de-poule", at=spread(0))
    rows = api.get("/api/v1/datasets/incidents/records/").json()["results"]
    assert len(rows) == 5
    published = {row["id"] for row in rows}
    assert {row["category"] for row in rows} == {"Lampadaire éteint"}
    queries = [
        "commune=21231",
        "category=Nid-de-poule, chaussée dégradée",
        "category=autres",
        "bbox=5.03,47.32,5.04,47.33&commune=21231",
        f"date_from={rows[0]['date']}&date_to={rows[0]['date']}&commune=21231",
    ]
    for query in queries:
        found = api.get(f"/api/v1/datasets/incidents/records/?{query}").json()["results"]
        assert {row["id"] for row in found} <= published, query
