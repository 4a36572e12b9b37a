"""Integration tests run against the real PostgreSQL, Redis and a real Celery worker."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from celery.contrib.testing.worker import start_worker

from ondijon.celery import app as celery_app
from tests.services import require_postgresql, require_redis


@pytest.fixture
def real_services(transactional_db) -> None:  # type: ignore[no-untyped-def]
    require_postgresql()
    require_redis()


@pytest.fixture
def celery_worker(real_services) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """A real worker consuming the Redis broker, in a thread of the test process."""
    celery_app.conf.task_always_eager = False
    # No ping round trip: it needs a result backend, which OnDijon does not use; the
    # worker thread is started and consuming when start_worker returns.
    with start_worker(
        celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10
    ) as worker:
        yield worker
