"""Territory, competent services and the routing table."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from shapely.geometry import shape

from hypervisor.models import Commune, RoutingRule, Sector, Service
from hypervisor.territory import CommuneRecord


@dataclass(frozen=True)
class TerritoryLoadResult:
    created: int
    updated: int


@transaction.atomic
def territory_load(*, communes: list[CommuneRecord]) -> TerritoryLoadResult:
    """Create or update the communes, all or nothing (records are validated beforehand)."""
    created = updated = 0
    for record in communes:
        min_lon, min_lat, max_lon, max_lat = shape(record.geometry).bounds
        commune, was_created = Commune.objects.update_or_create(
            insee=record.insee,
            defaults={
                "name": record.name,
                "population": record.population,
                "geometry": record.geometry,
                "label_lat": record.label_lat,
                "label_lon": record.label_lon,
                "min_lat": min_lat,
                "max_lat": max_lat,
                "min_lon": min_lon,
                "max_lon": max_lon,
                "approximated": record.approximated,
            },
        )
        commune.full_clean()
        created += was_created
        updated += not was_created
    return TerritoryLoadResult(created=created, updated=updated)


@transaction.atomic
def service_ensure(*, code: str, name: str, email: str = "") -> Service:
    """The service with this code, created or renamed to match."""
    service, _created = Service.objects.get_or_create(code=code, defaults={"name": name})
    if service.name != name or (email and service.email != email):
        service.name = name
        service.email = email or service.email
    service.full_clean()
    service.save()
    return service


@transaction.atomic
def sector_ensure(*, code: str, name: str, geometry: dict) -> Sector:
    """The sector with this code, created or updated to this name and area."""
    if not shape(geometry).is_valid:
        raise ValueError(f"Sector {code}: the area is not a valid polygon")
    sector, _created = Sector.objects.update_or_create(
        code=code, defaults={"name": name, "geometry": geometry}
    )
    sector.full_clean()
    return sector


@transaction.atomic
def routing_rule_set(
    *,
    category_code: str,
    service_code: str,
    commune_insee: str | None = None,
    sector_code: str | None = None,
    precedence: int = 0,
) -> RoutingRule:
    """Point a category (in one sector, one commune, or everywhere) to a service."""
    service = Service.objects.get(code=service_code)
    commune = Commune.objects.get(insee=commune_insee) if commune_insee else None
    sector = Sector.objects.get(code=sector_code) if sector_code else None
    rule, _created = RoutingRule.objects.update_or_create(
        category_code=category_code,
        commune=commune,
        sector=sector,
        precedence=precedence,
        defaults={"service": service},
    )
    rule.full_clean()
    return rule
