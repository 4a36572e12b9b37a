"""The cache keeps answering from process memory while Redis is unreachable."""

from __future__ import annotations

import time

import pytest
from django.test import RequestFactory
from django_ratelimit.core import is_ratelimited

from ondijon import cache as fallback
from ondijon.cache import FallbackRedisCache
from tests.conftest import free_port


@pytest.fixture
def unreachable() -> FallbackRedisCache:
    """A cache pointed at a port nobody listens on."""
    return FallbackRedisCache(
        f"redis://127.0.0.1:{free_port()}/0",
        {"OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}},
    )


def test_reads_and_writes_go_to_memory_while_redis_is_unreachable(unreachable) -> None:
    unreachable.set("layer", "body", 60)
    assert unreachable.get("layer") == "body"
    assert unreachable.add("layer", "other", 60) is False
    assert unreachable.add("counter", 1, 60) is True
    assert unreachable.incr("counter") == 2
    assert not unreachable.redis_reachable


def test_after_one_failure_redis_is_left_alone_for_a_few_seconds(unreachable, monkeypatch) -> None:
    unreachable.get("anything")
    calls = []
    monkeypatch.setattr(
        fallback.RedisCache, "get", lambda *args, **kwargs: calls.append(args) or None
    )
    unreachable.get("anything")
    assert calls == []
    monkeypatch.setattr(fallback, "RETRY_AFTER_SECONDS", 0.0)
    unreachable._retry_at = time.monotonic()  # the pause is over
    unreachable.get("anything")
    assert len(calls) == 1


def test_the_citizen_rate_limit_still_counts_while_redis_is_unreachable(
    unreachable, settings, monkeypatch
) -> None:
    """Per process rather than shared: looser during an outage, never switched off."""
    monkeypatch.setattr("django_ratelimit.core.caches", {"default": unreachable})
    request = RequestFactory().post("/signaler/", REMOTE_ADDR="192.0.2.7")
    limited = [
        is_ratelimited(
            request, group="citizens-report", key="ip", rate="3/m", method="POST", increment=True
        )
        for _attempt in range(4)
    ]
    assert limited == [False, False, False, True]


def test_a_call_to_an_unreachable_redis_costs_milliseconds(unreachable) -> None:
    started = time.monotonic()
    for _attempt in range(50):
        unreachable.get("page")
    assert time.monotonic() - started < 1
