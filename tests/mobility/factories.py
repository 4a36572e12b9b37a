from __future__ import annotations

import factory

from mobility.models import CarPark, Feed, FeedKind


class CarParkFeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feed

    name = factory.Sequence(lambda n: f"Car parks {n}")
    kind = FeedKind.CAR_PARKS_JSON
    url = "http://127.0.0.1:9/car-parks.json"
    records_path = "records"
    id_field = "id"
    percent_field = "occupancy_percent"
    timestamp_field = "updated_at"


class CarParkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CarPark

    reference = factory.Sequence(lambda n: f"car-park-{n}")
    name = factory.Sequence(lambda n: f"Parking {n}")
    lat = 47.3225
    lon = 5.0355
    capacity = 400
    commune_insee = "21231"
    feed = factory.SubFactory(CarParkFeedFactory)
    source_id = factory.Sequence(lambda n: f"P{n}")
