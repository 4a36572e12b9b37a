"""CPU of one GTFS-Realtime poll: 300 vehicles (positions and trip updates in one message),
fetched over HTTP from another process, parsed with the official bindings, checked, stored
and pushed to the screens; beside the bare protobuf parse of the same bytes.

    DATABASE_URL=… REDIS_URL=… .venv/bin/python bench/gtfs_rt_poll.py [--polls 30]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (
    free_port,
    header,
    percentile,
    save,
    setup_django,
    start,
    stop,
    wait_for_port,
)


def messages(polls: int, vehicles: int) -> list[bytes]:
    from google.transit import gtfs_realtime_pb2

    from mobility import network

    trips = [trip_id for trip_id, *_rest in network.trips()][:vehicles]
    stops = list(network.STOPS.values())
    rng = random.Random(1)
    places = {trip: rng.choice(stops)[1:] for trip in trips}
    now = int(time.time())
    found = []
    for poll in range(polls):
        message = gtfs_realtime_pb2.FeedMessage()
        message.header.gtfs_realtime_version = "2.0"
        message.header.timestamp = now + poll * 10
        for index, trip_id in enumerate(trips):
            lat, lon = places[trip_id]
            # About 20 km/h: some 55 m every 10 s.
            places[trip_id] = (lat + rng.uniform(-3e-4, 3e-4), lon + rng.uniform(-4e-4, 4e-4))
            entity = message.entity.add()
            entity.id = f"v{index}"
            entity.vehicle.trip.trip_id = trip_id
            entity.vehicle.vehicle.id = f"veh-{index}"
            entity.vehicle.position.latitude, entity.vehicle.position.longitude = places[trip_id]
            entity.vehicle.timestamp = now + poll * 10
            update = message.entity.add()
            update.id = f"t{index}"
            update.trip_update.trip.trip_id = trip_id
            update.trip_update.delay = rng.randint(-60, 600)
        found.append(message.SerializeToString())
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--polls", type=int, default=30)
    parser.add_argument("--vehicles", type=int, default=300)
    options = parser.parse_args()
    setup_django(inventory=False)
    header(f"GTFS-Realtime poll, {options.vehicles} vehicles")

    from google.transit import gtfs_realtime_pb2

    from mobility import network
    from mobility.models import Feed, FeedKind, TransitRoute
    from mobility.services.gtfs import gtfs_import
    from mobility.services.polling import feed_poll

    if not TransitRoute.objects.exists():
        with tempfile.TemporaryDirectory() as folder:
            gtfs_import(path=network.write_gtfs(Path(folder) / "gtfs.zip"))
    bodies = messages(options.polls + 1, options.vehicles)
    with tempfile.TemporaryDirectory() as folder:
        for index, body in enumerate(bodies):
            (Path(folder) / f"{index}.pb").write_bytes(body)
        port = free_port()
        server = start(
            [
                sys.executable,
                "-m",
                "http.server",
                str(port),
                "--bind",
                "127.0.0.1",
                "--directory",
                folder,
            ],
            quiet=True,
        )
        try:
            wait_for_port(port, server)
            feed, _created = Feed.objects.get_or_create(
                name="bench GTFS-RT", defaults={"kind": FeedKind.GTFS_RT, "url": ""}
            )
            cpu, wall = [], []
            for index in range(len(bodies)):
                feed.url = f"http://127.0.0.1:{port}/{index}.pb"
                feed.save(update_fields=["url"])
                started_cpu, started_wall = time.process_time(), time.perf_counter()
                assert feed_poll(feed=feed), feed.last_error
                if index:  # the first poll creates the vehicles
                    cpu.append((time.process_time() - started_cpu) * 1000)
                    wall.append((time.perf_counter() - started_wall) * 1000)
        finally:
            stop(server)
    parse = []
    for body in bodies:
        started = time.process_time()
        gtfs_realtime_pb2.FeedMessage.FromString(body)
        parse.append((time.process_time() - started) * 1000)
    figures = {
        "vehicles": options.vehicles,
        "polls": len(cpu),
        "cpu_ms_median": round(percentile(cpu, 0.5), 1),
        "cpu_ms_p95": round(percentile(cpu, 0.95), 1),
        "wall_ms_median": round(percentile(wall, 0.5), 1),
        "bare_parse_cpu_ms_median": round(percentile(parse, 0.5), 2),
        "bytes": len(bodies[0]),
    }
    for key, value in figures.items():
        print(f"{key}: {value}")
    save("gtfs_rt_poll", figures)


if __name__ == "__main__":
    main()
