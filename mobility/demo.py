"""Demo mobility: the ten DiviaPark car parks fed by the replayed 2023 series, the Divia-like
network with its real-time feeds, and the bike-sharing stations, all from the feed simulator.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from mobility import network, replay
from mobility.models import CarPark, Feed, FeedKind, TransitRoute, TransportOperatorContact
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
        log(
            f"no car parks: {replay.series_path()} is missing (the replayed series is real data;"
            " ONDIJON_REFERENCE_DATA_DIR names its folder)"
        )
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


# Incident categories of the demo that block a road where they are reported.
ROAD_BLOCKING_CATEGORIES = [
    "voirie-obstacle",
    "espaces-verts-arbre",
    "signalisation-feu",
    "eau-fuite",
    "securite-vehicule",
]

DEMO_FEEDS = [
    ("Divia — positions des véhicules (GTFS-RT)", FeedKind.GTFS_RT, "{simulator}/gtfs-rt/vehicle-positions.pb", 10, 120),
    ("Divia — mises à jour des courses (GTFS-RT)", FeedKind.GTFS_RT, "{simulator}/gtfs-rt/trip-updates.pb", 15, 120),
    ("Divia — alertes de service (GTFS-RT)", FeedKind.GTFS_RT, "{simulator}/gtfs-rt/alerts.pb", 30, 300),
    ("DiviaVélodi — stations (GBFS 3.0)", FeedKind.GBFS, "{simulator}/gbfs/3.0/gbfs.json", 60, 600),
]  # fmt: skip


def seed_transit(*, rng: random.Random, log: Callable[[str], None]) -> None:
    """The Divia-like network through the real GTFS import, and the real-time feeds."""
    if TransitRoute.objects.exists():
        log("transit network already present")
        return
    # Imported here: partridge brings pandas, which the web process need not load.
    from mobility.services.gtfs import gtfs_import

    archive = network.write_gtfs(Path(settings.VAR_DIR) / "demo-gtfs-divia.zip")
    result = gtfs_import(path=archive, file_name="demo-gtfs-divia.zip")
    if not result.accepted:
        raise RuntimeError(f"The demo GTFS was refused: {result.problems[:3]}")
    for name, kind, url, every, stale_after in DEMO_FEEDS:
        Feed.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "url": url,
                "poll_seconds": every,
                "stale_after_seconds": stale_after,
            },
        )
    for category_code in ROAD_BLOCKING_CATEGORIES:
        TransportOperatorContact.objects.get_or_create(
            category_code=category_code,
            defaults={
                "recipient_name": "PC exploitation Divia",
                "email": "pc-exploitation@divia.example",
            },
        )
    log(f"transit network: {result.counts}; {len(DEMO_FEEDS)} real-time feeds")
