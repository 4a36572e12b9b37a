"""GTFS-Realtime over real HTTP with real protobuf (the official bindings on both sides)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from google.transit import gtfs_realtime_pb2

from hypervisor.models import Event
from mobility import network, selectors, transit_simulation
from mobility.models import Feed, FeedHealth, FeedKind, TransitAlert, TransitVehicle
from mobility.services.gtfs import gtfs_import
from mobility.services.polling import feed_poll

# 09:00 local on a weekday: every line runs.
pytestmark = pytest.mark.usefixtures("demo_network")


@pytest.fixture
def demo_network(db, tmp_path) -> None:
    gtfs_import(path=network.write_gtfs(tmp_path / "gtfs.zip"))


def _feed(url: str) -> Feed:
    return Feed.objects.create(
        name=f"rt {url}", kind=FeedKind.GTFS_RT, url=url, stale_after_seconds=120
    )


def _morning() -> float:
    local = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    return local.timestamp()


def _message(*, at: float | None = None) -> gtfs_realtime_pb2.FeedMessage:
    message = gtfs_realtime_pb2.FeedMessage()
    message.header.gtfs_realtime_version = "2.0"
    message.header.timestamp = int(at or time.time())
    return message


def _vehicle(message, vehicle_id: str, trip_id: str, lat: float, lon: float, at: float) -> None:  # type: ignore[no-untyped-def]
    entity = message.entity.add()
    entity.id = vehicle_id
    entity.vehicle.vehicle.id = vehicle_id
    entity.vehicle.trip.trip_id = trip_id
    entity.vehicle.position.latitude = lat
    entity.vehicle.position.longitude = lon
    entity.vehicle.timestamp = int(at)


def test_the_simulated_vehicles_are_read_with_their_lines(feed_server) -> None:
    now = time.time()
    feed = _feed(feed_server.answer("/vp.pb", transit_simulation.vehicle_positions(now)))
    assert feed_poll(feed=feed) is True
    vehicles = TransitVehicle.objects.filter(feed=feed)
    assert vehicles.count() > 0
    assert set(vehicles.values_list("route_id", flat=True)) <= set(network.LINES)
    for lat, lon in vehicles.values_list("lat", "lon"):
        assert 47.28 < lat < 47.37
        assert 4.99 < lon < 5.12


def test_trip_updates_give_the_delay_per_line(feed_server) -> None:
    morning = _morning()
    feed = _feed(feed_server.answer("/tu.pb", transit_simulation.trip_updates(morning)))
    feed.stale_after_seconds = 10**9
    feed.save()
    assert feed_poll(feed=feed) is True
    at = datetime.fromtimestamp(morning, tz=UTC)
    lines = {line["route_id"]: line for line in selectors.delay_per_line(now=at)}
    assert {"T1", "T2"} <= set(lines)
    assert all(line["trips"] > 0 for line in lines.values())


def test_a_simulated_disruption_becomes_an_alert_on_its_line_then_ends(feed_server) -> None:
    period = next(
        p
        for p in range(int(time.time() // 1800), int(time.time() // 1800) + 1000)
        if transit_simulation.disruption(p * 1800 + 60)
    )
    during, after = period * 1800 + 60, period * 1800 + 1000
    trouble = transit_simulation.disruption(during)
    assert trouble is not None
    assert transit_simulation.disruption(after) is None
    feed = _feed(feed_server.answer("/al.pb", transit_simulation.service_alerts(during)))
    feed.stale_after_seconds = 10**9
    feed.save()
    feed_poll(feed=feed)
    alert = TransitAlert.objects.get(feed=feed, active=True)
    assert alert.route_ids == [trouble["route_id"]]
    assert alert.header.startswith(f"Ligne {network.LINES[str(trouble['route_id'])][0]}")
    assert alert.lat is not None
    assert Event.objects.filter(kind="transit_alert.published").count() == 1
    feed_server.answer("/al.pb", transit_simulation.service_alerts(after))
    feed_poll(feed=feed)
    alert.refresh_from_db()
    assert alert.active is False
    assert Event.objects.filter(kind="transit_alert.ended").count() == 1


def test_a_corrupt_protobuf_fails_clearly_and_keeps_the_vehicles(feed_server) -> None:
    now = time.time()
    feed = _feed(feed_server.answer("/vp.pb", transit_simulation.vehicle_positions(now)))
    feed_poll(feed=feed)
    count = TransitVehicle.objects.filter(feed=feed).count()
    feed_server.answer(
        "/vp.pb", b"\x08\x96\x01garbage\xff\xff\xff", content_type="application/x-protobuf"
    )
    assert feed_poll(feed=feed) is False
    feed.refresh_from_db()
    assert feed.health == FeedHealth.FAILING
    assert "not a valid GTFS-Realtime protobuf message" in feed.last_error
    assert TransitVehicle.objects.filter(feed=feed).count() == count
    assert Event.objects.filter(kind="mobility_feed.failed").count() == 1


def test_a_message_without_header_is_refused(feed_server) -> None:
    message = gtfs_realtime_pb2.FeedMessage()
    message.entity.add().id = "x"
    feed = _feed(feed_server.answer("/vp.pb", message.SerializePartialToString()))
    assert feed_poll(feed=feed) is False
    feed.refresh_from_db()
    assert "header" in feed.last_error


def test_an_html_page_instead_of_protobuf_is_refused(feed_server) -> None:
    feed = _feed(
        feed_server.answer("/vp.pb", "<html><body>Login</body></html>", content_type="text/html")
    )
    assert feed_poll(feed=feed) is False
    feed.refresh_from_db()
    assert "HTML page" in feed.last_error


def test_a_vehicle_on_an_unknown_trip_degrades_the_feed_quality(feed_server) -> None:
    now = time.time()
    message = _message(at=now)
    _vehicle(message, "v1", "T1-0-0330", 47.3225, 5.0356, now)
    _vehicle(message, "v2", "NOT-IN-GTFS", 47.3241, 5.0392, now)
    feed = _feed(feed_server.answer("/vp.pb", message.SerializeToString()))
    feed_poll(feed=feed)
    feed.refresh_from_db()
    assert any("NOT-IN-GTFS" in warning for warning in feed.warnings)
    assert Event.objects.filter(kind="transit_feed.quality_degraded").count() == 1
    clean = _message(at=now + 10)
    _vehicle(clean, "v1", "T1-0-0330", 47.3226, 5.0357, now + 10)
    feed_server.answer("/vp.pb", clean.SerializeToString())
    feed_poll(feed=feed)
    assert Event.objects.filter(kind="transit_feed.quality_restored").count() == 1


def test_a_vehicle_jumping_kilometres_in_seconds_is_flagged(feed_server) -> None:
    now = time.time()
    first = _message(at=now - 10)
    _vehicle(first, "v1", "T1-0-0330", 47.3225, 5.0356, now - 10)
    feed = _feed(feed_server.answer("/vp.pb", first.SerializeToString()))
    feed_poll(feed=feed)
    second = _message(at=now)
    _vehicle(second, "v1", "T1-0-0330", 47.3150, 5.1105, now)  # Quetigny, 6 km away
    feed_server.answer("/vp.pb", second.SerializeToString())
    feed_poll(feed=feed)
    feed.refresh_from_db()
    assert any("unrealistically fast" in warning for warning in feed.warnings)


def test_an_old_message_makes_the_feed_stale_and_hides_its_vehicles(feed_server) -> None:
    old = time.time() - 600
    message = _message(at=old)
    _vehicle(message, "v1", "T1-0-0330", 47.3225, 5.0356, old)
    feed = _feed(feed_server.answer("/vp.pb", message.SerializeToString()))
    feed_poll(feed=feed)
    feed.refresh_from_db()
    assert feed.stale is True
    assert TransitVehicle.objects.filter(feed=feed).count() == 1
    assert not selectors.vehicles_current().filter(feed=feed).exists()
    # Positive control: a fresh message shows it again.
    fresh = _message()
    _vehicle(fresh, "v1", "T1-0-0330", 47.3225, 5.0356, time.time())
    feed_server.answer("/vp.pb", fresh.SerializeToString())
    feed_poll(feed=feed)
    assert (
        selectors.vehicles_current(now=timezone.now() + timedelta(seconds=1))
        .filter(feed=feed)
        .exists()
    )
