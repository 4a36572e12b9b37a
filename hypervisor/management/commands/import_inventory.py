"""Load a city's equipment inventory from CSV or GeoJSON files, all or nothing.

Apps declare what they can load on their AppConfig (`inventory_kinds`: kind → order, and
`load_inventory(kind=, rows=)` returning (row, field, reason) problems), so the hypervisor
needs no import of them. Every file is checked; any problem rolls everything back and the
validation report lists each one.
"""

import csv
import json
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction


class _Rollback(Exception):
    pass


def _loaders() -> dict[str, tuple[int, Any]]:
    found = {}
    for config in apps.get_app_configs():
        for kind, order in getattr(config, "inventory_kinds", {}).items():
            found[kind] = (order, config)
    return found


def read_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """(row number, fields): CSV rows count from 2 (after the header), GeoJSON features from 1."""
    if path.suffix.lower() in {".geojson", ".json"}:
        features = json.loads(path.read_text(encoding="utf-8")).get("features", [])
        rows = []
        for number, feature in enumerate(features, start=1):
            fields = dict(feature.get("properties") or {})
            geometry = feature.get("geometry") or {}
            if geometry.get("type") == "Point":
                fields.setdefault("lon", geometry["coordinates"][0])
                fields.setdefault("lat", geometry["coordinates"][1])
            rows.append((number, fields))
        return rows
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [(number, row) for number, row in enumerate(csv.DictReader(handle), start=2)]


class Command(BaseCommand):
    help = "Load equipment from CSV or GeoJSON files with a validation report; nothing half-loaded."

    def add_arguments(self, parser: CommandParser) -> None:
        for kind in sorted(_loaders()):
            parser.add_argument(f"--{kind.replace('_', '-')}", dest=kind, type=Path, metavar="FILE")

    def handle(self, *args: Any, **options: Any) -> None:
        loaders = _loaders()
        chosen = sorted(
            ((kind, options[kind]) for kind in loaders if options.get(kind)),
            key=lambda item: loaders[item[0]][0],
        )
        if not chosen:
            raise CommandError("Give at least one file, e.g. --cabinets cabinets.csv")
        report: list[tuple[str, int, str, str]] = []
        counts: dict[str, int] = {}
        try:
            with transaction.atomic():
                for kind, path in chosen:
                    if not path.exists():
                        raise CommandError(f"{path}: no such file")
                    try:
                        rows = read_rows(path)
                    except (json.JSONDecodeError, UnicodeDecodeError, csv.Error) as error:
                        report.append((path.name, 0, "", f"unreadable file: {error}"))
                        continue
                    problems = loaders[kind][1].load_inventory(kind=kind, rows=rows)
                    report.extend(
                        (path.name, row, field, reason) for row, field, reason in problems
                    )
                    counts[kind] = len(rows)
                if report:
                    raise _Rollback
        except _Rollback:
            self.stderr.write("file\trow\tfield\treason")
            for name, row, field, reason in report:
                self.stderr.write(f"{name}\t{row}\t{field}\t{reason}")
            raise CommandError(f"{len(report)} problems: nothing was loaded.") from None
        for kind, count in counts.items():
            self.stdout.write(f"{kind}: {count} rows loaded")
