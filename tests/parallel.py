"""Parallel runs: each pytest-xdist worker gets a Redis database of its own.

pytest-django already gives each worker its own test database (`test_<name>_gw<N>`). Redis
is shared by the workers, and the integration tests start from an empty database
(`flushdb`), so each worker moves REDIS_URL to the next database number before Django reads
its settings. Pub/sub channels and the live feed carry that number in their names
(`ondijon.settings`, `hypervisor.fanout`), so workers never hear each other's events.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

REDIS_DATABASES = 16


def worker_index() -> int | None:
    """The number of this xdist worker (gw0 → 0), or None outside a parallel run."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return int(worker[2:]) if worker.startswith("gw") and worker[2:].isdigit() else None


def redis_url_for_worker(url: str, index: int) -> str:
    """The same server, database number shifted by the worker's index."""
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{(base + index) % REDIS_DATABASES}"))


def isolate_worker() -> None:
    index = worker_index()
    if index is None:
        return
    for variable in ("REDIS_URL", "CELERY_BROKER_URL"):
        if os.environ.get(variable):
            os.environ[variable] = redis_url_for_worker(os.environ[variable], index)


# Loaded as a plugin (`pytest -p tests.parallel`, see the Makefile): plugins given with -p are
# imported before pytest-django loads the settings, which a conftest.py never is.
isolate_worker()
