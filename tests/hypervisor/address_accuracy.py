"""The address-search accuracy list: 50 real Dijon addresses typed the way people type them.

Shared by the test (with its threshold) and `bench/address_accuracy.py` (with its figure).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

DATA = Path(__file__).parent / "data"
GAZETTEER = DATA / "dijon-addresses-accuracy.csv"
QUERIES = DATA / "address-queries.csv"
THRESHOLD = 0.90


@dataclass(frozen=True)
class Answer:
    typed: str
    expected: str
    first: str

    @property
    def right(self) -> bool:
        return self.first == self.expected


def load_gazetteer() -> None:
    """Load the list's streets and addresses through the product's own BAN loader."""
    from django.core.management import call_command

    call_command("load_addresses", str(GAZETTEER), stdout=StringIO(), stderr=StringIO())


def queries() -> list[tuple[str, str]]:
    with QUERIES.open(encoding="utf-8", newline="") as handle:
        return [(row["typed"], row["expected"]) for row in csv.DictReader(handle, delimiter=";")]


def answers() -> list[Answer]:
    from hypervisor import selectors

    found = []
    for typed, expected in queries():
        results = selectors.place_search(query=typed)
        found.append(Answer(typed, expected, results[0]["label"] if results else ""))
    return found


def right_first_share(found: list[Answer]) -> float:
    return sum(answer.right for answer in found) / len(found)
