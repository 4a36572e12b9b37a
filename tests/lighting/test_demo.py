"""The demo inventory at Dijon scale, deterministic, and a simulator that stays cheap."""

from __future__ import annotations

import random

import pytest

from lighting import demo, simulation
from lighting.models import Cabinet, LightPoint, MonthlyEnergy


def _seed(seed: int) -> None:
    demo.seed_lighting(rng=random.Random(seed), log=lambda _message: None)


def test_the_demo_has_about_35000_light_points_under_about_1200_cabinets(territory) -> None:
    _seed(1)
    assert 34_000 <= LightPoint.objects.count() <= 36_000
    assert 1_150 <= Cabinet.objects.count() <= 1_250
    assert MonthlyEnergy.objects.exists()


def test_dijon_gets_most_light_points_as_it_has_most_inhabitants(territory, monkeypatch) -> None:
    monkeypatch.setattr(demo, "LIGHT_POINTS", 3_000)
    monkeypatch.setattr(demo, "CABINETS", 120)
    _seed(2)
    in_dijon = LightPoint.objects.filter(commune_insee="21231").count()
    assert in_dijon > LightPoint.objects.count() * 0.4


def test_the_same_seed_gives_the_same_inventory(territory, monkeypatch) -> None:
    monkeypatch.setattr(demo, "LIGHT_POINTS", 1_500)
    monkeypatch.setattr(demo, "CABINETS", 60)
    _seed(3)
    first = list(LightPoint.objects.order_by("reference").values_list("reference", "lat", "lon"))
    MonthlyEnergy.objects.all().delete()
    LightPoint.objects.all().delete()
    Cabinet.objects.all().delete()
    _seed(3)
    second = list(LightPoint.objects.order_by("reference").values_list("reference", "lat", "lon"))
    assert first == second


def test_a_simulator_tick_touches_a_few_rows_with_few_queries(
    territory, monkeypatch, django_assert_max_num_queries
) -> None:
    monkeypatch.setattr(demo, "LIGHT_POINTS", 1_500)
    monkeypatch.setattr(demo, "CABINETS", 60)
    _seed(4)
    from django.utils import timezone

    with django_assert_max_num_queries(40):
        simulation.tick(now=timezone.now(), elapsed=1.0, rng=random.Random(5))


@pytest.mark.parametrize("seed", [11])
def test_a_day_of_simulation_makes_some_lamps_fail(territory, monkeypatch, seed) -> None:
    monkeypatch.setattr(demo, "LIGHT_POINTS", 1_500)
    monkeypatch.setattr(demo, "CABINETS", 60)
    _seed(seed)
    from django.utils import timezone

    rng = random.Random(seed)
    for _hour in range(24):
        simulation.tick(now=timezone.now(), elapsed=3600, rng=rng)
    assert LightPoint.objects.exclude(status="ok").exists()


def test_each_demo_street_becomes_one_place_at_the_centre_of_its_lamps(territory) -> None:
    import random

    from hypervisor import selectors as hypervisor_selectors
    from lighting.demo import seed_street_places
    from tests.lighting.factories import LightPointFactory

    LightPointFactory(street="rue Monge", lat=47.3190, lon=5.0360)
    LightPointFactory(street="rue Monge", lat=47.3200, lon=5.0370)
    LightPointFactory(street="rue Monge", commune_insee="21166", lat=47.2900, lon=5.0050)
    LightPointFactory(street="", lat=47.33, lon=5.05)
    seed_street_places(rng=random.Random(1), log=lambda _message: None)
    found = hypervisor_selectors.place_search(query="rue monge")
    # Same name in two communes: the larger commune first.
    assert [(place["label"], place["kind"]) for place in found] == [
        ("rue Monge, Dijon", "street"),
        ("rue Monge, Chenôve", "street"),
    ]
    assert (found[0]["lat"], found[0]["lon"]) == (47.3195, 5.0365)
