"""The demo end to end: the feed simulator serves the replayed DiviaPark series over HTTP,
the poller reads it, and the series' real faults raise their alarms."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from hypervisor.models import Alarm
from mobility import demo
from mobility.feed_simulator import serve_in_thread
from mobility.models import CarPark, Feed, TransitRoute, TransitVehicle
from mobility.services.polling import feeds_poll_due

# A Friday noon: the default replay week maps it onto Friday 22 September 2023, when
# Malraux reads negative values all day.
FRIDAY_NOON = datetime(2026, 12, 4, 12, 0, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture
def simulator(settings) -> Iterator[None]:
    server = serve_in_thread()
    settings.MOBILITY_SIMULATOR_URL = f"http://127.0.0.1:{server.server_port}"
    settings.MOBILITY_REPLAY_WEEK = "2023-09-18"
    yield
    server.shutdown()
    server.server_close()


def test_the_replayed_series_raises_the_alarms_of_its_real_faults(
    db, simulator, diviapark_series, django_capture_on_commit_callbacks
) -> None:
    with time_machine.travel(FRIDAY_NOON, tick=True):
        with django_capture_on_commit_callbacks(execute=True):
            demo.seed_car_parks(rng=random.Random(1), log=lambda _message: None)
        with django_capture_on_commit_callbacks(execute=True):
            assert feeds_poll_due() == 1
    assert Feed.objects.get().last_error == ""
    alarms = set(Alarm.objects.values_list("kind", "asset_id"))
    assert ("car-park-flatlined", "dauphine") in alarms
    assert ("car-park-full", "dauphine") in alarms
    assert ("car-park-out-of-range", "malraux") in alarms
    # Positive control: a car park that behaves raises none.
    assert not {kind for kind, asset in alarms if asset == "clemenceau"}
    assert CarPark.objects.get(reference="clemenceau").occupancy_percent is not None


def test_the_demo_network_runs_vehicles_from_the_simulator(
    db, simulator, tmp_path, settings
) -> None:
    settings.VAR_DIR = tmp_path
    demo.seed_transit(rng=random.Random(1), log=lambda _message: None)
    assert TransitRoute.objects.filter(route_type=0).count() == 2
    with time_machine.travel(FRIDAY_NOON, tick=True):
        feeds_poll_due()
    assert TransitVehicle.objects.filter(route_id="T1").exists()
    assert all(feed.last_error == "" for feed in Feed.objects.all())


def test_the_embedded_poller_checks_staleness_every_half_minute_not_every_second(
    db, monkeypatch
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from mobility import simulation

    calls: list[bool] = []
    monkeypatch.setattr(simulation, "_last_staleness_check", [])
    monkeypatch.setattr(
        simulation, "feeds_poll_due", lambda *, check_staleness: calls.append(check_staleness)
    )
    start = timezone.now()
    for second in range(61):
        simulation.tick(now=start + timedelta(seconds=second), elapsed=1.0, rng=random.Random(1))
    assert calls.count(True) == 3
    assert len(calls) == 61
