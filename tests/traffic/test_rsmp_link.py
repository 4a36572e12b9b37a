"""The supervisor and the emulated sites over real TCP, every message checked against the
published RSMP schemas (core 3.2.2, TLC SXL 1.2.1)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from hypervisor.models import Alarm, AlarmState
from tests.traffic.factories import CrossroadFactory
from tests.traffic.rsmp_harness import RsmpHarness, wait_for
from tests.traffic.rsmp_schemas import require_rsmp_schemas, schema_errors
from traffic.models import ControllerState, Crossroad, RsmpSite

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def rsmp(transactional_db) -> Iterator[RsmpHarness]:  # type: ignore[no-untyped-def]
    require_rsmp_schemas()
    harness = RsmpHarness(watchdog_interval=1.0, ack_timeout=2.0)
    yield harness
    harness.stop()


@pytest.fixture
def mapped_crossroad(transactional_db) -> Crossroad:  # type: ignore[no-untyped-def]
    crossroad = CrossroadFactory(reference="CAR-101", signal_groups=4)
    RsmpSite.objects.create(site_id="KK+AG0101", crossroad=crossroad)
    return crossroad


def _reloaded(crossroad: Crossroad) -> Crossroad:
    return Crossroad.objects.get(pk=crossroad.pk)


def test_a_site_connects_and_its_modes_and_plan_reach_its_crossroads(rsmp, mapped_crossroad):
    site = rsmp.site("KK+AG0101")
    wait_for(lambda: _reloaded(mapped_crossroad).time_plan == site.time_plan, message="plan")
    crossroad = _reloaded(mapped_crossroad)
    assert crossroad.control_mode == "control"
    assert crossroad.functional_position == "NormalControl"
    assert RsmpSite.objects.get(site_id="KK+AG0101").connected
    assert RsmpSite.objects.get(site_id="KK+AG0101").core_version == "3.2.2"


def test_every_message_both_sides_sent_validates_against_the_published_schemas(
    rsmp, mapped_crossroad
):
    site = rsmp.site("KK+AG0101")
    wait_for(lambda: _reloaded(mapped_crossroad).time_plan is not None, message="statuses")
    rsmp.call(site.raise_alarm("A0201", component="KK+AG0101.SG2", color="red"))
    rsmp.call(site.raise_alarm("A0301", component="KK+AG0101.DL1"))
    wait_for(lambda: len(RsmpSite.objects.get(site_id="KK+AG0101").alarms) == 2, message="alarms")
    session = rsmp.supervisor.sessions["KK+AG0101"]
    rsmp.call(session.acknowledge_alarm("KK+AG0101.SG2", "A0201"))
    rsmp.call(session.suspend_alarm("KK+AG0101.DL1", "A0301", suspend=True))
    rsmp.call(session.suspend_alarm("KK+AG0101.DL1", "A0301", suspend=False))
    rsmp.call(session.request_statuses([("S0014", "status"), ("S0020", "controlmode")]))
    rsmp.call(site.clear_alarm("A0201/KK+AG0101.SG2"))
    wait_for(lambda: {m["type"] for m in rsmp.sites_sent} >= {"StatusResponse", "StatusUpdate"})
    types = {message["type"] for message in rsmp.every_message()}
    assert types >= {
        "Version", "MessageAck", "Watchdog", "AggregatedStatus", "Alarm", "StatusSubscribe",
        "StatusUpdate", "StatusRequest", "StatusResponse",
    }  # fmt: skip
    errors = [error for message in rsmp.every_message() for error in schema_errors(message)]
    assert errors == []


def test_the_schema_check_catches_a_message_that_departs_from_the_standard():
    """Positive control: the validator used above does refuse a broken message."""
    from traffic.rsmp import protocol

    broken = protocol.alarm_issue(
        component="C", code="A0201", active=True, acknowledged=False, suspended=False,
        priority=2, category="D", values={"colour": "red"},
    )  # fmt: skip
    broken["pri"] = "4"
    assert schema_errors(broken)


def test_a_serious_alarm_becomes_a_critical_alarm_under_its_crossroads_fault(
    rsmp, mapped_crossroad
):
    site = rsmp.site("KK+AG0101")
    wait_for(lambda: site.connected.is_set())
    rsmp.call(site.raise_alarm("A0201", component="KK+AG0101.SG3", color="red"))
    alarm = wait_for(
        lambda: Alarm.objects.filter(kind="signal-alarm-critical").first(), message="alarm"
    )
    root = wait_for(lambda: Alarm.objects.filter(kind="traffic-signal-fault").first())
    assert alarm.severity == "critical"
    assert wait_for(lambda: Alarm.objects.get(pk=alarm.pk).parent_id == root.pk)
    assert _reloaded(mapped_crossroad).state == ControllerState.FAULT


def test_a_detector_fault_is_a_minor_alarm_listed_on_the_crossroads(rsmp, mapped_crossroad):
    site = rsmp.site("KK+AG0101")
    wait_for(lambda: site.connected.is_set())
    rsmp.call(site.raise_alarm("A0301", component="KK+AG0101.DL2"))
    alarm = wait_for(lambda: Alarm.objects.filter(kind="signal-alarm-minor").first())
    assert alarm.severity == "minor"
    assert wait_for(lambda: _reloaded(mapped_crossroad).detector_faults == ["DL2"])
    assert _reloaded(mapped_crossroad).state == ControllerState.NORMAL


def test_a_cleared_rsmp_alarm_clears_its_hypervisor_alarm(rsmp, mapped_crossroad):
    site = rsmp.site("KK+AG0101")
    wait_for(lambda: site.connected.is_set())
    rsmp.call(site.raise_alarm("A0202", component="KK+AG0101.SG1", color="yellow"))
    alarm = wait_for(lambda: Alarm.objects.filter(kind="signal-alarm-minor").first())
    rsmp.call(site.clear_alarm("A0202/KK+AG0101.SG1"))
    assert wait_for(lambda: Alarm.objects.get(pk=alarm.pk).state == AlarmState.CLEARED)


def test_an_unknown_site_is_listed_for_reconciliation_not_put_on_a_crossroads(rsmp):
    CrossroadFactory(reference="CAR-102")
    site = rsmp.site("KK+AG9999")
    wait_for(lambda: site.connected.is_set())
    record = wait_for(lambda: RsmpSite.objects.filter(site_id="KK+AG9999").first())
    assert record.crossroad is None
    assert record.connected
    assert not Crossroad.objects.exclude(time_plan=None).exists()


def test_an_operators_acknowledgement_reaches_the_site(rsmp, mapped_crossroad, operator):
    from hypervisor.services import alarm_acknowledge

    site = rsmp.site("KK+AG0101")
    wait_for(lambda: site.connected.is_set())
    rsmp.call(site.raise_alarm("A0202", component="KK+AG0101.SG4", color="red"))
    alarm = wait_for(lambda: Alarm.objects.filter(kind="signal-alarm-minor").first())
    alarm_acknowledge(alarm_id=alarm.pk, by=operator)
    wait_for(lambda: site.alarms["A0202/KK+AG0101.SG4"].acknowledged, message="site acknowledged")
    record = wait_for(
        lambda: (
            RsmpSite.objects.get(site_id="KK+AG0101")
            .alarms["A0202/KK+AG0101.SG4"]
            .get("acknowledged")
        )
    )
    assert record is True
    sent = [m for m in rsmp.supervisor_sent if m["type"] == "Alarm"]
    assert sent
    assert all(schema_errors(m) == [] for m in sent)
