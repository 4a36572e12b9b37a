"""Typed reading of environment variables.

Every variable is parsed here so that a malformed value stops the start-up with a
message naming the variable, instead of surfacing later as an obscure failure.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

_SUPPORTED_DATABASES = {"django.db.backends.postgresql", "django.db.backends.sqlite3"}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class Config:
    """Reads variables from a mapping (the process environment by default)."""

    def __init__(self, source: Mapping[str, str] | None = None) -> None:
        self.source = os.environ if source is None else source

    def _raw(self, name: str) -> str | None:
        value = self.source.get(name)
        if value is None or value.strip() == "":
            return None
        return value.strip()

    def is_set(self, name: str) -> bool:
        return self._raw(name) is not None

    def string(self, name: str, default: str = "") -> str:
        raw = self._raw(name)
        return default if raw is None else raw

    def boolean(self, name: str, default: bool) -> bool:
        raw = self._raw(name)
        if raw is None:
            return default
        lowered = raw.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ImproperlyConfigured(f"{name}: expected true or false, got {raw!r}.")

    def integer(self, name: str, default: int, *, minimum: int | None = None) -> int:
        raw = self._raw(name)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise ImproperlyConfigured(f"{name}: expected a whole number, got {raw!r}.") from None
        if minimum is not None and value < minimum:
            raise ImproperlyConfigured(f"{name}: must be at least {minimum}, got {value}.")
        return value

    def number(self, name: str, default: float, *, minimum: float | None = None) -> float:
        raw = self._raw(name)
        if raw is None:
            return default
        try:
            value = float(raw)
        except ValueError:
            raise ImproperlyConfigured(f"{name}: expected a number, got {raw!r}.") from None
        if minimum is not None and value < minimum:
            raise ImproperlyConfigured(f"{name}: must be at least {minimum}, got {value}.")
        return value

    def items(self, name: str, default: list[str]) -> list[str]:
        raw = self._raw(name)
        if raw is None:
            return list(default)
        return [item.strip() for item in raw.split(",") if item.strip()]

    def lat_lon(self, name: str, default: tuple[float, float]) -> tuple[float, float]:
        raw = self._raw(name)
        if raw is None:
            return default
        parts = raw.split(",")
        try:
            lat, lon = (float(part) for part in parts)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: expected 'latitude,longitude' in degrees, got {raw!r}."
            ) from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ImproperlyConfigured(f"{name}: latitude or longitude out of range in {raw!r}.")
        return lat, lon

    def database(self, name: str) -> dict[str, Any] | None:
        raw = self._raw(name)
        if raw is None:
            return None
        try:
            parsed = environ.Env.db_url_config(raw)
        except Exception as error:  # environ raises several types for bad URLs
            raise ImproperlyConfigured(f"{name}: not a valid database URL ({error}).") from None
        if parsed.get("ENGINE") not in _SUPPORTED_DATABASES:
            raise ImproperlyConfigured(
                f"{name}: use a postgres:// (production) or sqlite:// URL, got {raw!r}."
            )
        return parsed

    def email(self, name: str) -> dict[str, Any] | None:
        """Django's EMAIL_* settings from a URL such as smtp+tls://user:password@host:587."""
        raw = self._raw(name)
        if raw is None:
            return None
        try:
            parsed = environ.Env.email_url_config(raw)
        except Exception as error:
            raise ImproperlyConfigured(f"{name}: not a valid e-mail URL ({error}).") from None
        if not parsed.get("EMAIL_HOST"):
            raise ImproperlyConfigured(f"{name}: the URL names no mail server, got {raw!r}.")
        return dict(parsed)

    def redis_url(self, name: str) -> str | None:
        raw = self._raw(name)
        if raw is None:
            return None
        if not raw.startswith(("redis://", "rediss://", "unix://")):
            raise ImproperlyConfigured(
                f"{name}: expected a redis:// or rediss:// URL, got {raw!r}."
            )
        return raw


def url_origins(template: str) -> list[str]:
    """The CSP source matching a URL template such as a tile server's `{s}.host/{z}/{x}/{y}`.

    A `{s}` subdomain placeholder becomes a wildcard; a relative template is this origin's,
    already allowed by 'self', so it needs no source.
    """
    parts = urlsplit(template.replace("{s}", "*"))
    if not parts.scheme or not parts.netloc:
        return []
    host = parts.netloc.rsplit("@", 1)[-1]
    return [f"{parts.scheme}://{host}"]
