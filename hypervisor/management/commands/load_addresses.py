from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hypervisor import selectors, services
from hypervisor.places import AddressFileError, read_ban_csv


class Command(BaseCommand):
    help = (
        "Load the streets and addresses of the territory's communes from a Base Adresse "
        "Nationale CSV file (adresses-21.csv, or .csv.gz; semicolon-separated), all or "
        "nothing. Rows of other communes are skipped; the BAN places loaded before are "
        "replaced."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="BAN addresses CSV file (adresses-<département>.csv)")

    def handle(self, *args: Any, path: str, **options: Any) -> None:
        communes = selectors.commune_names()
        if not communes:
            raise CommandError("Load the territory first: manage.py load_territory")
        source = Path(path)
        try:
            reading = read_ban_csv(source, insee_codes=communes)
        except AddressFileError as error:
            raise CommandError(f"{source}: {error}. Nothing was loaded.") from None
        if reading.problems:
            for line, problem in reading.problems:
                self.stderr.write(f"{source.name}: line {line}: {problem}")
            raise CommandError(f"{reading.problem_count} rows refused: nothing was loaded.")
        if not reading.records:
            raise CommandError(
                f"{source}: no address of the territory's communes "
                f"({reading.skipped_outside} rows of other communes). Nothing was loaded."
            )
        result = services.places_load_addresses(records=reading.records)
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.addresses} addresses and {result.streets} streets loaded from "
                f"{source}; rows of other communes skipped: {reading.skipped_outside}."
            )
        )
