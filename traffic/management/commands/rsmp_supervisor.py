import asyncio
import contextlib
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Run the RSMP 3.2 supervisor: traffic-light controllers (RSMP sites, TLC SXL 1.2.1) "
        "connect to it over TCP (TLS when ONDIJON_RSMP_TLS_CERT and _KEY are set)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=settings.RSMP_HOST)
        parser.add_argument("--port", type=int, default=settings.RSMP_PORT)

    def handle(self, *args: Any, host: str, port: int, **options: Any) -> None:
        from traffic.rsmp.runner import serve_supervisor, supervisor_from_settings

        supervisor = supervisor_from_settings(host=host, port=port)
        self.stdout.write(f"RSMP supervisor on {host}:{port}")
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(serve_supervisor(supervisor))
