"""The control-room feed: one Redis subscription per server process, fanned out in memory.

Each committed event's deltas are encoded once, as JSON text, and published once. Every
server process holds a single subscription (an asyncio task started with its first
screen) and hands the text to the screens connected to it, each through a bounded queue
drained by the screen's own task: a slow screen fills only its own queue, and one that
overflows is told to resync (catch up from its last sequence number) and closed, instead
of holding memory or delaying the others.

When the subscription is lost (Redis restarted), screens keep their sockets but miss
deltas; once it is back, every screen of the process is told to resync. Without Redis
(embedded mode, unit tests) the same hub is fed in process.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
from collections.abc import Awaitable, Callable
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)

# Deltas a screen may have waiting before it counts as too slow; a catch-up covers more.
QUEUE_LIMIT = 1000
# How long a connecting screen waits for the process's subscription before reading its
# snapshot; past that it is served anyway and told to resync once the subscription is up.
SUBSCRIBE_WAIT = 5.0
# Idle subscriptions are checked with a PING this often, so a dead connection is noticed.
IDLE_CHECK = 15.0
RECONNECT_DELAYS = (0.1, 0.2, 0.5, 1.0, 2.0)

# Audiences of a delta besides control-room staff, who receive everything: "*" every
# elected official's screen, an INSEE code that commune's, "" no one else.
EVERY_COMMUNE = "*"
STAFF_ONLY = ""

RESYNC = json.dumps({"type": "resync"})
RESYNC_CLOSE_CODE = 4000

SendText = Callable[[str], Awaitable[None]]
Close = Callable[[int], Awaitable[None]]


class ScreenFeed:
    """One connected screen's side of the hub: a bounded queue and the task draining it."""

    def __init__(
        self, send: SendText, close: Close, *, commune: str | None = None, limit: int = QUEUE_LIMIT
    ) -> None:
        self.send = send
        self.close = close
        self.commune = commune
        self.queue: asyncio.Queue[str | None] = asyncio.Queue(limit)
        self.resyncing = False
        self.task: asyncio.Task[None] | None = None

    def wants(self, audience: str) -> bool:
        return self.commune is None or audience in (EVERY_COMMUNE, self.commune)

    def offer(self, text: str) -> bool:
        """Queue a delta without waiting; False once the screen has been told to resync."""
        if self.resyncing:
            return False
        try:
            self.queue.put_nowait(text)
        except asyncio.QueueFull:
            self.resync()
            return False
        return True

    def resync(self) -> None:
        """Drop what is queued: the screen will read it again from the event history."""
        if self.resyncing:
            return
        self.resyncing = True
        while not self.queue.empty():
            self.queue.get_nowait()
        self.queue.put_nowait(None)

    def start(self) -> None:
        self.task = asyncio.get_running_loop().create_task(self._drain())

    async def stop(self) -> None:
        if self.task is not None and self.task is not asyncio.current_task():
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task

    async def _drain(self) -> None:
        try:
            while True:
                text = await self.queue.get()
                if text is None:
                    await self.send(RESYNC)
                    await self.close(RESYNC_CLOSE_CODE)
                    return
                await self.send(text)
        except asyncio.CancelledError:
            raise
        except Exception:
            # The socket went away mid-send; its consumer's disconnect cleans up.
            logger.debug("Live feed to a screen stopped", exc_info=True)


class LiveHub:
    """The screens of one event loop and, with Redis, the subscription that feeds them."""

    def __init__(self, loop: asyncio.AbstractEventLoop, redis_url: str | None) -> None:
        self.loop = loop
        self.redis_url = redis_url
        self.feeds: set[ScreenFeed] = set()
        self.subscribed = asyncio.Event()
        self.subscriptions = 0
        self.behind = False
        self.task: asyncio.Task[None] | None = None

    def attach(self, feed: ScreenFeed) -> None:
        self.feeds.add(feed)
        if self.redis_url and self.task is None:
            self.task = self.loop.create_task(self._listen(), name="live-feed")

    def detach(self, feed: ScreenFeed) -> None:
        self.feeds.discard(feed)

    async def wait_subscribed(self, timeout: float = SUBSCRIBE_WAIT) -> bool:
        """Whether deltas flow; a screen served while they do not is resynced later."""
        if not self.redis_url or self.subscribed.is_set():
            return True
        try:
            await asyncio.wait_for(self.subscribed.wait(), timeout)
        except TimeoutError:
            self.behind = True
            return False
        return True

    def dispatch(self, audience: str, text: str) -> None:
        for feed in tuple(self.feeds):
            if feed.wants(audience) and not feed.offer(text):
                self.feeds.discard(feed)

    def dispatch_raw(self, data: bytes) -> None:
        audience, _newline, text = data.decode().partition("\n")
        self.dispatch(audience, text)

    def resync_all(self) -> None:
        for feed in tuple(self.feeds):
            feed.resync()
        self.feeds.clear()

    def on_subscribed(self) -> None:
        """A confirmed subscription; any but the first follows a loss, so screens resync."""
        self.subscriptions += 1
        if self.subscriptions > 1 or self.behind:
            logger.info("Live feed subscribed again: %d screens resync", len(self.feeds))
            self.resync_all()
        self.behind = False
        self.subscribed.set()

    def on_lost(self) -> None:
        if self.subscribed.is_set():
            logger.warning("Live feed lost its Redis subscription; reconnecting")
        self.subscribed.clear()
        self.behind = True

    async def _listen(self) -> None:
        import redis.asyncio as aioredis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        failures = 0
        while True:
            client = aioredis.Redis.from_url(
                self.redis_url,  # type: ignore[arg-type]
                socket_connect_timeout=2,
                retry=Retry(NoBackoff(), 0),
            )
            pubsub = client.pubsub()
            try:
                await pubsub.subscribe(channel_name(self.redis_url))  # type: ignore[arg-type]
                while True:
                    message = await pubsub.get_message(timeout=IDLE_CHECK)
                    if message is None:
                        await pubsub.ping()
                    elif message["type"] == "message":
                        self.dispatch_raw(message["data"])
                    elif message["type"] == "subscribe":
                        failures = 0
                        self.on_subscribed()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                self.on_lost()
                delay = RECONNECT_DELAYS[min(failures, len(RECONNECT_DELAYS) - 1)]
                failures += 1
                logger.debug("Live feed subscription failed (%s); retry in %ss", error, delay)
                await asyncio.sleep(delay)
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()
                    await client.aclose()


_hubs: dict[asyncio.AbstractEventLoop, LiveHub] = {}
_hubs_lock = threading.Lock()
_publishers: dict[str, Any] = {}


def redis_url() -> str | None:
    """The channel layer's Redis, if it has one: the feed travels where the layer does."""
    layer: dict[str, Any] = settings.CHANNEL_LAYERS.get("default", {})
    if "channels_redis" not in layer.get("BACKEND", ""):
        return None
    hosts = layer.get("CONFIG", {}).get("hosts") or []
    return hosts[0] if hosts and isinstance(hosts[0], str) else None


def channel_name(url: str) -> str:
    """Pub/sub ignores database numbers; the number in the name keeps databases apart."""
    from urllib.parse import urlparse

    return f"ondijon:live:{urlparse(url).path.strip('/') or '0'}"


def hub() -> LiveHub:
    """The hub of the running event loop, created with its first screen."""
    loop = asyncio.get_running_loop()
    with _hubs_lock:
        for other in [other for other in _hubs if other.is_closed()]:
            del _hubs[other]
        current = _hubs.get(loop)
        if current is None:
            current = _hubs[loop] = LiveHub(loop, redis_url())
        return current


def publish(*, audience: str, text: str) -> None:
    """Send one encoded delta to every server process (or to this one's screens)."""
    url = redis_url()
    if url is None:
        for local in _local_hubs():
            with contextlib.suppress(RuntimeError):  # its loop closed meanwhile
                local.loop.call_soon_threadsafe(local.dispatch, audience, text)
        return
    client = _publishers.get(url)
    if client is None:
        import redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        # Fail fast: an unreachable Redis costs the committing request little, and the
        # screens catch up from the event history when the subscription returns.
        client = _publishers[url] = redis.Redis.from_url(
            url, socket_connect_timeout=0.5, socket_timeout=2, retry=Retry(NoBackoff(), 1)
        )
    client.publish(channel_name(url), f"{audience}\n{text}")


def _local_hubs() -> list[LiveHub]:
    with _hubs_lock:
        return [hub for loop, hub in _hubs.items() if not loop.is_closed()]


def resync_local_screens() -> None:
    """Tell every screen connected to this process to catch up (from any thread)."""
    for local in _local_hubs():
        with contextlib.suppress(RuntimeError):
            local.loop.call_soon_threadsafe(local.resync_all)
