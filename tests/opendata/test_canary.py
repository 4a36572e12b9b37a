"""Personal data planted in citizen reports appears in no open-data response."""

from __future__ import annotations

from incidents.models import Incident, Status, Transition
from incidents.services import incident_cancel
from tests.opendata.conftest import CANARY, finish, spread

CANARY_NOTE = f"Rappeler {CANARY['name']} au {CANARY['phone']} ({CANARY['email']})"


ROUTES = [
    "/opendata/",
    "/opendata/catalog.jsonld",
    "/opendata/catalog.ttl",
    "/api/v1/datasets/",
    "/ogcapi/collections",
]


def test_personal_strings_of_reports_appear_in_no_export_or_response(api, report, operator):
    planted = [report(at=spread(n)) for n in range(8)]
    # Closed and cancelled incidents carry the canary in their notes and reasons as well.
    for closed in planted[:3]:
        finish(closed.incident_id)
        Transition.objects.create(
            incident_id=closed.incident_id,
            from_status=Status.RESOLVED,
            to_status=Status.CLOSED,
            note=CANARY_NOTE,
        )
    incident_cancel(incident_id=planted[3].incident_id, by=operator, reason=CANARY_NOTE)
    assert Incident.objects.filter(status_reason=CANARY_NOTE).count() == 1
    slugs = [d["id"] for d in api.get("/api/v1/datasets/").json()["datasets"]]
    urls = list(ROUTES)
    for slug in slugs:
        base = f"/api/v1/datasets/{slug}/"
        urls += [base, f"{base}records/?limit=1000", f"{base}csv/", f"{base}schema/"]
        urls += [f"/opendata/{slug}/"]
    spatial = [c["id"] for c in api.get("/ogcapi/collections").json()["collections"]]
    for slug in spatial:
        urls += [
            f"/api/v1/datasets/{slug}/geojson/",
            f"/ogcapi/collections/{slug}/items?limit=10000",
        ]
    incidents = api.get("/api/v1/datasets/incidents/records/").json()["results"]
    assert len(incidents) == 8, (
        "the planted reports must be published for the check to mean anything"
    )
    assert {row["status"] for row in incidents} >= {Status.CLOSED, Status.CANCELLED}
    urls += [f"/ogcapi/collections/incidents/items/{row['id']}" for row in incidents]
    for url in urls:
        response = api.get(url)
        assert response.status_code == 200, url
        text = response.content.decode("utf-8")
        for value in (
            *CANARY.values(),
            "06 12 34",
            "canarivelli",
            "Lampadaire éteint devant",
            "Rappeler",
        ):
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
    assert {row["category"] for row in rows} == {"eclairage-panne"}
    queries = [
        "commune=21231",
        "category=voirie-nid-de-poule",
        "category=autres",
        "bbox=5.03,47.32,5.04,47.33&commune=21231",
        f"date_from={rows[0]['date']}&date_to={rows[0]['date']}&commune=21231",
    ]
    for query in queries:
        found = api.get(f"/api/v1/datasets/incidents/records/?{query}").json()["results"]
        assert {row["id"] for row in found} <= published, query


def test_closed_incidents_cannot_bring_back_a_withheld_cell_either(api, report, settings):
    settings.OPENDATA_K_THRESHOLD = 5
    lamps = [report(at=spread(n)) for n in range(5)]
    pothole = report(category_code="voirie-nid-de-poule", at=spread(1))
    for planted in (*lamps[:2], pothole):
        finish(planted.incident_id)
    rows = api.get("/api/v1/datasets/incidents/records/").json()["results"]
    published = {row["id"] for row in rows}
    assert len(published) == 5
    day = rows[0]["date"]
    queries = [
        "status=closed",
        "status=closed&category=voirie-nid-de-poule",
        "status=closed&category=autres&commune=21231",
        f"status=closed&date_from={day}&date_to={day}",
        "status=closed&bbox=5.03,47.32,5.04,47.33",
    ]
    for query in queries:
        for url in (
            f"/api/v1/datasets/incidents/records/?{query}",
            f"/api/v1/datasets/incidents/geojson/?{query}",
        ):
            body = api.get(url).json()
            found = body["results"] if "results" in body else body["features"]
            assert {row["id"] for row in found} <= published, url
    csv_text = api.get("/api/v1/datasets/incidents/csv/?status=closed").content.decode()
    assert csv_text.count("\r\n") == 1 + 2  # the header and the two closed lamp incidents
