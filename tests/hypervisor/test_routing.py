from __future__ import annotations

import pytest
from shapely.geometry import shape

from hypervisor import selectors, services
from hypervisor.models import Commune
from tests.hypervisor.factories import ServiceFactory

DIJON_CENTRE = (47.3220, 5.0415)
QUETIGNY_CENTRE = (47.3141, 5.1060)
FAR_AWAY = (48.8566, 2.3522)  # Paris


@pytest.fixture
def commune_centres(territory) -> dict[str, tuple[float, float]]:
    return {c.insee: (c.label_lat, c.label_lon) for c in Commune.objects.all()}


def test_a_commune_rule_beats_the_territory_wide_rule(
    reference_configuration, commune_centres
) -> None:
    lat, lon = commune_centres["21231"]  # Dijon
    decision = selectors.routing_decide(category_code="espaces-verts-arbre", lat=lat, lon=lon)
    assert decision.service_name == "Espaces verts — Ville de Dijon"
    assert decision.commune_insee == "21231"


def test_the_territory_wide_rule_applies_in_other_communes(
    reference_configuration, commune_centres
) -> None:
    lat, lon = commune_centres["21515"]  # Quetigny
    decision = selectors.routing_decide(category_code="espaces-verts-arbre", lat=lat, lon=lon)
    assert decision.service_name == "Espaces verts métropolitains"
    assert decision.rule_id is not None


def test_higher_precedence_wins_within_the_same_scope(
    reference_configuration, commune_centres
) -> None:
    ServiceFactory(code="eclairage-nuit", name="Astreinte éclairage")
    services.routing_rule_set(
        category_code="eclairage-panne", service_code="eclairage-nuit", precedence=10
    )
    lat, lon = commune_centres["21515"]
    decision = selectors.routing_decide(category_code="eclairage-panne", lat=lat, lon=lon)
    assert decision.service_name == "Astreinte éclairage"


def test_a_place_outside_the_territory_is_not_routed_and_says_why(
    english, reference_configuration
) -> None:
    decision = selectors.routing_decide(
        category_code="eclairage-panne", lat=FAR_AWAY[0], lon=FAR_AWAY[1]
    )
    assert not decision.routed
    assert "outside" in decision.reason


def test_a_category_without_rule_is_not_routed_and_says_why(
    english, reference_configuration, commune_centres
) -> None:
    lat, lon = commune_centres["21231"]
    decision = selectors.routing_decide(category_code="unknown", lat=lat, lon=lon)
    assert not decision.routed
    assert "No routing rule" in decision.reason


def test_a_point_on_a_shared_boundary_always_goes_to_the_same_commune(territory) -> None:
    dijon = shape(Commune.objects.get(insee="21231").geometry)
    neighbour_insee, shared_edge = next(
        (commune.insee, dijon.boundary.intersection(shape(commune.geometry).boundary))
        for commune in Commune.objects.exclude(insee="21231")
        if dijon.boundary.intersection(shape(commune.geometry).boundary).length > 0.001
    )
    lines = getattr(shared_edge, "geoms", [shared_edge])
    longest = max(
        (line for line in lines if line.geom_type == "LineString"), key=lambda line: line.length
    )
    point = longest.interpolate(0.5, normalized=True)
    answers = {selectors.commune_at(lat=point.y, lon=point.x) for _ in range(5)}
    # Both communes cover the point; the lowest INSEE code wins, every time.
    assert answers == {min("21231", neighbour_insee)}


def test_a_point_just_outside_the_edge_belongs_to_the_nearest_commune(territory) -> None:
    dijon = Commune.objects.get(insee="21231")
    outline = shape(Commune.objects.exclude(insee="21231").first().geometry)
    assert dijon  # the territory is loaded
    lon, lat = outline.exterior.coords[0]
    nudged = selectors.commune_at(lat=lat, lon=lon)
    assert nudged is not None
