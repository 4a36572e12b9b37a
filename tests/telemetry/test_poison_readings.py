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
