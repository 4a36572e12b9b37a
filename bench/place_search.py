"""Address search speed with a territory-sized gazetteer, and the time to load it.

Writes a synthetic file in the Base Adresse Nationale's format (semicolon CSV, the BAN's
columns) with --addresses numbered addresses spread over the territory's communes, loads it
with `manage.py load_addresses`, then times the search endpoint's selector for queries that
the prefix index answers ("12 rue de la libe") and queries that need every word in any
order ("liberte 12"). Run it against a database of its own:

    createdb -h 127.0.0.1 -U postgres ondijon_bench_places
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ondijon_bench_places \\
        .venv/bin/python bench/place_search.py --addresses 70000

Figures are milliseconds; each query is run --runs times after one warm-up call.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shlex
import statistics
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ondijon.settings")

HEADER = (
    "id;id_fantoir;numero;rep;nom_voie;code_postal;code_insee;nom_commune;"
    "code_insee_ancienne_commune;nom_ancienne_commune;x;y;lon;lat;type_position;alias;nom_ld;"
    "libelle_acheminement;nom_afnor;source_position;source_nom_voie;certification_commune;"
    "cad_parcelles"
)
KINDS = ["Rue", "Rue", "Rue", "Avenue", "Boulevard", "Impasse", "Allée", "Place", "Chemin"]
NAMES = [
    "de la Liberté", "Monge", "Berbisey", "Chabot-Charny", "des Godrans", "Jeannin", "Vauban",
    "Verrerie", "Musette", "du Bourg", "d'Auxonne", "de Mirande", "Devosge", "Guillaume Tell",
    "des Perrières", "de Talant", "Jean-Baptiste Baudin", "de Longvic", "Charles Dumont",
    "de Jouvence", "Parmentier", "Daubenton", "Mably", "Victor Hugo", "Pasteur", "du Château",
    "de l'Église", "des Écoles", "des Tilleuls", "des Acacias", "du Moulin", "Jean Jaurès",
    "Clemenceau", "du Drapeau", "de Strasbourg", "de Stalingrad", "Voltaire", "Kennedy",
]  # fmt: skip
QUERIES = {
    "prefix": ["rue monge", "12 rue de la libe", "avenue jean ja", "boulevard volt"],
    "any order": ["liberte 12", "monge dijon", "jaures chenove", "tilleuls 3"],
    "commune": ["chenove", "saint apol"],
}


def machine() -> str:
    memory_kb = 0
    with open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                memory_kb = int(line.split()[1])
    return (
        f"{os.cpu_count()} cores ({platform.processor() or platform.machine()}), "
        f"{memory_kb / 1024 / 1024:.1f} GiB memory, Python {platform.python_version()}"
    )


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered):6.1f}  p95 {p95:6.1f}  max {ordered[-1]:6.1f}"


def write_ban_file(path: Path, *, addresses: int, rng: random.Random) -> None:
    """Streets of 5 to 60 numbers in each commune, in proportion to its population."""
    from hypervisor.models import Commune

    communes = list(Commune.objects.order_by("insee"))
    weights = [max(commune.population, 300) for commune in communes]
    lines = [HEADER]
    street_no = 0
    while len(lines) - 1 < addresses:
        commune = rng.choices(communes, weights=weights)[0]
        street_no += 1
        street = f"{rng.choice(KINDS)} {rng.choice(NAMES)}"
        lat = rng.uniform(commune.min_lat, commune.max_lat)
        lon = rng.uniform(commune.min_lon, commune.max_lon)
        for number in range(1, rng.randint(5, 60)):
            lat, lon = lat + 0.00008, lon + 0.00005
            suffix = "bis" if rng.random() < 0.05 else ""
            lines.append(
                f"{commune.insee}_{street_no:04d}_{number:05d};{commune.insee}_{street_no:04d};"
                f"{number};{suffix};{street};21000;{commune.insee};{commune.name};;;0;0;"
                f"{lon:.6f};{lat:.6f};entrée;;;{commune.name.upper()};{street.upper()};"
                "commune;commune;1;"
            )
    path.write_text("\n".join(lines[: addresses + 1]) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--addresses", type=int, default=70_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=21)
    options = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from hypervisor import selectors

    call_command("migrate", verbosity=0)
    if not selectors.territory_is_loaded():
        call_command("load_territory", stdout=StringIO())
    print(f"# {machine()}, {connection.vendor}")
    print(f"# {shlex.join([Path(sys.executable).name, *sys.argv])}")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "adresses-21.csv"
        write_ban_file(path, addresses=options.addresses, rng=random.Random(options.seed))
        started = time.perf_counter()
        out = StringIO()
        call_command("load_addresses", str(path), stdout=out)
        print(f"load_addresses: {time.perf_counter() - started:.1f} s — {out.getvalue().strip()}")
    print(f"places in the gazetteer: {selectors.places_count()}")
    for family, queries in QUERIES.items():
        for query in queries:
            found = selectors.place_search(query=query)  # warm-up
            samples = []
            for _run in range(options.runs):
                started = time.perf_counter()
                selectors.place_search(query=query)
                samples.append((time.perf_counter() - started) * 1000)
            print(f"{family:9}  {query!r:22} {len(found):2} results  {summary(samples)}")
    if connection.vendor == "postgresql":
        from hypervisor.models import Place

        plan = Place.objects.filter(search__startswith="rue monge").order_by("search")[:10]
        print("prefix query plan:", plan.explain().splitlines()[0:3])


if __name__ == "__main__":
    main()
