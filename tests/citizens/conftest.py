"""Fixtures of the citizens' tests: photos go to a temporary folder, rate limits start afresh."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _isolated_media_and_limits(settings, tmp_path) -> Iterator[None]:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.NOTIFICATIONS_FILE = tmp_path / "notifications.log"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def open311_key(settings) -> str:  # type: ignore[no-untyped-def]
    settings.OPEN311_API_KEYS = ["app-key-1"]
    return "app-key-1"
