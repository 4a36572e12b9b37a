"""Real services the integration and browser tests need.

Outside CI a missing service skips its tests with the reason; with CI=true it fails them,
so a broken CI machine can never pass by skipping.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = Path(os.environ.get("ONDIJON_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (required in CI)", pytrace=False)
    pytest.skip(reason)


def require_postgresql() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        unavailable("needs PostgreSQL: set DATABASE_URL")


def database_url(name: str | None = None) -> str:
    """A URL of the database server pytest uses: its test database, or `name` on it.

    For processes started by a test (a worker, a server, `manage.py`), which read
    DATABASE_URL as production does.
    """
    from urllib.parse import quote

    from django.db import connection

    settings = connection.settings_dict
    credentials = quote(settings["USER"] or "", safe="")
    if settings["PASSWORD"]:
        credentials += ":" + quote(settings["PASSWORD"], safe="")
    host = settings["HOST"] or "127.0.0.1"
    port = settings["PORT"] or 5432
    return f"postgres://{credentials}@{host}:{port}/{name or settings['NAME']}"


def require_redis() -> None:
    from django.conf import settings

    if not settings.REDIS_URL:
        unavailable("needs Redis: set REDIS_URL")
        return
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        unavailable(f"Redis at REDIS_URL does not answer: {error}")


def require_chromium() -> None:
    if not CHROMIUM.exists() and not shutil.which("chromium"):
        unavailable(f"needs Chromium at {CHROMIUM} (apt-get install chromium)")
