"""The PostgreSQL ingestion path: receipts with ON CONFLICT … RETURNING, history by COPY."""

from __future__ import annotations

import pytest

from hypervisor.models import TelemetryReading
from hypervisor.telemetry.services import gateway_create, telemetry_ingest
from tests.services import require_postgresql
from tests.traffic.factories import CameraFactory

pytestmark = pytest.mark.integration


@pytest.fixture
def postgresql(db) -> None:  # type: ignore[no-untyped-def]
    require_postgresql()


def _batch(prefix: str, count: int) -> list[dict]:
    return [
        {
            "message_id": f"{prefix}-{n}",
            "asset_type": "camera",
            "asset_id": "CAM-PG",
            "measured_at": f"2026-01-15T21:{n % 60:02d}:00+01:00",
            "values": {"online": True, "recording": True, "note": 'tab\there\\ and "quotes"'},
        }
        for n in range(count)
    ]


def test_a_large_batch_is_stored_by_copy_with_its_values_intact(postgresql) -> None:
    CameraFactory(reference="CAM-PG")
    gateway, _token = gateway_create(name="pg")
    result = telemetry_ingest(gateway=gateway, items=_batch("a", 2500))
    assert result.accepted == 2500
    reading = TelemetryReading.objects.get(message_id="a-7")
    assert reading.values["note"] == 'tab\there\\ and "quotes"'


def test_a_half_replayed_batch_applies_only_the_new_half(postgresql) -> None:
    CameraFactory(reference="CAM-PG")
    gateway, _token = gateway_create(name="pg")
    telemetry_ingest(gateway=gateway, items=_batch("b", 100))
    again = telemetry_ingest(gateway=gateway, items=_batch("b", 200))
    assert (again.accepted, again.duplicates) == (100, 100)
    assert TelemetryReading.objects.count() == 200
