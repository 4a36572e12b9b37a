"""Car-park feeds over real HTTP: mapping, history, refused values, failures, staleness."""

from __future__ import annotations

import json
from datetime import timedelta

import time_machine
from django.utils import timezone

from hypervisor.models import Alarm, Event
from mobility.layers import car_park_feature
from mobility.models import CarParkReading, CarParkState, FeedHealth, FeedKind, FeedLogEntry
from mobility.services import car_parks
from mobility.services.polling import feed_poll, feeds_poll_due
from tests.mobility.factories import CarParkFactory, CarParkFeedFactory


def _records(*records: dict[str, object]) -> str:
    return json.dumps({"records": list(records)})


def _at(minutes_ago: int = 0) -> str:
    return (timezone.now() - timedelta(minutes=minutes_ago)).isoformat()


def test_a_json_feed_updates_the_car_park_through_its_field_mapping(db, feed_server) -> None:
    car_park = CarParkFactory(source_id="DARCY", capacity=400)
    feed = car_park.feed
    feed.url = feed_server.answer(
        "/p.json", _records({"id": "DARCY", "occupancy_percent": 61, "updated_at": _at()})
    )
    feed.save()
    assert feed_poll(feed=feed) is True
    car_park.refresh_from_db()
    assert car_park.occupancy_percent == 61.0
    assert car_park.free_spaces == 156
    assert car_park.state == CarParkState.FREE
    assert CarParkReading.objects.filter(car_park=car_park, valid=True).count() == 1
    feed.refresh_from_db()
    assert feed.health == FeedHealth.OK


def test_a_csv_feed_with_free_spaces_is_read_against_the_capacity(db, feed_server) -> None:
    feed = CarParkFeedFactory(
        kind=FeedKind.CAR_PARKS_CSV,
        records_path="",
        id_field="parking",
        percent_field="",
        free_field="places_libres",
        capacity_field="capacite",
        timestamp_field="",
        csv_delimiter=";",
    )
    car_park = CarParkFactory(feed=feed, source_id="TIVOLI", capacity=480)
    feed.url = feed_server.answer(
        "/p.csv", "parking;places_libres;capacite\nTIVOLI;120;480\n", content_type="text/csv"
    )
    feed.save()
    assert feed_poll(feed=feed) is True
    car_park.refresh_from_db()
    assert car_park.occupancy_percent == 75.0


def test_a_negative_value_is_refused_and_the_last_good_occupancy_kept(db, feed_server) -> None:
    car_park = CarParkFactory(source_id="MALRAUX")
    feed = car_park.feed
    feed.url = feed_server.answer(
        "/p.json", _records({"id": "MALRAUX", "occupancy_percent": 40, "updated_at": _at(10)})
    )
    feed.save()
    feed_poll(feed=feed)
    feed_server.answer(
        "/p.json", _records({"id": "MALRAUX", "occupancy_percent": -45, "updated_at": _at(0)})
    )
    feed_poll(feed=feed)
    car_park.refresh_from_db()
    assert car_park.occupancy_percent == 40.0
    assert car_park.out_of_range is True
    assert car_park.last_refused_value == -45.0
    assert CarParkReading.objects.get(car_park=car_park, value_percent=-45).valid is False
    assert Event.objects.filter(kind="car_park.value_out_of_range").count() == 1


def test_a_value_back_in_range_clears_the_out_of_range_alarm(
    db, feed_server, django_capture_on_commit_callbacks
) -> None:
    car_park = CarParkFactory(source_id="DARCY")
    feed = car_park.feed
    feed.url = feed_server.answer(
        "/p.json", _records({"id": "DARCY", "occupancy_percent": -3, "updated_at": _at(10)})
    )
    feed.save()
    with django_capture_on_commit_callbacks(execute=True):
        feed_poll(feed=feed)
    alarm = Alarm.objects.get(kind="car-park-out-of-range", asset_id=car_park.reference)
    assert alarm.state == "active"
    feed_server.answer(
        "/p.json", _records({"id": "DARCY", "occupancy_percent": 30, "updated_at": _at(0)})
    )
    with django_capture_on_commit_callbacks(execute=True):
        feed_poll(feed=feed)
    alarm.refresh_from_db()
    assert alarm.state == "cleared"


def test_a_feed_answering_404_fails_clearly_and_keeps_the_last_state(db, feed_server) -> None:
    car_park = CarParkFactory(source_id="DARCY")
    feed = car_park.feed
    feed.url = feed_server.answer(
        "/p.json", _records({"id": "DARCY", "occupancy_percent": 55, "updated_at": _at()})
    )
    feed.save()
    assert feed_poll(feed=feed) is True
    feed.url = feed_server.url + "/gone.json"
    feed.save()
    assert feed_poll(feed=feed) is False
    feed.refresh_from_db()
    car_park.refresh_from_db()
    assert feed.health == FeedHealth.FAILING
    assert "HTTP 404" in feed.last_error
    assert car_park.occupancy_percent == 55.0
    assert FeedLogEntry.objects.filter(feed=feed, ok=False).count() == 1
    assert Event.objects.filter(kind="mobility_feed.failed", asset_id=str(feed.pk)).count() == 1


def test_a_feed_answering_an_html_page_is_refused_with_a_clear_error(db, feed_server) -> None:
    feed = CarParkFeedFactory()
    feed.url = feed_server.answer(
        "/p.json", "<!DOCTYPE html><html><body>Maintenance</body></html>", content_type="text/html"
    )
    feed.save()
    assert feed_poll(feed=feed) is False
    feed.refresh_from_db()
    assert "HTML page" in feed.last_error


def test_a_feed_answering_broken_json_is_refused_with_a_clear_error(db, feed_server) -> None:
    feed = CarParkFeedFactory()
    feed.url = feed_server.answer("/p.json", '{"records": [')
    feed.save()
    assert feed_poll(feed=feed) is False
    feed.refresh_from_db()
    assert "not valid JSON" in feed.last_error


def test_an_unreachable_feed_does_not_stop_the_poller(db, feed_server) -> None:
    broken = CarParkFeedFactory(url="http://127.0.0.1:9/nothing.json")
    working = CarParkFactory(source_id="GRANGIER").feed
    working.url = feed_server.answer(
        "/p.json", _records({"id": "GRANGIER", "occupancy_percent": 20, "updated_at": _at()})
    )
    working.save()
    assert feeds_poll_due() == 2
    broken.refresh_from_db()
    working.refresh_from_db()
    assert broken.health == FeedHealth.FAILING
    assert working.health == FeedHealth.OK


def test_one_unreadable_record_is_named_and_the_others_applied(db, feed_server) -> None:
    car_park = CarParkFactory(source_id="MONGE")
    feed = car_park.feed
    feed.url = feed_server.answer(
        "/p.json",
        _records(
            {"id": "MONGE", "occupancy_percent": 30, "updated_at": _at()},
            {"id": "X", "occupancy_percent": "lots", "updated_at": _at()},
        ),
    )
    feed.save()
    assert feed_poll(feed=feed) is True
    car_park.refresh_from_db()
    feed.refresh_from_db()
    assert car_park.occupancy_percent == 30.0
    assert any("Record 2 refused" in warning for warning in feed.warnings)


def test_a_car_park_silent_for_an_hour_is_shown_stale_not_current(db, feed_server) -> None:
    car_park = CarParkFactory(source_id="DARCY")
    feed = car_park.feed
    feed.url = feed_server.answer(
        "/p.json", _records({"id": "DARCY", "occupancy_percent": 50, "updated_at": _at()})
    )
    feed.save()
    feed_poll(feed=feed)
    assert car_parks.car_parks_detect_stale() == 0
    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        assert car_parks.car_parks_detect_stale() == 1
    car_park.refresh_from_db()
    assert car_park.stale is True
    assert car_park_feature(car_park)["status"] == "car_park_stale"
    assert Event.objects.filter(kind="car_park.went_stale").count() == 1


def test_a_feed_without_new_data_goes_stale(db, feed_server) -> None:
    car_park = CarParkFactory(source_id="DARCY")
    feed = car_park.feed
    feed.stale_after_seconds = 600
    feed.url = feed_server.answer(
        "/p.json", _records({"id": "DARCY", "occupancy_percent": 50, "updated_at": _at(30)})
    )
    feed.save()
    feed_poll(feed=feed)
    feed.refresh_from_db()
    assert feed.stale is True
    assert Event.objects.filter(kind="mobility_feed.went_stale").count() == 1


def test_a_car_park_reaching_full_raises_the_full_event(db, feed_server) -> None:
    car_park = CarParkFactory(source_id="DAUPHINE")
    feed = car_park.feed
    feed.url = feed_server.answer(
        "/p.json", _records({"id": "DAUPHINE", "occupancy_percent": 99, "updated_at": _at()})
    )
    feed.save()
    feed_poll(feed=feed)
    car_park.refresh_from_db()
    assert car_park.state == CarParkState.FULL
    assert Event.objects.filter(kind="car_park.filled").count() == 1


def test_the_same_value_for_a_day_raises_the_flat_line_event(db) -> None:
    car_park = CarParkFactory(source_id="CONDORCET")
    start = timezone.now() - timedelta(hours=30)
    samples = [
        car_parks.CarParkSample(
            source_id="CONDORCET", observed_at=start + timedelta(minutes=30 * i), percent=70
        )
        for i in range(0, 60)
    ]
    car_parks.car_parks_apply_samples(feed=car_park.feed, samples=samples[:40])
    car_park.refresh_from_db()
    assert car_park.flatlined is False
    car_parks.car_parks_apply_samples(feed=car_park.feed, samples=samples[40:])
    car_park.refresh_from_db()
    assert car_park.flatlined is True
    assert Event.objects.filter(kind="car_park.flatlined").count() == 1


def test_the_feed_error_is_written_in_french_for_french_operators(db, feed_server) -> None:
    from django.utils import translation

    feed = CarParkFeedFactory(url=feed_server.url + "/gone.json")
    with translation.override("fr"):
        feed_poll(feed=feed)
    feed.refresh_from_db()
    assert feed.last_error == "Le flux a répondu HTTP 404 au lieu de données."
