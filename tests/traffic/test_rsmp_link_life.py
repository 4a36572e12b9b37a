"""Link life: a lost site is one communication alarm; on its return the supervisor subscribes
again and what the site buffered meanwhile is applied once, in order."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from hypervisor.models import Alarm, AlarmState, Event
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
def crossroad(transactional_db) -> Crossroad:  # type: ignore[no-untyped-def]
    crossroad = CrossroadFactory(reference="CAR-301", signal_groups=6)
    RsmpSite.objects.create(site_id="KK+AG0301", crossroad=crossroad)
    return crossroad


def _state(crossroad: Crossroad) -> str:
    return Crossroad.objects.get(pk=crossroad.pk).state


def test_a_lost_site_raises_one_communication_alarm_that_clears_when_it_returns(rsmp, crossroad):
    site = rsmp.site("KK+AG0301", signal_groups=6)
    wait_for(lambda: Crossroad.objects.get(pk=crossroad.pk).time_plan is not None)
    site.settings.reconnect_interval = 3.0
    site.drop_link()
    wait_for(lambda: _state(crossroad) == ControllerState.COMM_LOST, message="link lost")
    alarms = Alarm.objects.filter(kind="signal-communication", asset_id=crossroad.reference)
    assert wait_for(lambda: alarms.count() == 1)
    assert not Alarm.objects.exclude(kind="signal-communication").exists()
    wait_for(lambda: _state(crossroad) == ControllerState.NORMAL, timeout=15, message="back")
    assert wait_for(lambda: alarms.get().state == AlarmState.CLEARED)


def test_the_supervisor_subscribes_again_after_a_reconnection(rsmp, crossroad):
    site = rsmp.site("KK+AG0301")
    wait_for(lambda: site.subscriptions)
    site.drop_link()
    site.subscriptions.clear()  # as if the controller had restarted
    wait_for(lambda: not site.connected.is_set() or len(rsmp.supervisor_sent) > 0)
    wait_for(lambda: site.subscriptions, timeout=15, message="subscribed again")
    subscribes = [m for m in rsmp.supervisor_sent if m["type"] == "StatusSubscribe"]
    assert len(subscribes) >= 2


def test_alarms_buffered_while_disconnected_are_applied_once_in_order(rsmp, crossroad):
    site = rsmp.site("KK+AG0301")
    wait_for(lambda: Crossroad.objects.get(pk=crossroad.pk).time_plan is not None)
    site.settings.reconnect_interval = 2.0
    site.drop_link()
    wait_for(lambda: _state(crossroad) == ControllerState.COMM_LOST)
    rsmp.call(site.raise_alarm("A0202", component="KK+AG0301.SG2", color="green"))
    rsmp.call(site.clear_alarm("A0202/KK+AG0301.SG2"))
    rsmp.call(site.raise_alarm("A0301", component="KK+AG0301.DL1"))
    rsmp.call(site.set_time_plan(5, source="operator_panel"))
    assert len(site.buffer) >= 3
    wait_for(lambda: Crossroad.objects.get(pk=crossroad.pk).time_plan == 5, timeout=15)
    detector = wait_for(
        lambda: Alarm.objects.filter(kind="signal-alarm-minor", asset_id__contains="A0301").first()
    )
    lamp = Alarm.objects.get(kind="signal-alarm-minor", asset_id__contains="A0202")
    assert lamp.state == AlarmState.CLEARED
    assert detector.state == AlarmState.ACTIVE
    raised = Event.objects.filter(
        kind__startswith="signal_alarm.raised", asset_id__contains="A0202"
    )
    assert raised.count() == 1
    old = [
        item for m in rsmp.sites_sent if m["type"] == "StatusUpdate" for item in m["sS"]
        if item["q"] == "old"
    ]  # fmt: skip
    assert old
    assert all(schema_errors(m) == [] for m in rsmp.sites_sent)


def test_an_alarm_sent_again_after_a_reconnection_is_not_applied_twice(rsmp, crossroad):
    site = rsmp.site("KK+AG0301")
    wait_for(lambda: site.connected.is_set())
    rsmp.call(site.raise_alarm("A0301", component="KK+AG0301.DL3"))
    wait_for(lambda: Event.objects.filter(kind__startswith="signal_alarm.raised").exists())
    site.drop_link()
    wait_for(lambda: _state(crossroad) == ControllerState.COMM_LOST)
    wait_for(lambda: RsmpSite.objects.get(site_id="KK+AG0301").connected, timeout=15)
    wait_for(
        lambda: sum(1 for m in rsmp.sites_sent if m["type"] == "Alarm") >= 2,
        message="the active alarm sent again",
    )
    assert Event.objects.filter(kind__startswith="signal_alarm.raised").count() == 1


def test_an_unplugged_emulator_stays_off_until_plugged_back(rsmp, crossroad):
    site = rsmp.site("KK+AG0301")
    wait_for(lambda: RsmpSite.objects.get(site_id="KK+AG0301").connected)
    site.unplug(True)
    wait_for(lambda: _state(crossroad) == ControllerState.COMM_LOST)
    assert not RsmpSite.objects.get(site_id="KK+AG0301").connected
    site.unplug(False)
    wait_for(lambda: _state(crossroad) == ControllerState.NORMAL, timeout=15)
    assert Alarm.objects.filter(kind="signal-communication").count() == 1
