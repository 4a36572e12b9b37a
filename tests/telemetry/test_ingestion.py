"""POST /api/v1/telemetry/: token per gateway, JSON or NDJSON, replays and partial refusals."""

from __future__ import annotations

import json

import pytest

from hypervisor.models import TelemetryReading, TelemetryReceipt
from lighting.models import Cabinet, MonthlyEnergy
from tests.lighting.factories import CabinetFactory
from tests.traffic.factories import CrossroadFactory
from traffic.models import Crossroad

AT = "2026-01-15T21:00:00+01:00"


def _reading(message_id: str, asset_id: str = "CAR-001", **values: object) -> dict:
    return {
        "message_id": message_id,
        "asset_type": "crossroad",
        "asset_id": asset_id,
        "measured_at": AT,
        "values": values or {"state": "normal"},
    }


@pytest.fixture
def crossroad(db):  # type: ignore[no-untyped-def]
    return CrossroadFactory(reference="CAR-001")


def test_a_json_array_batch_is_accepted_and_kept_as_history(api, crossroad) -> None:
    response = api(json.dumps([_reading("m1"), _reading("m2", state="flashing", code="E31")]))
    assert response.status_code == 200
    assert response.json() == {"accepted": 2, "duplicates": 0, "refused": []}
    assert TelemetryReading.objects.count() == 2
    assert Crossroad.objects.get().state == "flashing"


def test_an_ndjson_batch_is_accepted(api, crossroad) -> None:
    body = "\n".join(json.dumps(_reading(f"n{i}")) for i in range(3))
    response = api(body, content_type="application/x-ndjson")
    assert response.json()["accepted"] == 3


def test_a_replayed_batch_has_no_second_effect(api, crossroad) -> None:
    body = json.dumps([_reading("r1", state="dark")])
    api(body)
    Crossroad.objects.update(state="normal")
    replay = api(body).json()
    assert replay == {"accepted": 0, "duplicates": 1, "refused": []}
    assert Crossroad.objects.get().state == "normal"
    assert TelemetryReading.objects.count() == 1


def test_invalid_readings_are_refused_one_by_one_while_valid_ones_are_accepted(
    api, crossroad
) -> None:
    batch = [
        _reading("ok1"),
        {"asset_type": "crossroad", "asset_id": "CAR-001", "measured_at": AT, "values": {}},
        _reading("bad-time") | {"measured_at": "yesterday"},
        _reading("unknown-asset", asset_id="CAR-999"),
        _reading("bad-state", state="purple"),
        _reading("ok2"),
    ]
    result = api(json.dumps(batch)).json()
    assert result["accepted"] == 2
    assert [refusal["index"] for refusal in result["refused"]] == [1, 2, 3, 4]
    assert all(refusal["reason"] for refusal in result["refused"])


def test_a_refused_reading_leaves_no_receipt_so_its_correction_is_accepted(api, crossroad) -> None:
    api(json.dumps([_reading("fix-me", asset_id="CAR-999")]))
    assert not TelemetryReceipt.objects.filter(message_id="fix-me").exists()
    assert api(json.dumps([_reading("fix-me")])).json()["accepted"] == 1


def test_refusal_reasons_are_in_french_by_default(api, crossroad) -> None:
    result = api(json.dumps([_reading("x", asset_id="CAR-999")])).json()
    assert "inconnu" in result["refused"][0]["reason"]


def test_a_broken_ndjson_line_is_refused_alone(api, crossroad) -> None:
    body = json.dumps(_reading("a")) + "\n{not json\n" + json.dumps(_reading("b"))
    result = api(body, content_type="application/x-ndjson").json()
    assert result["accepted"] == 2
    assert len(result["refused"]) == 1


def test_an_unreadable_body_is_a_bad_request(api, crossroad) -> None:
    assert api("[1, 2").status_code == 400


def test_a_wrong_token_is_refused(api, crossroad) -> None:
    assert api(json.dumps([_reading("t")]), token="not-a-token").status_code == 401


def test_a_request_without_a_token_is_refused(client, crossroad) -> None:
    response = client.post("/api/v1/telemetry/", data="[]", content_type="application/json")
    assert response.status_code == 401


def test_a_logged_in_operator_without_a_token_is_refused(client, operator, crossroad) -> None:
    client.force_login(operator)
    response = client.post("/api/v1/telemetry/", data="[]", content_type="application/json")
    assert response.status_code in {401, 403}


def test_a_batch_over_the_limit_is_refused_whole(api, crossroad, settings) -> None:
    settings.TELEMETRY_MAX_BATCH = 2
    response = api(json.dumps([_reading(f"l{i}") for i in range(3)]))
    assert response.status_code == 413
    assert not TelemetryReading.objects.exists()


def test_cabinet_meter_readings_add_to_the_months_energy(api, db) -> None:
    CabinetFactory(reference="ARM-1", meter_index_kwh=100.0)
    batch = [
        {"message_id": "e1", "asset_type": "cabinet", "asset_id": "ARM-1", "measured_at": AT,
         "values": {"powered": True, "meter_kwh": 112.5}},
    ]  # fmt: skip
    assert api(json.dumps(batch)).json()["accepted"] == 1
    assert MonthlyEnergy.objects.get().measured_kwh == pytest.approx(12.5)
    assert Cabinet.objects.get().last_seen_at is not None


def test_a_lone_reading_declared_as_a_json_array_is_refused(api, crossroad, english) -> None:
    response = api(json.dumps(_reading("lone")))
    assert response.status_code == 400
    assert "application/x-ndjson" in response.json()["detail"]


def test_the_same_lone_reading_as_ndjson_is_a_batch_of_one(api, crossroad) -> None:
    response = api(json.dumps(_reading("lone")), content_type="application/x-ndjson")
    assert response.json()["accepted"] == 1


def test_an_ndjson_line_that_is_an_array_is_refused_alone(api, crossroad) -> None:
    body = "[]\n" + json.dumps(_reading("after"))
    result = api(body, content_type="application/x-ndjson").json()
    assert (result["accepted"], len(result["refused"])) == (1, 1)


@pytest.mark.parametrize("body", ["[]", "   "])
def test_an_empty_batch_is_refused(api, crossroad, body: str) -> None:
    assert api(body).status_code == 400


def test_a_batch_nested_too_deeply_is_refused_not_a_server_error(api, crossroad) -> None:
    assert api("[" * 100_000 + "]" * 100_000).status_code == 400
    deep = '{"a":' * 100_000 + "1" + "}" * 100_000
    result = api(deep, content_type="application/x-ndjson").json()
    assert (result["accepted"], [r["index"] for r in result["refused"]]) == (0, [0])


def test_another_method_is_a_405_before_the_token_is_checked(client, crossroad) -> None:
    assert client.put("/api/v1/telemetry/", data="[]").status_code == 405
