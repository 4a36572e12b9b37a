"""Login throttling against the real Redis cache, with attempts arriving all at once."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator

import pytest
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.db import connections
from django.test import Client

from hypervisor.security import login_throttle
from tests.hypervisor.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.integration

ATTEMPTS = 20


@pytest.fixture
def redis_cache(real_services, settings) -> None:  # type: ignore[no-untyped-def]
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    settings.LOGIN_ATTEMPTS_PER_USERNAME = 5
    settings.LOGIN_ATTEMPTS_PER_ADDRESS = 10
    settings.LOGIN_LOCKOUT_SECONDS = 900


@pytest.fixture
def password_checks() -> Iterator[list[str]]:
    """Usernames whose password was actually checked (and found wrong)."""
    checked: list[str] = []
    lock = threading.Lock()

    def record(sender: object, credentials: dict, **kwargs: object) -> None:
        with lock:
            checked.append(credentials.get("username", ""))

    user_login_failed.connect(record, dispatch_uid="test-password-checks")
    yield checked
    user_login_failed.disconnect(dispatch_uid="test-password-checks")


@pytest.fixture
def address() -> Iterator[str]:
    """A client address of this test alone; its counters are removed afterwards."""
    value = f"192.0.2.{uuid.uuid4().int % 250 + 1}"
    yield value
    cache.delete(login_throttle._key("address", value))


def all_at_once(count: int, attempt: Callable[[int], int]) -> list[int]:
    """Run `count` attempts in threads released together; their HTTP statuses."""
    barrier = threading.Barrier(count)
    statuses: list[int] = [0] * count

    def run(number: int) -> None:
        try:
            barrier.wait(timeout=30)
            statuses[number] = attempt(number)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(number,)) for number in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return statuses


def test_concurrent_wrong_passwords_never_check_more_than_the_limit(
    redis_cache, password_checks, address
) -> None:
    user = UserFactory(username=f"cible-{uuid.uuid4().hex[:8]}")

    def attempt(number: int) -> int:
        response = Client(REMOTE_ADDR=address).post(
            "/connexion/", {"username": user.username, "password": f"wrong-{number}"}
        )
        return response.status_code

    statuses = all_at_once(ATTEMPTS, attempt)
    assert len(password_checks) == 5
    assert statuses.count(200) == 5
    assert statuses.count(429) == ATTEMPTS - 5
    cache.delete(login_throttle._key("username", user.username))


def test_a_spoofed_x_forwarded_for_on_each_attempt_does_not_reset_the_count(
    redis_cache, password_checks, address, settings
) -> None:
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"  # even a trusted header changes nothing
    user = UserFactory(username=f"cible-{uuid.uuid4().hex[:8]}")

    def attempt(number: int) -> int:
        response = Client(REMOTE_ADDR=address).post(
            "/connexion/",
            {"username": user.username, "password": f"wrong-{number}"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{number}",
        )
        return response.status_code

    statuses = all_at_once(ATTEMPTS, attempt)
    assert len(password_checks) == 5
    assert statuses.count(429) == ATTEMPTS - 5
    right = Client(REMOTE_ADDR=address).post(
        "/connexion/",
        {"username": user.username, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    assert right.status_code == 429
    cache.delete(login_throttle._key("username", user.username))


def test_concurrent_guesses_of_many_usernames_from_one_address_are_capped(
    redis_cache, password_checks, address
) -> None:
    def attempt(number: int) -> int:
        response = Client(REMOTE_ADDR=address).post(
            "/connexion/",
            {"username": f"inconnu-{uuid.uuid4().hex[:8]}", "password": "guess"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{number}",
        )
        return response.status_code

    statuses = all_at_once(ATTEMPTS, attempt)
    assert len(password_checks) == 10
    assert statuses.count(429) == ATTEMPTS - 10
    for username in password_checks:
        cache.delete(login_throttle._key("username", username))
