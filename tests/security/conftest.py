"""The world the access tests share: built once per module, rolled back after each test.

Building it takes seconds; each test runs inside a savepoint of the module's transaction,
so a route that changes something (closes the crisis, rejects the incident) leaves the
next test the same untouched world.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings

from ondijon.celery import app as celery_app
from tests.security.world import World, build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[World]:  # type: ignore[no-untyped-def]
    media = tmp_path_factory.mktemp("media")
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        built = build_world()
        celery_app.conf.task_always_eager = eager
        yield built
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _fresh_limits() -> Iterator[None]:
    """Rate limits and throttles start afresh: the matrix sends many requests per client."""
    cache.clear()
    yield
    cache.clear()
