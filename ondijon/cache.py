"""A Redis cache that keeps answering from process memory while Redis is unreachable.

Django's Redis cache raises on a connection error, and everything built on the cache
(django-ratelimit's per-client limits on citizen reports, the open-data caches) would turn
a Redis outage into server errors. Here a failed call switches this process to a local
memory cache for a few seconds, then Redis is tried again. Nothing held in this cache is
the record of anything: a miss only costs a recomputation, and a rate limit counted per
process during an outage is looser than the shared one, never absent.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
# After a failure, calls go to memory for this long before Redis is tried again, so an
# outage costs one connection attempt per process every few seconds, not one per call.
RETRY_AFTER_SECONDS = 5.0


class FallbackRedisCache(RedisCache):
    """RedisCache that falls back to a per-process memory cache during a Redis outage."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        local = {key: value for key, value in params.items() if key != "OPTIONS"}
        self._fallback = LocMemCache(f"redis-fallback-{id(self)}", local)
        self._retry_at = 0.0
        self._lock = threading.Lock()

    @property
    def redis_reachable(self) -> bool:
        """False while this process is answering from memory."""
        return time.monotonic() >= self._retry_at

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        if self.redis_reachable:
            try:
                result = getattr(super(), name)(*args, **kwargs)
            except UNREACHABLE as error:
                self._switch_to_memory(error)
            else:
                if self._retry_at:
                    self._back_to_redis()
                return result
        return getattr(self._fallback, name)(*args, **kwargs)

    def _switch_to_memory(self, error: Exception) -> None:
        with self._lock:
            first = self._retry_at == 0.0
            self._retry_at = time.monotonic() + RETRY_AFTER_SECONDS
        if first:
            logger.warning("Cache: Redis unreachable (%s); using process memory meanwhile", error)

    def _back_to_redis(self) -> None:
        with self._lock:
            self._retry_at = 0.0
        logger.warning("Cache: Redis answers again")

    def add(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> bool:
        return bool(self._call("add", key, value, timeout, version))

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._call("get", key, default, version)

    def set(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> None:
        self._call("set", key, value, timeout, version)

    def touch(self, key: Any, timeout: Any = None, version: int | None = None) -> bool:
        return bool(self._call("touch", key, timeout, version))

    def delete(self, key: Any, version: int | None = None) -> bool:
        return bool(self._call("delete", key, version))

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        return dict(self._call("get_many", keys, version))

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return bool(self._call("has_key", key, version))

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        return int(self._call("incr", key, delta, version))

    def set_many(self, data: Any, timeout: Any = None, version: int | None = None) -> list[Any]:
        return list(self._call("set_many", data, timeout, version))

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        self._call("delete_many", keys, version)

    def clear(self) -> bool:
        return bool(self._call("clear"))
