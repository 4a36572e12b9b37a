from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from hypervisor.telemetry.mqtt import BridgeError, MqttBridge


class Command(BaseCommand):
    help = "Feed readings published on the MQTT broker into the telemetry ingestion."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--url", default=settings.MQTT_URL, help="mqtt://user:password@host:port"
        )
        parser.add_argument("--topic", default=settings.MQTT_TOPIC, help="topic prefix")
        parser.add_argument(
            "--share-group",
            default=settings.MQTT_SHARE_GROUP,
            help="bridges of one group share the readings between them (scale out)",
        )
        parser.add_argument(
            "--duration", type=float, default=None, help="stop after this many seconds"
        )

    def handle(
        self,
        *args: Any,
        url: str,
        topic: str,
        share_group: str,
        duration: float | None,
        **options: Any,
    ) -> None:
        try:
            bridge = MqttBridge(url=url, topic=topic, share_group=share_group)
            bridge.start()
        except BridgeError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Listening on {bridge.subscription} at {bridge.host}:{bridge.port}")
        try:
            accepted = bridge.run(duration=duration)
        except KeyboardInterrupt:
            accepted = 0
        finally:
            bridge.stop()
        self.stdout.write(f"{accepted} readings accepted")
