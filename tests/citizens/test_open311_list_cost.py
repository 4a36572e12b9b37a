"""The Open311 list reads in bulk and is throttled per client.

Replays the review's finding: the list ran a few queries per report (about 4 s for 465
reports) and any client could ask for it without limit.
"""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from citizens import services
from citizens.models import ReportPhoto
from tests.citizens.factories import submit_report, upload


def _queries_for_list(client) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/open311/v2/requests.json").status_code == 200
    return len(captured)


def test_the_list_costs_the_same_queries_for_three_reports_or_thirty(
    client, reference_configuration
) -> None:
    services.photos_stage(form_token="q" * 32, uploads=[upload()])
    submit_report(form_token="q" * 32, link_duplicates=False)
    for _ in range(2):
        submit_report(link_duplicates=False)
    few = _queries_for_list(client)
    for _ in range(27):
        submit_report(link_duplicates=False)
    assert _queries_for_list(client) == few
    assert ReportPhoto.objects.count() == 1  # the photo lookup is part of the list


def test_the_list_is_throttled_per_client(client, reference_configuration, settings) -> None:
    settings.OPEN311_LIST_RATE = "2/m"
    codes = [client.get("/open311/v2/requests.json").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
