from __future__ import annotations

import factory

from traffic.models import Bollard, Camera, Crossroad


class CrossroadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Crossroad

    reference = factory.Sequence(lambda n: f"CAR-T-{n:03d}")
    name = "boulevard de Sévigné × avenue Victor Hugo"
    commune_insee = "21231"
    lat = 47.323
    lon = 5.027
    controller_id = factory.Sequence(lambda n: f"CTRL-{n:04d}")


class CameraFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Camera

    reference = factory.Sequence(lambda n: f"CAM-T-{n:03d}")
    name = "place François Rude"
    commune_insee = "21231"
    lat = 47.3225
    lon = 5.0405
    bearing = 90
    field_of_view = 75
    kind = Camera.Kind.FIXED
    purpose = Camera.Purpose.PROTECTION
    retention_days = 30


class BollardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bollard

    reference = factory.Sequence(lambda n: f"BOR-T-{n:03d}")
    name = "Borne rue de la Liberté"
    access_point = "rue de la Liberté"
    commune_insee = "21231"
    lat = 47.3220
    lon = 5.0380
