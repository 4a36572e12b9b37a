"""Address search accuracy: 50 real Dijon addresses typed the way people type them.

Loads the territory and the list's gazetteer (tests/hypervisor/data/: the 25 collèges'
addresses from the open data with their positions, well-known Dijon streets and squares,
and same-name streets in other communes) with `manage.py load_addresses`, then asks
`place_search` for each typed address and counts how often the right place comes first.
The test `tests/hypervisor/test_place_search_accuracy.py` holds the same list to ≥ 90 %.
Run it against a database of its own:

    createdb -h 127.0.0.1 -U postgres ondijon_bench_accuracy
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ondijon_bench_accuracy \\
        .venv/bin/python bench/address_accuracy.py
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import sys
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ondijon.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--verbose", action="store_true", help="print every typed address")
    options = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.place_search import machine
    from hypervisor import selectors
    from tests.hypervisor import address_accuracy

    call_command("migrate", verbosity=0)
    if not selectors.territory_is_loaded():
        call_command("load_territory", stdout=StringIO())
    address_accuracy.load_gazetteer()
    print(f"# {machine()}, {connection.vendor}")
    print(f"# {shlex.join([Path(sys.executable).name, *sys.argv])}")
    print(f"places in the gazetteer: {selectors.places_count()}")
    address_accuracy.answers()  # warm-up: the vocabulary of street words is read once
    started = time.perf_counter()
    found = address_accuracy.answers()
    per_query_ms = (time.perf_counter() - started) * 1000 / len(found)
    for answer in found:
        if options.verbose or not answer.right:
            mark = "right" if answer.right else "WRONG"
            print(f"{mark}  {answer.typed!r:45} -> {answer.first}")
    share = address_accuracy.right_first_share(found)
    print(
        f"right first: {sum(a.right for a in found)}/{len(found)} = {share:.0%} "
        f"(threshold {address_accuracy.THRESHOLD:.0%}); mean {per_query_ms:.1f} ms a query"
    )
    print(f"median length of the typed addresses: {statistics.median(len(a.typed) for a in found)}")


if __name__ == "__main__":
    main()
