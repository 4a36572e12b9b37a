"""The address search box: communes, streets and addresses of the territory, best first.

People type addresses the way they say them: "12 rue monge", "pl darcy", "bd thiers",
"rue de la liberte dijon", "36 rue saumese". The query is read as a house number, words of
a street name (abbreviations expanded, spelling slips corrected against the gazetteer's own
words) and, when given, a commune. Streets are then ranked by how well their name matches,
the commune typed, the caller's commune and the size of the commune, and the number asked
for is looked up on the best streets.
"""

from __future__ import annotations

import difflib
import math
import threading
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, Min, Q

from hypervisor import geo
from hypervisor.models import Commune, Place
from hypervisor.places import search_text

MIN_QUERY_LENGTH = 2
MAX_WORDS = 8
# Communes matching the query come first, but never crowd out streets and addresses.
MAX_COMMUNES = 3
# A number typed with a street name is looked for in this many of the best streets.
MAX_STREETS_NUMBERED = 5
# Street-level rows read for one query before ranking them.
MAX_CANDIDATES = 200
# How close a mistyped word must be to a word of the gazetteer to be read as it.
SPELLING_CUTOFF = 0.75

ABBREVIATIONS = {
    "all": "allee",
    "av": "avenue",
    "ave": "avenue",
    "avn": "avenue",
    "bd": "boulevard",
    "bld": "boulevard",
    "blvd": "boulevard",
    "bvd": "boulevard",
    "boul": "boulevard",
    "ch": "chemin",
    "chem": "chemin",
    "crs": "cours",
    "dr": "docteur",
    "esp": "esplanade",
    "fbg": "faubourg",
    "fg": "faubourg",
    "gal": "general",
    "gen": "general",
    "imp": "impasse",
    "mal": "marechal",
    "pdt": "president",
    "pl": "place",
    "prof": "professeur",
    "r": "rue",
    "rte": "route",
    "sq": "square",
    "st": "saint",
    "ste": "sainte",
}
STREET_TYPES = frozenset(
    {
        "allee",
        "avenue",
        "boulevard",
        "chemin",
        "cours",
        "esplanade",
        "faubourg",
        "impasse",
        "parvis",
        "passage",
        "place",
        "promenade",
        "quai",
        "rond",
        "route",
        "rue",
        "ruelle",
        "sentier",
        "square",
        "voie",
    }
)
STOP_WORDS = frozenset({"a", "au", "aux", "d", "de", "des", "du", "en", "l", "la", "le", "les"})
NUMBER_SUFFIXES = frozenset({"bis", "ter", "quater", "b", "c"})


def _words(text: str) -> list[str]:
    """Plain words with abbreviations written out: "bd m de lattre" is "boulevard m de lattre"."""
    return [ABBREVIATIONS.get(word, word) for word in search_text(text).split()]


def _significant(words: list[str]) -> list[str]:
    return [word for word in words if word not in STOP_WORDS and word not in STREET_TYPES]


@dataclass(frozen=True)
class _Town:
    pk: int
    name: str
    words: tuple[str, ...]
    population: int
    lat: float
    lon: float


@dataclass
class _Query:
    """What the search box holds, read as an address."""

    words: list[str]  # the name's words, corrected, with street types and stop words
    number: int | None = None
    suffix: str = ""
    postcode: str = ""
    town: _Town | None = None  # the commune typed with the street
    whole_town: list[_Town] = field(default_factory=list)  # the query names a commune

    @property
    def significant(self) -> list[str]:
        return _significant(self.words)

    @property
    def street_types(self) -> set[str]:
        return {word for word in self.words if word in STREET_TYPES}


class _Vocabulary:
    """Every word of the gazetteer's street names and communes, to correct spelling slips.

    Kept in memory and rebuilt when the gazetteer is reloaded (its ids change).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: tuple[Any, ...] | None = None
        self._words: list[str] = []
        self._known: frozenset[str] = frozenset()

    def _current(self) -> None:
        version = tuple(Place.objects.aggregate(Min("id"), Max("id")).values())
        version += (Commune.objects.count(),)
        if version == self._version:
            return
        words: set[str] = set()
        streets = Place.objects.filter(housenumber="").values_list("street", flat=True).distinct()
        for street in streets.iterator():
            words.update(_words(street))
        for name in Commune.objects.values_list("name", flat=True):
            words.update(_words(name))
        words = {word for word in words if not word.isdigit()}
        with self._lock:
            self._words = sorted(words)
            self._known = frozenset(words)
            self._version = version

    def correct(self, word: str) -> str:
        """The word itself when the gazetteer knows it or a word starting with it, else the
        closest word of the gazetteer (a slip), else the word unchanged."""
        self._current()
        if word in self._known or word.isdigit() or len(word) < 3:
            return word
        index = bisect_left(self._words, word)
        if index < len(self._words) and self._words[index].startswith(word):
            return word
        close = difflib.get_close_matches(word, self._words, n=1, cutoff=SPELLING_CUTOFF)
        return close[0] if close else word


_vocabulary = _Vocabulary()


def _towns() -> list[_Town]:
    return [
        _Town(pk, name, tuple(_words(name)), population, lat, lon)
        for pk, name, population, lat, lon in Commune.objects.values_list(
            "pk", "name", "population", "label_lat", "label_lon"
        )
    ]


def _town_named(words: list[str], towns: list[_Town]) -> _Town | None:
    """The commune these words name: in full, or by its first word ("chevigny")."""
    if not words:
        return None
    for town in towns:
        if tuple(words) == town.words:
            return town
    if len(words) == 1 and len(words[0]) >= 4:
        starting = [town for town in towns if town.words[0] == words[0]]
        if len(starting) == 1:
            return starting[0]
    return None


def _towns_starting(words: list[str], towns: list[_Town]) -> list[_Town]:
    """Communes whose name has every typed word at the start of one of its words."""
    return sorted(
        (
            town
            for town in towns
            if all(any(part.startswith(word) for part in town.words) for word in words)
        ),
        key=lambda town: (not " ".join(town.words).startswith(" ".join(words)), town.name),
    )


def _read(query: str, towns: list[_Town]) -> _Query:
    words = _words(query)[:MAX_WORDS]
    parsed = _Query(words=[])
    rest: list[str] = []
    skip_next = False
    for index, word in enumerate(words):
        if skip_next:
            skip_next = False
        elif word.isdigit() and len(word) == 5 and not parsed.postcode:
            parsed.postcode = word
        elif word.isdigit() and len(word) < 5 and parsed.number is None:
            parsed.number = int(word)
            following = words[index + 1] if index + 1 < len(words) else ""
            if following in NUMBER_SUFFIXES:
                parsed.suffix, skip_next = following, True
        else:
            rest.append(word)
    rest = [_vocabulary.correct(word) for word in rest]
    if parsed.number is None and parsed.postcode == "" and not (set(rest) & STREET_TYPES):
        parsed.whole_town = _towns_starting(rest, towns)
    # The commune is usually typed after the street, sometimes before it; it is read as a
    # commune only when a street name is left without it ("rue de talant" is a street).
    for size in (3, 2, 1):
        for start, end in ((len(rest) - size, len(rest)), (0, size)):
            if start < 0 or start >= end:
                continue
            town = _town_named(rest[start:end], towns)
            remaining = rest[:start] + rest[end:]
            if town and _significant(remaining):
                parsed.town, parsed.words = town, remaining
                return parsed
    parsed.words = rest
    return parsed


def _word_condition(word: str) -> Q:
    return Q(search__startswith=word) | Q(search__contains=f" {word}")


def _candidates(parsed: _Query) -> list[Place]:
    """Street-level places having the typed words; with none, those having some of them."""
    required = parsed.significant or parsed.words
    if not required:
        return []
    rows = Place.objects.filter(housenumber="").select_related("commune")
    rows = rows.defer("commune__geometry")
    every = Q()
    for word in required:
        every &= _word_condition(word)
    found = list(rows.filter(every)[:MAX_CANDIDATES])
    if found or len(required) == 1:
        return found
    some = Q()
    for word in required:
        some |= _word_condition(word)
    return list(rows.filter(some)[:MAX_CANDIDATES])


def _rank(place: Place, parsed: _Query, towns: dict[int, _Town], near: _Town | None) -> tuple:
    """Sort key, best first: words matched, the commune typed, the exact name, its kind,
    the caller's commune, the largest commune, then the name the least longer than typed."""
    name = _words(place.street)
    town = towns.get(place.commune_id)
    town_words = town.words if town else ()
    typed = parsed.significant or parsed.words

    def has(word: str, within: list[str] | tuple[str, ...]) -> bool:
        return any(part.startswith(word) for part in within)

    matched = sum(1 for word in typed if has(word, name) or has(word, town_words))
    in_name = sum(1 for word in typed if has(word, name))
    exact = set(_significant(name)) == set(typed)
    kind_typed = parsed.street_types
    kind_matches = bool(kind_typed) and bool(kind_typed & set(name))
    postcode = bool(parsed.postcode) and place.postcode == parsed.postcode
    return (
        -matched,
        -(parsed.town is not None and place.commune_id == parsed.town.pk),
        -postcode,
        -in_name,
        -exact,
        -kind_matches,
        -(near is not None and place.commune_id == near.pk),
        -(town.population if town else 0),
        len(_significant(name)),
        place.street,
    )


def _numbers(parsed: _Query, streets: list[Place]) -> list[Place]:
    """The typed number on the best streets, in their order (suffix as typed first)."""
    if parsed.number is None or not streets:
        return []
    same_street = Q()
    for street in streets:
        same_street |= Q(commune_id=street.commune_id, street=street.street)
    rows = (
        Place.objects.filter(same_street, number=parsed.number)
        .exclude(housenumber="")
        .select_related("commune")
        .defer("commune__geometry")
    )
    order = {(street.commune_id, street.street): index for index, street in enumerate(streets)}

    def key(place: Place) -> tuple[int, bool]:
        suffix = search_text(place.housenumber).removeprefix(str(parsed.number)).strip()
        return (order[(place.commune_id, place.street)], suffix != parsed.suffix)

    return sorted(rows, key=key)


def _first_numbers(street: Place, limit: int) -> list[Place]:
    return list(
        Place.objects.filter(commune_id=street.commune_id, street=street.street)
        .exclude(housenumber="")
        .select_related("commune")
        .defer("commune__geometry")
        .order_by("number", "housenumber")[:limit]
    )


def _result(place: Place) -> dict[str, Any]:
    return {
        "label": place.label,
        "kind": "address" if place.housenumber else "street",
        "lat": place.lat,
        "lon": place.lon,
        "commune": place.commune.name,
    }


def _town_result(town: _Town) -> dict[str, Any]:
    return {
        "label": town.name,
        "kind": "commune",
        "lat": town.lat,
        "lon": town.lon,
        "commune": town.name,
    }


def place_search(*, query: str, limit: int = 10, commune: str = "") -> list[dict[str, Any]]:
    """Up to `limit` places for what was typed, the most likely first.

    `commune` is the caller's or citizen's commune when known: among equally good streets,
    its own come first. A query naming only a commune answers the commune first, then
    streets; a number typed with a street answers that address before the street.
    """
    if len(search_text(query)) < MIN_QUERY_LENGTH:
        return []
    towns = _towns()
    by_pk = {town.pk: town for town in towns}
    near = next((town for town in towns if town.name == commune), None) if commune else None
    parsed = _read(query, towns)
    streets = sorted(_candidates(parsed), key=lambda place: _rank(place, parsed, by_pk, near))
    if parsed.number is not None:
        best = streets[:MAX_STREETS_NUMBERED]
        addresses = _numbers(parsed, best)
        # The asked number on the best street that has it, before that street itself.
        places = [*addresses[:1], *streets, *addresses[1:]]
    else:
        places = [*streets[:limit], *(_first_numbers(streets[0], limit) if streets else [])]
    results: list[dict[str, Any]] = []
    seen: set[int] = set()
    for place in places:
        if place.pk not in seen:
            seen.add(place.pk)
            results.append(_result(place))
    communes = [_town_result(town) for town in parsed.whole_town]
    return (communes[: max(MAX_COMMUNES, limit - len(results))] + results)[:limit]


def place_nearest(*, lat: float, lon: float, within_m: float = 120) -> dict[str, Any] | None:
    """The address (else the street) nearest a point, to name where an incident is.

    Reads only the places in a small box around the point (the lat/lon index).
    """
    dlat = geo.metres_to_degrees_lat(within_m)
    dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
    rows = (
        Place.objects.filter(
            lat__range=(lat - dlat, lat + dlat), lon__range=(lon - dlon, lon + dlon)
        )
        .select_related("commune")
        .defer("commune__geometry")[:500]
    )
    best: tuple[bool, float, Place] | None = None
    for place in rows:
        distance = geo.haversine_m(lat, lon, place.lat, place.lon)
        if distance > within_m:
            continue
        key = (not place.housenumber, distance, place)
        if best is None or key[:2] < best[:2]:
            best = key
    if best is None:
        return None
    return {**_result(best[2]), "street": best[2].street, "distance_m": round(best[1])}


@dataclass(frozen=True)
class StreetPoints:
    """What a typed street or address stands for on the ground: its points and a margin."""

    label: str
    kind: str
    points: list[tuple[float, float]]
    within_m: float

    def covers(self, lat: float, lon: float) -> bool:
        return any(
            geo.haversine_m(lat, lon, point_lat, point_lon) <= self.within_m
            for point_lat, point_lon in self.points
        )


STREET_MARGIN_M = 60
ADDRESS_MARGIN_M = 100


def street_points(*, query: str, commune: str = "") -> StreetPoints | None:
    """The best street or address for what was typed, with every point along it.

    A street stands for all its numbers (and its centre), each with a margin; an address
    for its own point with a wider one. None when the query names only a commune.
    """
    found = place_search(query=query, limit=1, commune=commune)
    if not found or found[0]["kind"] == "commune":
        return None
    first = found[0]
    place = (
        Place.objects.filter(label=first["label"], lat=first["lat"], lon=first["lon"])
        .only("street", "commune_id", "housenumber")
        .first()
    )
    if place is None:
        return None
    if place.housenumber:
        return StreetPoints(
            first["label"], "address", [(first["lat"], first["lon"])], ADDRESS_MARGIN_M
        )
    points = list(
        Place.objects.filter(commune_id=place.commune_id, street=place.street).values_list(
            "lat", "lon"
        )
    )
    return StreetPoints(first["label"], "street", points, STREET_MARGIN_M)


def places_count() -> int:
    return Place.objects.count()
