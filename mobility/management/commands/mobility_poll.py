import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, close_old_connections

from mobility.services.polling import feeds_poll_due

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Poll the mobility feeds (car parks, GTFS-Realtime, GBFS) when each is due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Poll what is due, then stop")
        parser.add_argument("--tick", type=float, default=2.0, help="Seconds between checks")

    def handle(self, *args: Any, once: bool, tick: float, **options: Any) -> None:
        while True:
            close_old_connections()
            try:
                feeds_poll_due()
            except DatabaseError:
                # The database may come back; the poller waits for it rather than dying.
                logger.exception("Mobility poller: database unavailable, retrying")
            if once:
                return
            time.sleep(tick)
