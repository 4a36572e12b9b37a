"""TALQ log reports feed the telemetry pipeline: same replays, alarms and correlation."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
import time_machine

from hypervisor.models import Alarm, TelemetryReading
from lighting.models import LampStatus, LightPoint, MonthlyEnergy
from lighting.schedule import PARIS
from tests.lighting.talq_factories import attribute_entry, cabinet_device, event_entry, lamp_device

WINTER_NIGHT = datetime(2026, 1, 15, 22, 0, tzinfo=PARIS)
WINTER_NOON = datetime(2026, 1, 15, 12, 0, tzinfo=PARIS)
AT_NIGHT = "2026-01-15T21:59:00+01:00"
AT_NOON = "2026-01-15T11:59:00+01:00"


@pytest.fixture
def declared(talq, lamps):  # type: ignore[no-untyped-def]
    """The three lamps declared by the gateway; returns their TALQ addresses."""
    devices = [lamp_device(lamp.reference) for lamp in lamps]
    assert talq.call("post", "devices", devices).status_code == 201
    return [device["address"] for device in devices]


def _report(talq, *entries):  # type: ignore[no-untyped-def]
    return talq.call(
        "post", "log-reports", {"address": "ondijon-failure-events", "entries": list(entries)}
    )


def test_a_lamp_failure_event_fails_the_lamp_and_raises_an_alarm(
    talq, declared, lamps, django_capture_on_commit_callbacks
) -> None:
    with (
        time_machine.travel(WINTER_NIGHT, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = _report(talq, event_entry(declared[0], "lampFailure", at=AT_NIGHT))
    assert response.status_code == 201
    assert LightPoint.objects.get(pk=lamps[0].pk).status == LampStatus.LAMP_FAILURE
    assert Alarm.objects.get(kind="lamp-failure").asset_id == lamps[0].reference


def test_the_end_of_a_lamp_failure_repairs_the_lamp(talq, declared, lamps) -> None:
    with time_machine.travel(WINTER_NIGHT, tick=False):
        _report(talq, event_entry(declared[0], "lampFailure", at=AT_NIGHT))
        _report(
            talq,
            event_entry(declared[0], "lampFailure", at="2026-01-15T21:59:30+01:00", start=False),
        )
    assert LightPoint.objects.get(pk=lamps[0].pk).status == LampStatus.OK


def test_a_replayed_report_has_no_second_effect(talq, declared, lamps) -> None:
    entry = attribute_entry(declared[1], "activeEnergy", 12.5, at=AT_NIGHT, kind="AttributeFloat")
    with time_machine.travel(WINTER_NIGHT, tick=False):
        assert _report(talq, entry).status_code == 201
        assert _report(talq, entry).status_code == 201
    assert TelemetryReading.objects.count() == 1
    assert TelemetryReading.objects.get().values == {"energy_kwh": 12.5}


def test_a_lamp_on_in_daytime_raises_the_day_burning_alarm(
    talq, declared, lamps, django_capture_on_commit_callbacks
) -> None:
    with (
        time_machine.travel(WINTER_NOON, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        _report(talq, event_entry(declared[2], "lampUnexpectedOn", at=AT_NOON))
    assert LightPoint.objects.get(pk=lamps[2].pk).status == LampStatus.DAY_BURNING
    assert Alarm.objects.get(kind="lamp-daytime").asset_id == lamps[2].reference


def test_a_relay_failure_raises_its_own_alarm_and_its_end_clears_it(
    talq, declared, lamps, django_capture_on_commit_callbacks
) -> None:
    with time_machine.travel(WINTER_NIGHT, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            _report(talq, event_entry(declared[0], "relayFailure", at=AT_NIGHT))
        alarm = Alarm.objects.get(kind="lamp-relay")
        assert alarm.asset_id == lamps[0].reference
        with django_capture_on_commit_callbacks(execute=True):
            _report(
                talq,
                event_entry(
                    declared[0], "relayFailure", at="2026-01-15T21:59:40+01:00", start=False
                ),
            )
    alarm.refresh_from_db()
    assert alarm.state == "cleared"


def test_lamps_failing_under_a_cabinet_without_power_stay_one_alarm(
    talq, declared, lamps, cabinet, django_capture_on_commit_callbacks
) -> None:
    meter = cabinet_device(cabinet.reference)
    talq.call("post", "devices", [meter])
    with (
        time_machine.travel(WINTER_NIGHT, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        _report(
            talq,
            event_entry(meter["address"], "supplyLoss", at=AT_NIGHT),
            *[event_entry(address, "lampFailure", at=AT_NIGHT) for address in declared],
        )
    assert Alarm.objects.filter(parent__isnull=True).count() == 1
    assert Alarm.objects.get(parent__isnull=True).kind == "cabinet-power"


def test_a_cabinet_meter_index_becomes_metered_energy(talq, cabinet) -> None:
    meter = cabinet_device(cabinet.reference)
    talq.call("post", "devices", [meter])
    with time_machine.travel(WINTER_NIGHT, tick=False):
        for at, index in (("2026-01-15T20:00:00+01:00", 1000.0), (AT_NIGHT, 1012.0)):
            entry = attribute_entry(
                meter["address"], "totalActiveEnergy", index, at=at, kind="AttributeFloat"
            )
            entry["data"]["srcAddress"] = f"{meter['address']}/meter"
            assert _report(talq, entry).status_code == 201
    assert MonthlyEnergy.objects.get(cabinet=cabinet).measured_kwh == pytest.approx(12.0)


def test_bad_entries_are_refused_one_by_one_and_the_others_kept(talq, declared, lamps) -> None:
    good = attribute_entry(
        declared[0], "operatingHours", 4200.0, at=AT_NIGHT, kind="AttributeFloat"
    )
    unknown = event_entry("7b0f5f64-5717-4562-b3fc-2c963f66afa6", "lampFailure", at=AT_NIGHT)
    huge = attribute_entry(
        declared[1], "switchOnCounter", 10**40, at=AT_NIGHT, kind="AttributeInteger"
    )
    nul = event_entry(declared[2] + "\x00", "lampFailure", at=AT_NIGHT)
    no_time = event_entry(declared[2], "lampFailure", at="")
    with time_machine.travel(WINTER_NIGHT, tick=False):
        response = _report(talq, good, unknown, huge, nul, no_time)
    assert response.status_code == 422
    reasons = [message["description"] for message in response.json()]
    # In French by default, as every message to a gateway.
    assert [reason.split(":")[0].strip() for reason in reasons] == [
        "entrée 1",
        "entrée 2",
        "entrée 3",
        "entrée 4",
    ]
    assert TelemetryReading.objects.get().values == {"operating_hours": 4200.0}


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1" + "0" * 5000])
def test_a_value_that_is_not_a_finite_number_refuses_its_entry_only(
    talq, declared, literal
) -> None:
    bad = attribute_entry(declared[0], "activeEnergy", 0, at=AT_NIGHT, kind="AttributeFloat")
    good = attribute_entry(declared[1], "activeEnergy", 3.5, at=AT_NIGHT, kind="AttributeFloat")
    entries = json.dumps(bad).replace('"value": 0', f'"value": {literal}') + ", " + json.dumps(good)
    talq.validate = False  # the body is not JSON as the file defines it, on purpose
    with time_machine.travel(WINTER_NIGHT, tick=False):
        response = talq.call(
            "post", "log-reports", raw=('{"address": "x", "entries": [' + entries + "]}").encode()
        )
    assert response.status_code == 422
    assert len(response.json()) == 1
    assert TelemetryReading.objects.get().values == {"energy_kwh": 3.5}


def test_a_non_finite_number_in_a_device_is_refused_without_a_server_error(talq) -> None:
    talq.validate = False
    response = talq.call("post", "devices", raw=b'[{"address": "x", "name": NaN, "class": "c"}]')
    assert response.status_code == 422
    assert response.json()[0]["key"] == "payloadError"


@pytest.mark.parametrize("text", ["\\u0000", "\\ud800"])
def test_text_that_cannot_be_stored_is_refused_without_a_server_error(talq, text) -> None:
    talq.validate = False
    body = '[{"address": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "name": "LC-' + text + '", '
    response = talq.call("post", "devices", raw=(body + '"class": "c"}]').encode())
    assert response.status_code == 422
    assert response.json()[0]["description"]


def test_the_energy_kpi_says_which_share_is_metered(talq, cabinet) -> None:
    from lighting.kpis import EnergySavingsKpi
    from tests.lighting.factories import CabinetFactory

    month = datetime(2026, 1, 1).date()
    MonthlyEnergy.objects.create(
        cabinet=CabinetFactory(), month=month, estimated_kwh=30.0, baseline_kwh=100.0
    )
    MonthlyEnergy.objects.create(
        cabinet=cabinet, month=month, measured_kwh=10.0, estimated_kwh=99.0, baseline_kwh=100.0
    )
    figures = EnergySavingsKpi().compute(start=month, end=datetime(2026, 2, 1).date())
    assert figures["metered_share"] == 25.0  # 10 metered of 40 consumed
    assert figures["value"] == 80.0
    assert "25.0" in figures["note"]
