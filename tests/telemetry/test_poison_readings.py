"""Hostile values in a telemetry batch: each one is refused on its own, the rest is kept.

Replays the review's attack: NaN, Infinity, 1e400, a NUL or a lone surrogate in a value or a
message id, and a 5,000-digit integer made the whole batch an HTML 500 on PostgreSQL.
"""

from __future__ import annotations

import json

import pytest

from hypervisor.models import TelemetryReading
from tests.traffic.factories import CrossroadFactory

AT = "2026-01-15T21:00:00+01:00"
GOOD = json.dumps(
    {
        "message_id": "good",
        "asset_type": "crossroad",
        "asset_id": "CAR-001",
        "measured_at": AT,
        "values": {"state": "flashing"},
    }
)


def _poison(message_id: str, value: str) -> str:
    """A reading written by hand: json.dumps cannot produce most of these values."""
    return (
        f'{{"message_id": {message_id}, "asset_type": "crossroad", "asset_id": "CAR-001", '
        f'"measured_at": "{AT}", "values": {{"state": "normal", "a": {value}}}}}'
    )


POISONS = {
    "nan": _poison('"p"', "NaN"),
    "infinity": _poison('"p"', "-Infinity"),
    "overflowing_float": _poison('"p"', "1e400"),
    "nul_in_a_value": _poison('"p"', '"\\u0000"'),
    "lone_surrogate_in_a_value": _poison('"p"', '"\\ud800"'),
    "nul_in_the_message_id": _poison('"p\\u0000"', "1"),
    "lone_surrogate_in_the_message_id": _poison('"\\udfff"', "1"),
    "nul_in_a_key": _poison('"p"', '{"\\u0000": 1}'),
    "five_thousand_digit_integer": _poison('"p"', "9" * 5000),
}


@pytest.fixture
def crossroad(db):
    return CrossroadFactory(reference="CAR-001")


@pytest.mark.parametrize("kind", list(POISONS))
def test_a_poisoned_reading_in_a_json_batch_is_refused_alone(api, crossroad, kind) -> None:
    response = api(f"[{POISONS[kind]}, {GOOD}]")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["accepted"] == 1
    assert [refusal["index"] for refusal in body["refused"]] == [0]
    assert body["refused"][0]["reason"]
    assert list(TelemetryReading.objects.values_list("message_id", flat=True)) == ["good"]


@pytest.mark.parametrize("kind", list(POISONS))
def test_a_poisoned_line_in_an_ndjson_batch_is_refused_alone(api, crossroad, kind) -> None:
    response = api(f"{GOOD}\n{POISONS[kind]}", content_type="application/x-ndjson")
    assert response.status_code == 200
    body = response.json()
    assert body["accepted"] == 1
    assert [refusal["index"] for refusal in body["refused"]] == [1]


def _big_batch(count: int, padding: int = 0) -> str:
    return json.dumps(
        [
            {
                "message_id": f"big-{number}",
                "asset_type": "crossroad",
                "asset_id": "CAR-001",
                "measured_at": AT,
                "values": {"state": "normal", "note": "x" * padding},
            }
            for number in range(count)
        ]
    )


def test_the_documented_batch_of_ten_thousand_readings_fits(api, crossroad, settings) -> None:
    """It was a bare HTML 400 (Django's 2.5 MB body limit) at about 250 bytes a reading."""
    body = _big_batch(settings.TELEMETRY_MAX_BATCH, padding=200)
    assert len(body) > 2_621_440  # over Django's general limit
    response = api(body)
    assert response.status_code == 200
    assert response.json()["accepted"] == settings.TELEMETRY_MAX_BATCH


def test_an_oversized_body_is_a_json_413_naming_the_limit(api, crossroad, settings) -> None:
    settings.TELEMETRY_MAX_BODY_BYTES = 10_000
    response = api(_big_batch(100, padding=200))
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["limit_bytes"] == 10_000
    assert "10000" in response.json()["detail"]
