from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from hypervisor import selectors, services
from hypervisor.territory import TerritoryFileError, approximate_communes, read_geojson


class Command(BaseCommand):
    help = (
        "Load the territory's communes from a GeoJSON FeatureCollection (INSEE code, name, "
        "population, polygon), all or nothing. Without PATH: ONDIJON_TERRITORY_FILE when it "
        "exists, otherwise boundaries approximated from the built-in facts table."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", help="GeoJSON file of the communes")
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when communes are already loaded"
        )

    def handle(self, *args: Any, path: str | None, if_empty: bool, **options: Any) -> None:
        if if_empty and selectors.territory_is_loaded():
            self.stdout.write("Territory already loaded.")
            return
        source = Path(path) if path else Path(settings.TERRITORY_FILE)
        if path or source.is_file():
            try:
                records = read_geojson(source)
            except TerritoryFileError as error:
                raise CommandError(f"{source}: {error} Nothing was loaded.") from None
            origin = str(source)
        else:
            records = approximate_communes()
            origin = "built-in facts table (approximate boundaries)"
        result = services.territory_load(communes=records)
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(records)} communes from {origin}: "
                f"{result.created} created, {result.updated} updated."
            )
        )
