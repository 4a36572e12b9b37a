"""Open311 GET does not undo the open data's coarsening.

Replays the review's attack: one anonymous GET of requests.json listed the exact position
and time of every citizen report. Anonymous callers now get the open-data grid cell's
centre and the day; a client application's API key gets the exact values.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from citizens.models import Report
from tests.citizens.factories import submit_report

EXACT = {"lat": 47.321347, "lon": 5.041523}


def _listed(client, **query):  # type: ignore[no-untyped-def]
    response = client.get("/open311/v2/requests.json", query)
    assert response.status_code == 200
    return response.json()[0]


def test_an_anonymous_list_shows_no_exact_position_or_time(
    client, reference_configuration, settings
) -> None:
    submit_report(category_code="voirie-nid-de-poule", **EXACT)
    report = Report.objects.get()
    listed = _listed(client)
    assert (listed["lat"], listed["long"]) != (EXACT["lat"], EXACT["lon"])
    # Within half a grid cell's diagonal of the truth, and the same for every report of it.
    assert abs(listed["lat"] - EXACT["lat"]) < settings.OPENDATA_GRID_METRES / 111_000
    assert datetime.fromisoformat(listed["requested_datetime"]).time().isoformat() == "00:00:00"
    assert timezone.localtime(report.created_at).time() != datetime.min.time()
    single = client.get(f"/open311/v2/requests/{report.reference}.json").json()[0]
    assert (single["lat"], single["long"]) == (listed["lat"], listed["long"])


def test_two_reports_in_one_grid_cell_read_the_same(client, reference_configuration) -> None:
    submit_report(category_code="voirie-nid-de-poule", link_duplicates=False, **EXACT)
    submit_report(
        category_code="voirie-nid-de-poule",
        link_duplicates=False,
        lat=EXACT["lat"] + 0.0002,
        lon=EXACT["lon"] - 0.0002,
    )
    documents = client.get("/open311/v2/requests.json").json()
    assert len({(document["lat"], document["long"]) for document in documents}) == 1


def test_a_client_application_with_its_key_gets_the_exact_values(
    client, reference_configuration, open311_key
) -> None:
    submit_report(category_code="voirie-nid-de-poule", **EXACT)
    listed = _listed(client, api_key=open311_key)
    assert (listed["lat"], listed["long"]) == (EXACT["lat"], EXACT["lon"])
    assert datetime.fromisoformat(listed["requested_datetime"]).second == (
        Report.objects.get().created_at.second
    )
