from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mobility.services.gtfs import gtfs_import


class Command(BaseCommand):
    help = (
        "Import a GTFS archive, all or nothing: the network is replaced only when nothing in "
        "the archive is refused; otherwise every refused file and row is listed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)

    def handle(self, *args: Any, archive: Path, **options: Any) -> None:
        if not archive.is_file():
            raise CommandError(f"No such file: {archive}")
        result = gtfs_import(path=archive)
        if not result.accepted:
            for problem in result.problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(
                f"{archive.name} refused ({len(result.problems)} problems); network unchanged"
            )
        self.stdout.write(self.style.SUCCESS(f"{archive.name} imported: {result.counts}"))
