"""Reads about the territory: communes, where a point lies, who is competent there."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max
from django.utils.translation import gettext as _

from hypervisor import geo
from hypervisor.models import Commune, RoutingRule


def commune_index() -> geo.CommuneIndex:
    fingerprint = tuple(
        Commune.objects.aggregate(n=Count("id"), changed=Max("updated_at")).values()
    )
    return geo.commune_index(
        fingerprint,
        lambda: list(Commune.objects.values_list("insee", "name", "geometry")),
    )


def commune_at(*, lat: float, lon: float) -> str | None:
    """INSEE code of the commune at this point, or None outside the territory."""
    return commune_index().locate(lat, lon)


def territory_contains(*, lat: float, lon: float) -> bool:
    return commune_at(lat=lat, lon=lon) is not None


def commune_names() -> dict[str, str]:
    return dict(Commune.objects.values_list("insee", "name"))


def communes_geojson() -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": commune.insee,
                "geometry": commune.geometry,
                "properties": {
                    "insee": commune.insee,
                    "name": commune.name,
                    "population": commune.population,
                },
            }
            for commune in Commune.objects.all()
        ],
    }


def territory_is_loaded() -> bool:
    return Commune.objects.exists()


@dataclass(frozen=True)
class RoutingDecision:
    """Who is competent for a category at a place, and why."""

    service_id: int | None
    service_name: str
    rule_id: int | None
    commune_id: int | None
    commune_insee: str | None
    reason: str

    @property
    def routed(self) -> bool:
        return self.service_id is not None


def routing_decide(*, category_code: str, lat: float | None, lon: float | None) -> RoutingDecision:
    """A commune-specific rule beats a territory-wide one; precedence breaks ties."""
    insee = commune_at(lat=lat, lon=lon) if lat is not None and lon is not None else None
    commune_id = Commune.objects.filter(insee=insee).values_list("id", flat=True).first()
    if lat is not None and insee is None:
        # Not our public space: no territory-wide rule applies there.
        return RoutingDecision(
            service_id=None,
            service_name="",
            rule_id=None,
            commune_id=None,
            commune_insee=None,
            reason=_("The location is outside the territory."),
        )
    rules = RoutingRule.objects.filter(category_code=category_code, service__active=True)
    candidates = [rule for rule in rules.select_related("commune", "service")]
    specific = [rule for rule in candidates if rule.commune and rule.commune.insee == insee]
    general = [rule for rule in candidates if rule.commune is None]
    for pool in (specific, general):
        if pool:
            rule = max(pool, key=lambda r: (r.precedence, -r.pk))
            scope = rule.commune.name if rule.commune else _("whole territory")
            return RoutingDecision(
                service_id=rule.service_id,
                service_name=rule.service.name,
                rule_id=rule.pk,
                commune_id=commune_id,
                commune_insee=insee,
                reason=_("Rule #%(id)s (%(scope)s)") % {"id": rule.pk, "scope": scope},
            )
    reason = _("No routing rule for this category here.")
    return RoutingDecision(
        service_id=None,
        service_name="",
        rule_id=None,
        commune_id=commune_id,
        commune_insee=insee,
        reason=reason,
    )


def demo_is_seeded() -> bool:
    """The reference configuration (services) is there: seeding again would be a no-op."""
    from hypervisor.models import Service

    return Service.objects.exists()


def commune_random_point(
    *, rng: random.Random, weighted_by_population: bool = True
) -> tuple[float, float]:
    """A random place in the territory, denser where more people live (for simulators)."""
    communes = list(Commune.objects.values_list("geometry", "population"))
    weights = [max(population, 1) for _geometry, population in communes]
    geometry, _population = rng.choices(
        communes, weights=weights if weighted_by_population else None
    )[0]
    return geo.random_point_in(geometry, rng)
