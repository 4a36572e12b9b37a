"""Login throttling: counters per username and per client address, shared through the cache.

An attempt reserves its place *before* the password is checked: the cache's atomic
increment hands out numbers 1, 2, 3…, and only the first N in a window are checked. So
twenty attempts arriving at once still let at most N reach the password hasher, in one
process or in many (Redis in production). A success clears the username's counter and
gives the address its place back, so colleagues behind one office address are not locked
out by each other's logins. The first refused attempt restarts the window (the lockout)
and is audited.
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


def attempt_begin(*, username: str, address: str) -> Attempt:
    """Reserve an attempt for this username from this address, or refuse it (locked)."""
    window = settings.LOGIN_LOCKOUT_SECONDS
    address_key = _key("address", address)
    address_limit = settings.LOGIN_ATTEMPTS_PER_ADDRESS
    address_count = _reserve(address_key, window)
    if address_count > address_limit:
        if address_count == address_limit + 1:
            _lock(address_key, target=f"address:{address}", address=address, limit=address_limit)
        return Attempt(False, None, address_key, window)
    username_key = _key("username", username.strip().casefold())
    username_limit = settings.LOGIN_ATTEMPTS_PER_USERNAME
    username_count = _reserve(username_key, window)
    if username_count > username_limit:
        if username_count == username_limit + 1:
            _lock(
                username_key, target=f"username:{username}", address=address, limit=username_limit
            )
        return Attempt(False, username_key, address_key, window)
    return Attempt(True, username_key, address_key, window)


def attempt_succeeded(attempt: Attempt) -> None:
    """A correct password: the username starts afresh, the address gets its place back."""
    if attempt.username_key:
        cache.delete(attempt.username_key)
    with contextlib.suppress(ValueError):  # the window ended meanwhile
        cache.decr(attempt.address_key)
