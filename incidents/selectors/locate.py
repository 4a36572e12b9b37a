"""Finding where a report without a position is: its address, else its commune."""

from __future__ import annotations

from dataclasses import dataclass

from hypervisor import selectors as hypervisor_selectors
from incidents.models import LocatedBy

# Enough answers to find a street among the communes the search box puts first.
_CANDIDATES = 10


@dataclass(frozen=True)
class FoundPosition:
    lat: float
    lon: float
    located_by: LocatedBy
    label: str


def position_from_address(*, address: str) -> FoundPosition | None:
    """The gazetteer's best address or street for the text, else its commune, else None.

    A commune's label point is a rough position (the operator sees it came from the
    commune); it is better than none, since routing and dispatch need a place.
    """
    if not address.strip():
        return None
    found = hypervisor_selectors.place_search(query=address, limit=_CANDIDATES)
    for kind, located_by in (("address", LocatedBy.ADDRESS), ("street", LocatedBy.ADDRESS)):
        for place in found:
            if place["kind"] == kind and place["lat"] is not None:
                return FoundPosition(place["lat"], place["lon"], located_by, place["label"])
    for place in found:
        if place["kind"] == "commune" and place["lat"] is not None:
            return FoundPosition(place["lat"], place["lon"], LocatedBy.COMMUNE, place["label"])
    # "12 rue X, Talant": the street may be unknown while the commune is named last.
    words = [word.strip() for word in address.replace(",", " ").split() if word.strip()]
    for size in (2, 1):
        if len(words) > size:
            tail = " ".join(words[-size:])
            for place in hypervisor_selectors.place_search(query=tail, limit=_CANDIDATES):
                if place["kind"] == "commune" and place["lat"] is not None:
                    return FoundPosition(
                        place["lat"], place["lon"], LocatedBy.COMMUNE, place["label"]
                    )
    return None
