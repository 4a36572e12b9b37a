"""The real 2023 DiviaPark series: its faults meet the data-quality checks; the forecast
beats persistence on it; the replay keeps weekday and time of day."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from hypervisor.models import Event
from mobility import forecast, replay
from mobility.models import CarPark
from mobility.services import car_parks
from tests.mobility.factories import CarParkFactory, CarParkFeedFactory


def _replay_window(series, feed, start: str, end: str) -> None:  # type: ignore[no-untyped-def]
    first, last = datetime.fromisoformat(start), datetime.fromisoformat(end)
    samples = [
        car_parks.CarParkSample(
            source_id=reference, observed_at=timezone.make_aware(at), percent=value
        )
        for reference, values in series.items()
        for at, value in values
        if first <= at <= last
    ]
    car_parks.car_parks_apply_samples(feed=feed, samples=samples)


def _car_parks(feed) -> None:  # type: ignore[no-untyped-def]
    for reference in replay.DIVIAPARK_CAR_PARKS:
        CarParkFactory(feed=feed, source_id=reference, reference=reference.lower())


def test_the_august_freeze_flat_lines_every_car_park(db, diviapark_series) -> None:
    feed = CarParkFeedFactory()
    _car_parks(feed)
    _replay_window(diviapark_series, feed, "2023-08-09T06:00", "2023-08-10T14:00")
    assert set(CarPark.objects.filter(flatlined=True).values_list("source_id", flat=True)) == set(
        replay.DIVIAPARK_CAR_PARKS
    )


def test_dauphine_reading_100_percent_throughout_is_full_and_flat_lined(
    db, diviapark_series
) -> None:
    feed = CarParkFeedFactory()
    _car_parks(feed)
    _replay_window(diviapark_series, feed, "2023-09-18T00:00", "2023-09-19T06:00")
    dauphine = CarPark.objects.get(source_id="DAUPHINE")
    assert dauphine.flatlined is True
    assert dauphine.state == "full"
    # Positive control: the car parks that move are not flat-lined.
    assert CarPark.objects.get(source_id="DARCY").flatlined is False


def test_the_negative_values_of_darcy_and_malraux_are_refused(db, diviapark_series) -> None:
    feed = CarParkFeedFactory()
    _car_parks(feed)
    _replay_window(diviapark_series, feed, "2023-06-20T16:00", "2023-06-21T12:00")
    _replay_window(diviapark_series, feed, "2023-09-21T12:00", "2023-09-21T20:00")
    refused = Event.objects.filter(kind="car_park.value_out_of_range")
    assert set(refused.values_list("asset_id", flat=True)) == {"darcy", "malraux"}
    assert CarPark.objects.get(source_id="CLEMENCEAU").out_of_range is False


def test_the_forecast_beats_persistence_on_the_real_series(diviapark_series) -> None:
    result = forecast.backtest(diviapark_series, test_from=datetime(2023, 8, 21))
    assert result.samples[60] > 10_000
    assert result.mae_forecast[60] < result.mae_persistence[60]
    assert result.mae_forecast[30] < result.mae_persistence[30]
    assert result.full_hits_forecast > 0


def test_the_replay_keeps_the_weekday_and_time_of_day(settings) -> None:
    settings.MOBILITY_REPLAY_WEEK = "2023-09-18"
    now = timezone.make_aware(datetime(2026, 12, 4, 15, 20))
    original = replay.Replay.for_now(now).original(now)
    assert original.weekday() == timezone.localtime(now).weekday()
    assert (original.hour, original.minute) == (
        timezone.localtime(now).hour,
        timezone.localtime(now).minute,
    )
    assert original.date().isoformat() == "2023-09-22"


def test_the_replayed_feed_serves_the_sample_of_this_moment(settings, diviapark_series) -> None:
    now = timezone.now()
    records = replay.latest_samples(now=now)
    assert {record["id"] for record in records} == set(replay.DIVIAPARK_CAR_PARKS)
    for record in records:
        shown = datetime.fromisoformat(str(record["updated_at"]))
        assert now - timedelta(hours=3) <= shown <= now
