"""The gazetteer: streets and addresses the citizens' search box finds."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from hypervisor.models import Commune, Place
from hypervisor.places import AddressRecord, StreetRecord, search_text

BATCH = 2_000


@dataclass(frozen=True)
class PlacesLoadResult:
    addresses: int
    streets: int


def _place(
    commune: Commune,
    *,
    source: str,
    street: str,
    lat: float,
    lon: float,
    housenumber: str = "",
    number: int | None = None,
    postcode: str = "",
) -> Place:
    label = f"{housenumber} {street}".strip()
    return Place(
        label=f"{label}, {commune.name}"[:250],
        street=street[:200],
        housenumber=housenumber,
        number=number,
        postcode=postcode,
        commune=commune,
        lat=round(lat, 6),
        lon=round(lon, 6),
        search=search_text(f"{label} {postcode} {commune.name}")[:300],
        source=source,
    )


def _communes(insee_codes: set[str]) -> dict[str, Commune]:
    communes = {commune.insee: commune for commune in Commune.objects.filter(insee__in=insee_codes)}
    unknown = sorted(insee_codes - communes.keys())
    if unknown:
        raise ValueError(f"Not communes of the territory: {', '.join(unknown)}")
    return communes


def _replace(source: str, places: list[Place]) -> None:
    # Rows were checked when read; a per-row full_clean would query the commune each time.
    Place.objects.filter(source=source).delete()
    Place.objects.bulk_create(places, batch_size=BATCH)


@transaction.atomic
def places_load_addresses(*, records: Sequence[AddressRecord]) -> PlacesLoadResult:
    """Replace the addresses from the Base Adresse Nationale, all or nothing.

    Each street also gets one place of its own, at the centre of its addresses, so that
    typing a street name finds the street before its numbers.
    """
    communes = _communes({record.commune_insee for record in records})
    by_street: dict[tuple[str, str], list[AddressRecord]] = defaultdict(list)
    places = []
    for record in records:
        by_street[(record.commune_insee, record.street)].append(record)
        if record.number is None:
            continue
        places.append(
            _place(
                communes[record.commune_insee],
                source=Place.Source.BAN,
                street=record.street,
                lat=record.lat,
                lon=record.lon,
                housenumber=record.housenumber,
                number=record.number,
                postcode=record.postcode,
            )
        )
    addresses = len(places)
    for (insee, street), numbers in sorted(by_street.items()):
        places.append(
            _place(
                communes[insee],
                source=Place.Source.BAN,
                street=street,
                lat=sum(record.lat for record in numbers) / len(numbers),
                lon=sum(record.lon for record in numbers) / len(numbers),
                postcode=numbers[0].postcode,
            )
        )
    _replace(Place.Source.BAN, places)
    return PlacesLoadResult(addresses=addresses, streets=len(by_street))


@transaction.atomic
def places_set_demo_streets(*, streets: Sequence[StreetRecord]) -> int:
    """Replace the demo's streets (one place per street, no house numbers)."""
    communes = _communes({street.commune_insee for street in streets})
    _replace(
        Place.Source.DEMO,
        [
            _place(
                communes[street.commune_insee],
                source=Place.Source.DEMO,
                street=street.street,
                lat=street.lat,
                lon=street.lon,
            )
            for street in streets
        ],
    )
    return len(streets)
