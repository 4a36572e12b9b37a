"""No one can keep a named account locked: progressive delays, the usual address exempt.

Replays the review's attack: five wrong passwords every 15 minutes kept a control-room
account locked, the right password refused even from the user's own desk. And simultaneous
correct logins wrote a false "5 failed attempts" lock record.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine
from django.core.cache import cache

from hypervisor.models import AuditEntry
from hypervisor.security import login_throttle
from tests.hypervisor.factories import PASSWORD

WRONG = "not the password"
DESK, ATTACKER = "10.0.0.17", "203.0.113.9"


@pytest.fixture(autouse=True)
def _fresh_counters(settings) -> Iterator[None]:  # type: ignore[no-untyped-def]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "login-delay-tests",
        }
    }
    settings.LOGIN_ATTEMPTS_PER_USERNAME = 5
    settings.LOGIN_ATTEMPTS_PER_ADDRESS = 20
    settings.LOGIN_LOCKOUT_SECONDS = 900
    settings.LOGIN_DELAY_SECONDS = 30
    cache.clear()
    yield
    cache.clear()


def log_in(client, username: str, password: str, address: str):  # type: ignore[no-untyped-def]
    client.logout()
    return client.post(
        "/connexion/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_failures_from_elsewhere_never_refuse_the_right_password_from_the_usual_address(
    client, operator
) -> None:
    assert log_in(client, operator.username, PASSWORD, DESK).status_code == 302
    for _ in range(15):
        log_in(client, operator.username, WRONG, ATTACKER)
    # Positive control: from another address the account is being delayed.
    assert log_in(client, operator.username, PASSWORD, "198.51.100.4").status_code == 429
    assert log_in(client, operator.username, PASSWORD, DESK).status_code == 302


def test_past_the_limit_attempts_wait_a_delay_that_doubles(client, operator) -> None:
    with time_machine.travel("2026-03-02 08:00 +0100", tick=False) as clock:
        for _ in range(5):
            assert log_in(client, operator.username, WRONG, ATTACKER).status_code == 200
        assert log_in(client, operator.username, PASSWORD, ATTACKER).status_code == 429
        clock.shift(31)  # the first delay has passed: one attempt is checked (and fails)
        assert log_in(client, operator.username, WRONG, ATTACKER).status_code == 200
        clock.shift(31)  # the delay doubled to 60 s
        assert log_in(client, operator.username, PASSWORD, ATTACKER).status_code == 429
        clock.shift(30)
        assert log_in(client, operator.username, PASSWORD, ATTACKER).status_code == 302


def test_the_delay_never_exceeds_the_lockout_window(settings) -> None:
    assert login_throttle._delay(0) == 30
    assert login_throttle._delay(3) == 240
    assert login_throttle._delay(50) == settings.LOGIN_LOCKOUT_SECONDS


def test_simultaneous_correct_logins_write_no_lock_record(operator) -> None:
    attempts = [
        login_throttle.attempt_begin(username=operator.username, address=ATTACKER) for _ in range(6)
    ]
    for attempt in attempts:
        if attempt.allowed:
            login_throttle.attempt_succeeded(attempt)
    assert not AuditEntry.objects.filter(action="login.locked").exists()
    # Positive control: five real failures do write it.
    for _ in range(5):
        login_throttle.attempt_failed(
            login_throttle.attempt_begin(username=operator.username, address=ATTACKER)
        )
    assert AuditEntry.objects.filter(action="login.locked").count() == 1
