"""The citizens' search box: communes, streets and addresses of the territory."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from hypervisor.models import Commune, Place
from hypervisor.places import search_text

MIN_QUERY_LENGTH = 2
MAX_WORDS = 6
# Communes matching the query come first, but never crowd out streets and addresses.
MAX_COMMUNES = 3
# A number typed with a street name is looked for in this many of the best streets.
MAX_STREETS_NUMBERED = 5


def _words_match(text: str, words: list[str]) -> bool:
    padded = f" {text}"
    return all(f" {word}" in padded for word in words)


def _communes(needle: str, words: list[str]) -> list[dict[str, Any]]:
    found = []
    # The boundaries stay in the database: only names and label points are read.
    for name, lat, lon in Commune.objects.order_by("name").values_list(
        "name", "label_lat", "label_lon"
    ):
        plain = search_text(name)
        if _words_match(plain, words):
            found.append((not plain.startswith(needle), name, lat, lon))
    found.sort(key=lambda row: row[0])
    return [
        {"label": name, "kind": "commune", "lat": lat, "lon": lon, "commune": name}
        for _rank, name, lat, lon in found
    ]


def _place(place: Place) -> dict[str, Any]:
    return {
        "label": place.label,
        "kind": "address" if place.housenumber else "street",
        "lat": place.lat,
        "lon": place.lon,
        "commune": place.commune.name,
    }


def _every_word(words: list[str]) -> Q:
    condition = Q()
    for word in words:
        condition &= Q(search__startswith=word) | Q(search__contains=f" {word}")
    return condition


def _places(needle: str, words: list[str], limit: int) -> list[Place]:
    """Places for the query, best first, reading few rows whatever the gazetteer's size.

    1. What starts with the query as typed ("12 rue de la libe"): a range of the prefix index.
    2. Streets having every other word in any order ("monge dijon"): only street-level
       rows are read (a few thousand for a metropolis, against tens of thousands of
       addresses), through their partial index.
    3. Numbers of the best streets (the street-and-number index): the number typed
       ("liberte 12"), or else the first numbers of the best street, after it.
    """
    # The commune's name only: its boundary is large and not needed here.
    rows = Place.objects.select_related("commune").defer("commune__geometry")
    found = list(rows.filter(search__startswith=needle).order_by("search")[:limit])
    numbers = [word for word in words if word.isdigit() and len(word) < 5]
    names = [word for word in words if word not in numbers]
    if len(found) >= limit or not names:
        return found
    streets = list(
        rows.filter(_every_word(names), housenumber="").order_by("street", "commune__name")[:limit]
    )
    best = streets[: MAX_STREETS_NUMBERED if numbers else 1]
    addresses: list[Place] = []
    if best:
        same_street = Q()
        for street in best:
            same_street |= Q(commune_id=street.commune_id, street=street.street)
        numbered = rows.filter(same_street).exclude(housenumber="")
        if numbers:
            numbered = numbered.filter(_every_word(numbers))
        addresses = list(
            numbered.order_by("street", "commune__name", "number", "housenumber")[:limit]
        )
    ranked = [*addresses, *streets] if numbers else [*streets, *addresses]
    seen = {place.pk for place in found}
    for place in ranked:
        if place.pk not in seen:
            found.append(place)
            seen.add(place.pk)
    return found[:limit]


def place_search(*, query: str, limit: int = 10) -> list[dict[str, Any]]:
    """Up to `limit` places for what the citizen typed; accents, case and word order aside.

    Communes come first (at most three when streets or addresses also match), then streets
    (before their numbers) and addresses. With no address loaded, communes alone answer.
    """
    needle = search_text(query)
    if len(needle) < MIN_QUERY_LENGTH:
        return []
    words = needle.split()[:MAX_WORDS]
    communes = _communes(needle, words)
    places = [_place(place) for place in _places(needle, words, limit)]
    return (communes[: max(MAX_COMMUNES, limit - len(places))] + places)[:limit]


def places_count() -> int:
    return Place.objects.count()
