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


def _square(lat: float, lon: float, half: float = 0.005) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [
            [
                [lon - half, lat - half],
                [lon + half, lat - half],
                [lon + half, lat + half],
                [lon - half, lat + half],
                [lon - half, lat - half],
            ]
        ],
    }


@pytest.fixture
def historic_centre(reference_configuration):  # type: ignore[no-untyped-def]
    """A sector around Dijon's centre where the city's own crews handle street lights."""
    from hypervisor.services.territory import sector_ensure

    ServiceFactory(code="eclairage-secteur", name="Éclairage du secteur sauvegardé")
    sector_ensure(
        code="secteur-sauvegarde", name="Secteur sauvegardé", geometry=_square(*DIJON_CENTRE)
    )
    services.routing_rule_set(
        category_code="eclairage-panne",
        service_code="eclairage-secteur",
        sector_code="secteur-sauvegarde",
    )


def test_a_sector_rule_beats_the_commune_and_territory_rules(historic_centre) -> None:
    services.routing_rule_set(
        category_code="eclairage-panne", service_code="voirie", commune_insee="21231", precedence=99
    )
    decision = selectors.routing_decide(
        category_code="eclairage-panne", lat=DIJON_CENTRE[0], lon=DIJON_CENTRE[1]
    )
    assert decision.service_name == "Éclairage du secteur sauvegardé"
    assert decision.sector_code == "secteur-sauvegarde"
    assert decision.commune_insee == "21231"


def test_outside_the_sector_the_commune_rule_applies_again(historic_centre) -> None:
    decision = selectors.routing_decide(
        category_code="eclairage-panne", lat=DIJON_CENTRE[0] + 0.02, lon=DIJON_CENTRE[1]
    )
    assert decision.service_name == "Éclairage public"
    assert decision.sector_code is None


def test_a_point_on_a_sector_edge_belongs_to_the_sector(historic_centre) -> None:
    on_edge = (DIJON_CENTRE[0] + 0.005, DIJON_CENTRE[1])
    decision = selectors.routing_decide(
        category_code="eclairage-panne", lat=on_edge[0], lon=on_edge[1]
    )
    assert decision.sector_code == "secteur-sauvegarde"


def test_overlapping_sectors_resolve_to_the_lowest_code_every_time(historic_centre) -> None:
    from hypervisor.services.territory import sector_ensure

    sector_ensure(code="a-travaux", name="Zone de travaux", geometry=_square(*DIJON_CENTRE, 0.002))
    services.routing_rule_set(
        category_code="eclairage-panne", service_code="voirie", sector_code="a-travaux"
    )
    answers = {
        selectors.routing_decide(
            category_code="eclairage-panne", lat=DIJON_CENTRE[0], lon=DIJON_CENTRE[1]
        ).sector_code
        for _ in range(5)
    }
    assert answers == {"a-travaux"}


def test_precedence_beats_the_sector_code_among_overlapping_sectors(historic_centre) -> None:
    from hypervisor.services.territory import sector_ensure

    sector_ensure(code="a-travaux", name="Zone de travaux", geometry=_square(*DIJON_CENTRE, 0.002))
    services.routing_rule_set(
        category_code="eclairage-panne", service_code="voirie", sector_code="a-travaux"
    )
    services.routing_rule_set(
        category_code="eclairage-panne",
        service_code="eclairage",
        sector_code="secteur-sauvegarde",
        precedence=5,
    )
    decision = selectors.routing_decide(
        category_code="eclairage-panne", lat=DIJON_CENTRE[0], lon=DIJON_CENTRE[1]
    )
    assert decision.service_name == "Éclairage public"


def test_every_category_is_routed_in_every_commune(reference_configuration, commune_centres):
    from incidents.demo import CATEGORIES

    unrouted = [
        (code, insee)
        for code, *_rest in CATEGORIES
        for insee, (lat, lon) in commune_centres.items()
        if not selectors.routing_decide(category_code=code, lat=lat, lon=lon).routed
    ]
    assert unrouted == []


def test_a_report_without_location_uses_the_territory_wide_rule(reference_configuration) -> None:
    decision = selectors.routing_decide(category_code="espaces-verts-arbre", lat=None, lon=None)
    assert decision.service_name == "Espaces verts métropolitains"


def test_an_unroutable_decision_carries_a_stable_reason_code(reference_configuration) -> None:
    outside = selectors.routing_decide(
        category_code="eclairage-panne", lat=FAR_AWAY[0], lon=FAR_AWAY[1]
    )
    no_rule = selectors.routing_decide(
        category_code="unknown", lat=DIJON_CENTRE[0], lon=DIJON_CENTRE[1]
    )
    assert (outside.unroutable, no_rule.unroutable) == ("outside", "no_rule")


def test_a_point_on_the_dijon_boundary_is_routed_by_the_commune_that_owns_it(
    reference_configuration,
) -> None:
    dijon = shape(Commune.objects.get(insee="21231").geometry)
    neighbour = next(
        commune
        for commune in Commune.objects.exclude(insee="21231").order_by("insee")
        if dijon.boundary.intersection(shape(commune.geometry).boundary).length > 0.001
    )
    services.routing_rule_set(
        category_code="espaces-verts-arbre", service_code="voirie", commune_insee=neighbour.insee
    )
    edge = dijon.boundary.intersection(shape(neighbour.geometry).boundary)
    lines = [line for line in getattr(edge, "geoms", [edge]) if line.geom_type == "LineString"]
    point = max(lines, key=lambda line: line.length).interpolate(0.5, normalized=True)
    owner = min("21231", neighbour.insee)
    expected = "Espaces verts — Ville de Dijon" if owner == "21231" else "Voirie métropolitaine"
    decisions = {
        selectors.routing_decide(
            category_code="espaces-verts-arbre", lat=point.y, lon=point.x
        ).service_name
        for _ in range(3)
    }
    assert decisions == {expected}
