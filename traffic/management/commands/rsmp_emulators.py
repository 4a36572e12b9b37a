import asyncio
import contextlib
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "Run RSMP site emulators (the demo's traffic-light controllers) in one process; they "
        "connect to the supervisor over TCP. Without --site, every mapped site of the demo."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=settings.RSMP_HOST)
        parser.add_argument("--port", type=int, default=settings.RSMP_PORT)
        parser.add_argument("--site", action="append", default=[], help="a site id (repeatable)")
        parser.add_argument(
            "--wait", action="store_true", help="wait (up to a minute) for the supervisor first"
        )

    def handle(
        self, *args: Any, host: str, port: int, site: list[str], wait: bool, **options: Any
    ) -> None:
        from traffic.rsmp.runner import demo_sites, run_demo_emulators, wait_for_port

        if wait and not wait_for_port(host, port, timeout=60):
            raise CommandError(f"No RSMP supervisor answers on {host}:{port}.")

        sites = demo_sites()
        if site:
            known = dict(sites)
            sites = [(site_id, known.get(site_id, 4)) for site_id in site]
        if not sites:
            raise CommandError("No RSMP site to emulate: run seed_demo first, or name --site.")
        self.stdout.write(f"{len(sites)} RSMP sites connecting to {host}:{port}")
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(run_demo_emulators(host=host, port=port, sites=sites, with_parent=wait))
