"""Demo mobility: the ten DiviaPark car parks fed by the replayed 2023 series, the Divia-like
network with its real-time feeds, and the bike-sharing stations, all from the feed simulator.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from mobility import replay
from mobility.models import CarPark, Feed, FeedKind
from mobility.services import car_parks

logger = logging.getLogger(__name__)
HISTORY_DAYS = 28
DIJON_INSEE = "21231"


@transaction.atomic
def seed_car_parks(*, rng: random.Random, log: Callable[[str], None]) -> None:
    if CarPark.objects.exists():
        log("car parks already present")
        return
    if not replay.series_path().exists():
        log(f"no car parks: {replay.series_path()} is missing (the replayed series is real data)")
        return
    feed = Feed(
        name="DiviaPark — occupation des parkings",
        kind=FeedKind.CAR_PARKS_JSON,
        url="{simulator}/car-parks.json",
        poll_seconds=60,
        stale_after_seconds=3600,
        records_path="records",
        id_field="id",
        percent_field="occupancy_percent",
        timestamp_field="updated_at",
    )
    feed.full_clean()
    feed.save()
    now = timezone.now()
    history = replay.history_before(now=now, days=HISTORY_DAYS)
    for reference, (name, lat, lon, capacity, address) in replay.DIVIAPARK_CAR_PARKS.items():
        car_park = car_parks.car_park_create(
            reference=reference.lower(),
            name=name,
            lat=lat,
            lon=lon,
            capacity=capacity,
            operator="Divia Mobilités",
            commune_insee=DIJON_INSEE,
            address=address,
            feed=feed,
            source_id=reference,
        )
        # The newest sample is left for the poller, which applies it with every check.
        samples = history.get(reference, [])[:-1]
        car_parks.car_park_history_load(car_park=car_park, samples=samples)
        good = [(at, value) for at, value in samples if 0 <= value <= 100][-1:]
        if good:
            car_parks.car_parks_apply_samples(
                feed=feed,
                samples=[
                    car_parks.CarParkSample(
                        source_id=reference, observed_at=good[0][0], percent=good[0][1]
                    )
                ],
            )
    log(f"{len(replay.DIVIAPARK_CAR_PARKS)} car parks with {HISTORY_DAYS} days of replayed history")
