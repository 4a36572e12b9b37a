"""Hostile Open311 input gets a 4xx in the error format, never a 500.

Replays the review's attacks: impossible dates (`2026-13-45`, `2026-02-30`), a NUL in
service_code or a post, `lat=nan` or `inf` were server errors; API keys could be guessed
without limit because the key was checked before the rate limit; the phone was not checked.
"""

from __future__ import annotations

import pytest

from citizens.models import Report
from tests.citizens.test_open311 import post_request


@pytest.mark.parametrize(
    "query",
    [
        {"start_date": "2026-13-45"},
        {"start_date": "2026-02-30T08:00:00+01:00"},
        {"end_date": "2026-02-30"},
        {"service_code": "\x00"},
        {"status": "open\x00"},
    ],
    ids=["month-13", "february-30", "end-february-30", "nul-service-code", "nul-status"],
)
def test_an_impossible_or_nul_query_is_a_400(client, reference_configuration, query) -> None:
    response = client.get("/open311/v2/requests.json", query)
    assert response.status_code == 400


@pytest.mark.parametrize(
    "overrides",
    [
        {"lat": "nan"},
        {"long": "inf"},
        {"lat": "-Infinity"},
        {"description": "Nid-de-poule\x00 profond"},
        {"first_name": "Ca\x00mille"},
    ],
    ids=["lat-nan", "long-inf", "lat-minus-infinity", "nul-description", "nul-name"],
)
def test_a_post_with_a_non_finite_position_or_a_nul_is_a_400(
    client, reference_configuration, open311_key, overrides
) -> None:
    response = post_request(client, open311_key, **overrides)
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_guessing_api_keys_is_rate_limited(client, settings, reference_configuration) -> None:
    settings.OPEN311_API_KEYS = ["the-real-key"]
    settings.CITIZENS_RATE_LIMIT = "3/h"
    codes = [post_request(client, f"guess-{number}").status_code for number in range(4)]
    assert codes == [403, 403, 403, 429]


def test_a_phone_that_is_not_a_number_is_refused(
    client, reference_configuration, open311_key
) -> None:
    refused = post_request(client, open311_key, phone="<script>alert(1)</script>")
    assert refused.status_code == 400
    assert post_request(client, open311_key, phone="+33 6 12 34 56 78").status_code == 201
