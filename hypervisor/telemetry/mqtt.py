"""The MQTT bridge: readings published to <prefix>/<gateway name> take the HTTP path.

The broker authenticates publishers; the topic names the gateway the readings are
attributed to (an unknown or inactive gateway's messages are dropped and logged). The
network loop runs in paho's thread and only queues messages; the database work happens in
the caller's thread, in batches, through the same ingestion service as the HTTP API.
"""

from __future__ import annotations

import json
import logging
import queue
import time
from collections import defaultdict
from typing import Any
from urllib.parse import urlparse

import paho.mqtt.client as mqtt
from django.db import close_old_connections

from hypervisor.models import Gateway
from hypervisor.telemetry import services

logger = logging.getLogger(__name__)


class BridgeError(Exception):
    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent  # bad credentials are permanent; a refused connection is not


def _items(payload: bytes) -> list[Any]:
    try:
        parsed = services.json_loads(payload)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
        return services.batch_parse(payload)
    return parsed if isinstance(parsed, list) else [parsed]


class MqttBridge:
    def __init__(
        self,
        *,
        url: str,
        topic: str,
        share_group: str = "",
        batch_size: int = 5000,
        flush_seconds: float = 0.5,
    ) -> None:
        parsed = urlparse(url)
        if parsed.scheme not in {"mqtt", "mqtts"}:
            raise BridgeError(f"Unsupported MQTT URL scheme {parsed.scheme!r}", permanent=True)
        self.host = parsed.hostname or "127.0.0.1"
        self.port = parsed.port or (8883 if parsed.scheme == "mqtts" else 1883)
        self.prefix = topic.rstrip("/")
        # Bridges of one share group split the stream between them (MQTT shared
        # subscription): each message goes to one of them, so they scale out.
        self.subscription = f"{self.prefix}/+"
        if share_group:
            self.subscription = f"$share/{share_group}/{self.subscription}"
        self.batch_size = batch_size
        self.flush_seconds = flush_seconds
        self.inbox: queue.Queue[tuple[str, bytes]] = queue.Queue()
        self.subscribed = False
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
        if parsed.username:
            self.client.username_pw_set(parsed.username, parsed.password)
        if parsed.scheme == "mqtts":
            self.client.tls_set()
        self.client.on_connect = self._on_connect
        self.client.on_subscribe = self._on_subscribe
        self.client.on_message = self._on_message

    def _on_connect(
        self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, properties: Any
    ) -> None:
        if reason.is_failure:
            logger.error("MQTT broker refused the bridge: %s", reason)
            return
        # Subscribing on every connect restores the subscription after a reconnection.
        client.subscribe(self.subscription, qos=1)

    def _on_subscribe(
        self, client: mqtt.Client, userdata: Any, mid: int, reasons: Any, properties: Any
    ) -> None:
        self.subscribed = True
        logger.info(
            "MQTT bridge subscribed to %s on %s:%s", self.subscription, self.host, self.port
        )

    def _on_message(self, client: mqtt.Client, userdata: Any, message: mqtt.MQTTMessage) -> None:
        gateway_name = message.topic[len(self.prefix) + 1 :]
        self.inbox.put((gateway_name, bytes(message.payload)))

    def start(self) -> None:
        try:
            self.client.connect(self.host, self.port, keepalive=30)
        except OSError as error:
            raise BridgeError(
                f"MQTT broker {self.host}:{self.port} unreachable: {error}", permanent=False
            ) from error
        self.client.loop_start()

    def wait_subscribed(self, timeout: float = 5.0) -> bool:
        deadline = time.monotonic() + timeout
        while not self.subscribed and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.subscribed

    def stop(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()

    def flush(self) -> services.IngestionResult:
        """Ingest what has arrived, one batch per gateway.

        Nothing a publisher sends stops the bridge: an unreadable message is dropped with its
        reason, a bad reading is refused on its own by the ingestion, and a batch that fails
        anyway is retried message by message so that only the message at fault is lost.
        """
        pending: dict[str, list[list[Any]]] = defaultdict(list)
        while True:
            try:
                gateway_name, payload = self.inbox.get_nowait()
            except queue.Empty:
                break
            try:
                pending[gateway_name].append(_items(payload))
            except (services.BatchUnreadable, UnicodeDecodeError, ValueError) as error:
                logger.warning("Unreadable MQTT message from %r: %s", gateway_name, error)
        total = services.IngestionResult()
        if not pending:
            return total
        gateways = {g.name: g for g in Gateway.objects.filter(name__in=list(pending), active=True)}
        for gateway_name, messages in pending.items():
            gateway = gateways.get(gateway_name)
            if gateway is None:
                logger.warning(
                    "Dropped %d readings from unknown gateway %r",
                    sum(len(items) for items in messages),
                    gateway_name,
                )
                continue
            for batch in self._batches(messages):
                self._ingest_batch(gateway, batch, total)
        return total

    def _batches(self, messages: list[list[Any]]) -> list[list[list[Any]]]:
        """Whole messages grouped up to about `batch_size` readings (a message is never split)."""
        batches: list[list[list[Any]]] = [[]]
        size = 0
        for items in messages:
            if size and size + len(items) > self.batch_size:
                batches.append([])
                size = 0
            batches[-1].append(items)
            size += len(items)
        return batches

    def _ingest_batch(
        self, gateway: Gateway, messages: list[list[Any]], total: services.IngestionResult
    ) -> None:
        items = [item for message in messages for item in message]
        try:
            self._add(total, gateway, services.telemetry_ingest(gateway=gateway, items=items))
            return
        except Exception:
            if len(messages) == 1:
                logger.exception(
                    "Dropped a message of %d readings from %r: it could not be stored",
                    len(items),
                    gateway.name,
                )
                return
            logger.exception(
                "A batch of %d readings from %r failed; retrying it message by message",
                len(items),
                gateway.name,
            )
        for message in messages:
            self._ingest_batch(gateway, [message], total)

    @staticmethod
    def _add(
        total: services.IngestionResult, gateway: Gateway, result: services.IngestionResult
    ) -> None:
        total.accepted += result.accepted
        total.duplicates += result.duplicates
        total.refused.extend(result.refused)
        for refusal in result.refused:
            logger.warning("Refused reading from %r: %s", gateway.name, refusal)

    def run(self, *, duration: float | None = None) -> int:
        """Flush every `flush_seconds` until interrupted (or `duration` elapses).

        The period runs from the start of one flush to the next: under a steady stream the
        bridge flushes back to back instead of idling after each batch.
        """
        started, accepted = time.monotonic(), 0
        while duration is None or time.monotonic() - started < duration:
            began = time.monotonic()
            # A long-running process: drop connections the database closed meanwhile.
            close_old_connections()
            try:
                accepted += self.flush().accepted
            except Exception:
                # A lost database connection or the like: logged, and the next flush retries.
                logger.exception("MQTT bridge flush failed; continuing")
            time.sleep(max(0.0, self.flush_seconds - (time.monotonic() - began)))
        return accepted
