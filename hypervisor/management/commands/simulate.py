import asyncio
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from hypervisor import simulation
from hypervisor.registry import registry


class Command(BaseCommand):
    help = "Run the equipment and activity simulators that the apps register."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--speed", type=float, default=1.0, help="Time acceleration factor")
        parser.add_argument("--duration", type=float, help="Stop after this many seconds")
        parser.add_argument("--seed", type=int, help="Random seed for a repeatable run")

    def handle(
        self, *args: Any, speed: float, duration: float | None, seed: int | None, **options: Any
    ) -> None:
        names = ", ".join(registry.simulators()) or "none"
        self.stdout.write(f"Simulating at ×{speed}: {names}. Ctrl-C to stop.")
        try:
            ticks = asyncio.run(
                simulation.run(
                    speed=speed,
                    duration=timedelta(seconds=duration) if duration else None,
                    seed=seed,
                )
            )
        except KeyboardInterrupt:
            return
        self.stdout.write(f"Stopped after {ticks} ticks.")
