import random
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from hypervisor import selectors
from hypervisor.audit_signals import recorded_as_one
from hypervisor.registry import registry


class Command(BaseCommand):
    help = "Load the demo inventory of every app (deterministic for a given seed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2154)
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the demo was already loaded",
        )

    def handle(self, *args: Any, seed: int, if_empty: bool, **options: Any) -> None:
        if not selectors.territory_is_loaded():
            raise CommandError("Load the territory first: manage.py load_territory")
        if if_empty and selectors.demo_is_seeded():
            self.stdout.write("Demo data already loaded.")
            return
        # The crews' generated agents join their group one by one: one audit entry says the
        # demo was loaded, so the log's first page shows people's actions, not the seeding.
        with recorded_as_one(action="demo.seed", target="demo", summary=""):
            for seeder in registry.demo_seeders():
                if seeder.name == "demo users" and not settings.DEMO_MODE:
                    self.stdout.write("Skipping demo users: not in the embedded demo mode.")
                    continue
                self.stdout.write(f"Seeding {seeder.name}…")
                seeder.seed(rng=random.Random(f"{seed}:{seeder.name}"), log=self._log)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))

    def _log(self, message: str) -> None:
        self.stdout.write(f"  {message}")
