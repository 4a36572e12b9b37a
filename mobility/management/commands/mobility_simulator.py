from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from mobility.feed_simulator import make_server


class Command(BaseCommand):
    help = (
        "Serve the demo mobility feeds (car parks, GTFS-Realtime, GBFS) over HTTP, as a "
        "transport operator's servers would."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=None)

    def handle(self, *args: Any, host: str, port: int | None, **options: Any) -> None:
        server = make_server(host, port or settings.MOBILITY_SIMULATOR_PORT)
        self.stdout.write(f"Mobility feed simulator on http://{host}:{server.server_port}/")
        try:
            server.serve_forever(poll_interval=1.0)
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
