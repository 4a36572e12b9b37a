from __future__ import annotations

import factory

from lighting.models import Cabinet, LightPoint, StreetClass, Technology


class CabinetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cabinet

    reference = factory.Sequence(lambda n: f"ARM-T-{n:04d}")
    commune_insee = "21231"
    lat = 47.322
    lon = 5.041
    circuits = 2
    meter_id = factory.Sequence(lambda n: f"PDL{n:014d}")


class LightPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LightPoint

    reference = factory.Sequence(lambda n: f"LP-T-{n:05d}")
    cabinet = factory.SubFactory(CabinetFactory)
    commune_insee = "21231"
    street = "rue de la Liberté"
    street_class = StreetClass.RESIDENTIAL
    # Wrapped so that however many points a test run creates, they stay in central Dijon.
    lat = factory.Sequence(lambda n: 47.32 + n % 500 * 1e-4)
    lon = factory.Sequence(lambda n: 5.04 + n % 500 * 1e-4)
    technology = Technology.LED
    wattage = 50
    baseline_wattage = 150
