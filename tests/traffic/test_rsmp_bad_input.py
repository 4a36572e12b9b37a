"""Bad input from a site: a MessageNotAck with the reason, the connection kept where the
specification says so, and the other sites not slowed down."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.traffic.factories import CrossroadFactory
from tests.traffic.rsmp_harness import RawSite, RsmpHarness, wait_for
from tests.traffic.rsmp_schemas import require_rsmp_schemas, schema_errors
from traffic.models import Crossroad, RsmpSite
from traffic.rsmp import protocol

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def rsmp(transactional_db) -> Iterator[RsmpHarness]:  # type: ignore[no-untyped-def]
    require_rsmp_schemas()
    harness = RsmpHarness(watchdog_interval=1.0, ack_timeout=2.0, rate=20, burst=40)
    yield harness
    harness.stop()


@pytest.fixture
def raw(rsmp) -> Iterator[RawSite]:  # type: ignore[no-untyped-def]
    site = RawSite(rsmp.port)
    site.handshake("KK+RAW")
    yield site
    site.close()


def _not_ack_for(raw: RawSite, message_id: str) -> dict:  # type: ignore[type-arg]
    return raw.receive_until(lambda m: m.get("oMId") == message_id and m["type"] != "Version")


def test_malformed_json_is_refused_with_its_reason_and_the_connection_kept(raw):
    raw.send(
        b'{"mType":"rSMsg","type":"Watchdog","mId":"6f0f3f4c-0d45-4a0e-9b7c-d1c2b1a0e001",\x0c'
    )
    answer = raw.receive_until(lambda m: m["type"] == "MessageNotAck")
    assert "Malformed JSON" in answer["rea"]
    assert schema_errors(answer) == []
    watchdog = protocol.watchdog()
    raw.send(watchdog)
    assert _not_ack_for(raw, watchdog["mId"])["type"] == "MessageAck"


def test_an_unknown_message_type_is_refused_with_its_reason(raw):
    message = {"mType": "rSMsg", "type": "Gossip", "mId": protocol.new_id()}
    raw.send(message)
    answer = _not_ack_for(raw, message["mId"])
    assert answer["type"] == "MessageNotAck"
    assert "Unknown message type" in answer["rea"]


def test_an_unknown_alarm_code_is_refused_as_an_sxl_mismatch(raw):
    alarm = protocol.alarm_issue(
        component="KK+RAW", code="A0999", active=True, acknowledged=False, suspended=False,
        priority=2, category="D", values={},
    )  # fmt: skip
    raw.send(alarm)
    answer = _not_ack_for(raw, alarm["mId"])
    assert answer["type"] == "MessageNotAck"
    assert "A0999" in answer["rea"]


def test_a_status_of_an_unknown_component_is_refused_and_the_link_kept(raw):
    update = protocol.status_values(
        component="KK+RAW.SG99", values=[("S0014", "status", "2", "recent")], response=False
    )
    raw.send(update)
    answer = _not_ack_for(raw, update["mId"])
    assert answer["type"] == "MessageNotAck"
    assert "Unknown component" in answer["rea"]
    watchdog = protocol.watchdog()
    raw.send(watchdog)
    assert _not_ack_for(raw, watchdog["mId"])["type"] == "MessageAck"


def test_a_wrong_version_is_refused_with_the_reason_and_the_connection_closed(rsmp):
    site = RawSite(rsmp.port)
    version = protocol.version(site_id="KK+OLD", versions=("3.1.1",))
    site.send(version)
    answer = site.receive_until(lambda m: m["type"] == "MessageNotAck")
    assert answer["oMId"] == version["mId"]
    assert "3.1.1" in answer["rea"]
    assert schema_errors(answer) == []
    assert site.closed()


def test_messages_before_the_version_exchange_get_no_acknowledgement(rsmp):
    site = RawSite(rsmp.port)
    site.send(protocol.watchdog())
    assert site.receive(timeout=0.5) is None
    version = protocol.version(site_id="KK+LATE")
    site.send(version)
    assert site.receive_until(lambda m: m["type"] == "MessageAck")["oMId"] == version["mId"]
    site.close()


def test_a_flooding_site_is_refused_past_its_rate_and_another_site_is_not_slowed(rsmp):
    crossroad = CrossroadFactory(reference="CAR-201")
    RsmpSite.objects.create(site_id="KK+CALM", crossroad=crossroad)
    calm = rsmp.site("KK+CALM")
    wait_for(lambda: Crossroad.objects.get(pk=crossroad.pk).time_plan is not None)
    flood = RawSite(rsmp.port)
    flood.handshake("KK+FLOOD")
    flood.send(b"".join(protocol.encode(protocol.watchdog()) for _ in range(400)))
    refused = flood.receive_until(lambda m: m["type"] == "MessageNotAck", timeout=10)
    assert "Rate limit" in refused["rea"]
    started = time.monotonic()
    rsmp.call(calm.set_time_plan(7, source="operator_panel"))
    wait_for(lambda: Crossroad.objects.get(pk=crossroad.pk).time_plan == 7, timeout=5)
    assert time.monotonic() - started < 2
    flood.close()


def test_a_half_open_connection_is_detected_by_the_watchdog(rsmp):
    crossroad = CrossroadFactory(reference="CAR-202")
    RsmpSite.objects.create(site_id="KK+SILENT", crossroad=crossroad)
    silent = RawSite(rsmp.port)
    silent.handshake("KK+SILENT")
    wait_for(lambda: RsmpSite.objects.get(site_id="KK+SILENT").connected)
    # The site stops answering without closing (a cable cut): no ack, no watchdog.
    record = wait_for(
        lambda: RsmpSite.objects.filter(site_id="KK+SILENT", connected=False).first(), timeout=10
    )
    assert "acknowledgement" in record.disconnect_reason or "watchdog" in record.disconnect_reason
    assert Crossroad.objects.get(pk=crossroad.pk).state == "comm_lost"
    silent.close()
