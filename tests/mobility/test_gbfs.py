"""GBFS 2.3 and 3.0 over real HTTP, from the demo simulator and from broken servers."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import time_machine
from django.utils import timezone

from mobility.feed_simulator import serve_in_thread
from mobility.layers import bike_station_feature
from mobility.models import BikeStation, BikeStationState, Feed, FeedHealth, FeedKind
from mobility.services.feeds import feeds_detect_stale
from mobility.services.polling import feed_poll
from mobility.transit_simulation import BIKE_STATIONS


@pytest.fixture
def simulator() -> Iterator[str]:
    server = serve_in_thread()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def _feed(url: str) -> Feed:
    return Feed.objects.create(name=url, kind=FeedKind.GBFS, url=url, stale_after_seconds=600)


@pytest.mark.parametrize("version", ["2.3", "3.0"])
def test_stations_and_their_status_are_read(db, simulator, version) -> None:
    feed = _feed(f"{simulator}/gbfs/{version}/gbfs.json")
    assert feed_poll(feed=feed) is True
    stations = BikeStation.objects.filter(feed=feed)
    assert stations.count() == len(BIKE_STATIONS)
    darcy = stations.get(station_id="1")
    assert darcy.name == "Darcy"
    assert darcy.bikes_available is not None
    assert darcy.bikes_available + (darcy.docks_available or 0) == 20
    assert darcy.state != BikeStationState.STALE


def test_an_empty_station_is_shown_empty(db, feed_server) -> None:
    feed = _feed(feed_server.url + "/gbfs.json")
    now = timezone.now().isoformat()
    feeds = [
        {"name": "station_information", "url": "/info.json"},
        {"name": "station_status", "url": "/status.json"},
    ]
    station = {"station_id": "a", "name": [{"text": "Darcy", "language": "fr"}]}
    status = {"station_id": "a", "num_vehicles_available": 0, "num_docks_available": 10}
    status |= {"is_installed": True, "is_renting": True, "is_returning": True}
    for path, data in (
        ("/gbfs.json", {"feeds": feeds}),
        ("/info.json", {"stations": [station | {"lat": 47.32, "lon": 5.03, "capacity": 10}]}),
        ("/status.json", {"stations": [status | {"last_reported": now}]}),
    ):
        document = {"last_updated": now, "ttl": 0, "version": "3.0", "data": data}
        feed_server.answer(path, json.dumps(document))
    assert feed_poll(feed=feed) is True
    station = BikeStation.objects.get(feed=feed)
    assert station.state == BikeStationState.EMPTY
    assert bike_station_feature(station)["status"] == "bike_empty"


def test_a_discovery_file_answering_404_fails_clearly(db, feed_server) -> None:
    feed = _feed(feed_server.url + "/missing/gbfs.json")
    assert feed_poll(feed=feed) is False
    feed.refresh_from_db()
    assert feed.health == FeedHealth.FAILING
    assert "HTTP 404" in feed.last_error


def test_a_silent_feed_turns_its_stations_stale(db, simulator) -> None:
    feed = _feed(f"{simulator}/gbfs/3.0/gbfs.json")
    feed_poll(feed=feed)
    assert not BikeStation.objects.filter(state=BikeStationState.STALE).exists()
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=15)):
        assert feeds_detect_stale() == 1
    assert BikeStation.objects.filter(feed=feed, state=BikeStationState.STALE).count() == len(
        BIKE_STATIONS
    )
