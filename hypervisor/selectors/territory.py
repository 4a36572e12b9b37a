"""Reads about the territory: communes, where a point lies, who is competent there."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max
from django.utils.translation import gettext as _
from shapely import prepared
from shapely.geometry import Point, shape

from hypervisor import geo
from hypervisor.models import Commune, RoutingRule, Sector
from hypervisor.territory import rfc7946_wound


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
                # Rewound on output too: communes loaded by an older version kept the source's
                # winding.
                "geometry": rfc7946_wound(commune.geometry),
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


_sector_lock = threading.Lock()
_sector_cache: dict[str, object] = {}


def _sector_index() -> list[tuple[str, prepared.PreparedGeometry]]:
    """Prepared sector polygons, rebuilt only when the sectors table changes."""
    fingerprint = tuple(Sector.objects.aggregate(n=Count("id"), changed=Max("updated_at")).values())
    with _sector_lock:
        if _sector_cache.get("fingerprint") != fingerprint:
            _sector_cache["index"] = [
                (code, prepared.prep(shape(geometry)))
                for code, geometry in Sector.objects.order_by("code").values_list(
                    "code", "geometry"
                )
            ]
            _sector_cache["fingerprint"] = fingerprint
        return _sector_cache["index"]  # type: ignore[return-value]


def sectors_at(*, lat: float, lon: float) -> list[str]:
    """Codes of the sectors covering the point (its edge included), sorted."""
    point = Point(lon, lat)
    return [code for code, polygon in _sector_index() if polygon.covers(point)]


@dataclass(frozen=True)
class RoutingDecision:
    """Who is competent for a category at a place, and why.

    `unroutable` is empty when a service was found, otherwise a stable code ("outside",
    "no_rule") that callers translate for the operator queue.
    """

    service_id: int | None
    service_name: str
    rule_id: int | None
    commune_id: int | None
    commune_insee: str | None
    reason: str
    sector_code: str | None = None
    unroutable: str = ""

    @property
    def routed(self) -> bool:
        return self.service_id is not None


def routing_decide(*, category_code: str, lat: float | None, lon: float | None) -> RoutingDecision:
    """Pick the competent service: sector rule, then commune rule, then territory-wide rule.

    Within one scope the highest precedence wins; among equals the oldest rule (lowest id)
    and, for overlapping sectors, the lowest sector code, so the answer never depends on
    the order rows come back from SQL. A point on a boundary belongs to the commune with the
    lowest INSEE code (see `geo.CommuneIndex.locate`) and to every sector whose edge it is on.
    """
    located = lat is not None and lon is not None
    insee = commune_at(lat=lat, lon=lon) if located else None  # type: ignore[arg-type]
    commune_id = Commune.objects.filter(insee=insee).values_list("id", flat=True).first()
    if located and insee is None:
        # Not our public space: no territory-wide rule applies there.
        return RoutingDecision(
            service_id=None,
            service_name="",
            rule_id=None,
            commune_id=None,
            commune_insee=None,
            reason=_("The location is outside the territory."),
            unroutable="outside",
        )
    sectors = sectors_at(lat=lat, lon=lon) if located else []  # type: ignore[arg-type]
    rules = RoutingRule.objects.filter(category_code=category_code, service__active=True)
    candidates = list(rules.select_related("commune", "sector", "service"))
    in_sector = [rule for rule in candidates if rule.sector and rule.sector.code in sectors]
    in_commune = [
        rule
        for rule in candidates
        if rule.sector is None and rule.commune and rule.commune.insee == insee
    ]
    general = [rule for rule in candidates if rule.sector is None and rule.commune is None]
    for pool in (in_sector, in_commune, general):
        if not pool:
            continue
        rule = min(pool, key=lambda r: (-r.precedence, r.sector.code if r.sector else "", r.pk))
        if rule.sector:
            scope = rule.sector.name
        elif rule.commune:
            scope = rule.commune.name
        else:
            scope = _("whole territory")
        return RoutingDecision(
            service_id=rule.service_id,
            service_name=rule.service.name,
            rule_id=rule.pk,
            commune_id=commune_id,
            commune_insee=insee,
            reason=_("Rule #%(id)s (%(scope)s)") % {"id": rule.pk, "scope": scope},
            sector_code=rule.sector.code if rule.sector else None,
        )
    return RoutingDecision(
        service_id=None,
        service_name="",
        rule_id=None,
        commune_id=commune_id,
        commune_insee=insee,
        reason=_("No routing rule for this category here."),
        unroutable="no_rule",
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


def service_ids_by_code() -> dict[str, int]:
    """Competent services' ids by code (apps seed crews and rules against them)."""
    from hypervisor.models import Service

    return dict(Service.objects.values_list("code", "id"))
