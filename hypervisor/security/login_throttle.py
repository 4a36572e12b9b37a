"""Login throttling: counters per username and per client address, shared through the cache.

An attempt reserves its place *before* the password is checked: the cache's atomic
increment hands out numbers 1, 2, 3…, and only the first N in a window are checked. So
twenty attempts arriving at once still let at most N reach the password hasher, in one
process or in many (Redis in production). A success clears the username's counter and
gives the address its place back, so colleagues behind one office address are not locked
out by each other's logins.

A username is never locked hard: anyone could keep a named account locked by sending five
wrong passwords every quarter of an hour. Past the limit, one attempt is checked per delay,
and the delay doubles after each failure (`LOGIN_DELAY_SECONDS`, 2×, … up to the lockout
window). And an address the user logged in from successfully (their *usual* address,
remembered `LOGIN_USUAL_ADDRESS_DAYS`) is not subject to the username's counter at all,
only to the address's own: failures from elsewhere never refuse the right password there.
The lock record (`login.locked`) is written once, when the *failures* reach the limit;
attempts in flight do not count as failures, so simultaneous correct logins never write it.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from hypervisor.models import AuditEntry
from hypervisor.services import audit_record

PREFIX = "login-attempts"


@dataclass(frozen=True)
class Attempt:
    """One reserved login attempt; `allowed` says whether its password may be checked."""

    allowed: bool
    username_key: str | None
    address_key: str
    retry_after_seconds: int
    name: str = ""  # the normalised username, set when the password may be checked
    address: str = ""

    @property
    def retry_after_minutes(self) -> int:
        return max(1, math.ceil(self.retry_after_seconds / 60))


def _key(kind: str, value: str) -> str:
    # Hashed: the cache holds neither usernames nor addresses, and any input fits a key.
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"{PREFIX}:{kind}:{digest}"


def _reserve(key: str, window: int) -> int:
    """Atomically count one more attempt under `key`; the window starts with the first."""
    cache.add(key, 0, timeout=window)
    try:
        count = int(cache.incr(key))
    except ValueError:  # expired between add() and incr()
        cache.add(key, 0, timeout=window)
        count = int(cache.incr(key))
    if count == 1:
        # incr() on a key that expired in between recreates it without an expiry.
        cache.touch(key, timeout=window)
    return count


def _lock(key: str, *, target: str, address: str, limit: int) -> None:
    window = settings.LOGIN_LOCKOUT_SECONDS
    cache.touch(key, timeout=window)
    audit_record(
        actor=None,
        action="login.locked",
        target=target[: AuditEntry._meta.get_field("target").max_length],
        summary=f"{limit} failed login attempts: locked for {window} s",
        after={"address": address, "limit": limit, "seconds": window},
    )


def _usual_key(username: str, address: str) -> str:
    return _key("usual", f"{username}\x1f{address}")


def _delay(failures_over_limit: int) -> int:
    """The wait before the next checked attempt, doubling with each failure past the limit."""
    exponent = min(max(0, failures_over_limit), 20)
    return int(min(settings.LOGIN_LOCKOUT_SECONDS, settings.LOGIN_DELAY_SECONDS * 2**exponent))


def attempt_begin(*, username: str, address: str) -> Attempt:
    """Reserve an attempt for this username from this address, or refuse it (wait)."""
    window = settings.LOGIN_LOCKOUT_SECONDS
    address_key = _key("address", address)
    address_limit = settings.LOGIN_ATTEMPTS_PER_ADDRESS
    address_count = _reserve(address_key, window)
    if address_count > address_limit:
        if address_count == address_limit + 1:
            _lock(address_key, target=f"address:{address}", address=address, limit=address_limit)
        return Attempt(False, None, address_key, window)
    name = username.strip().casefold()
    username_key = _key("username", name)
    if cache.get(_usual_key(name, address)):
        # The user's own address: only the address's counter applies (above).
        return Attempt(True, username_key, address_key, 0, name=name, address=address)
    username_limit = settings.LOGIN_ATTEMPTS_PER_USERNAME
    username_count = _reserve(username_key, window)
    if username_count <= username_limit:
        return Attempt(True, username_key, address_key, 0, name=name, address=address)
    failures = int(cache.get(_key("failures", name)) or 0)
    if failures < username_limit:
        # Over the limit only with attempts still in flight: wait for their outcome.
        return Attempt(False, username_key, address_key, 1)
    # Past the limit: the gate lets one attempt through once the current delay has passed.
    if cache.add(_key("gate", name), 1, timeout=_delay(failures - username_limit)):
        return Attempt(True, username_key, address_key, 0, name=name, address=address)
    ttl = cache.ttl(_key("gate", name)) if hasattr(cache, "ttl") else None
    return Attempt(False, username_key, address_key, int(ttl or _delay(failures - username_limit)))


def attempt_failed(attempt: Attempt) -> None:
    """A wrong password: count the failure; past the limit, close the gate for a longer delay."""
    if not attempt.name:
        return
    limit = settings.LOGIN_ATTEMPTS_PER_USERNAME
    projected = int(cache.get(_key("failures", attempt.name)) or 0) + 1
    if projected >= limit:
        # Closed before the failure is counted: no attempt slips through in between.
        cache.set(_key("gate", attempt.name), 1, timeout=_delay(projected - limit))
    failures = _reserve(_key("failures", attempt.name), settings.LOGIN_LOCKOUT_SECONDS)
    if failures >= limit:
        # Two failures read the same count above: the one that reached the limit closes the
        # gate now (add() keeps a gate already closed for longer).
        cache.add(_key("gate", attempt.name), 1, timeout=_delay(failures - limit))
    if failures == limit:
        _lock(
            attempt.username_key or _key("username", attempt.name),
            target=f"username:{attempt.name}",
            address=attempt.address,
            limit=limit,
        )


def attempt_succeeded(attempt: Attempt) -> None:
    """A correct password: the username starts afresh, the address gets its place back."""
    if attempt.username_key:
        cache.delete(attempt.username_key)
    if attempt.name:
        cache.delete_many([_key("failures", attempt.name), _key("gate", attempt.name)])
        cache.set(
            _usual_key(attempt.name, attempt.address),
            1,
            timeout=settings.LOGIN_USUAL_ADDRESS_DAYS * 86400,
        )
    with contextlib.suppress(ValueError):  # the window ended meanwhile
        cache.decr(attempt.address_key)
