"""Fixtures shared by every test: personas, the territory, the runtime mode."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
from channels.layers import channel_layers
from django.contrib.auth.models import AnonymousUser

from hypervisor.roles import Role
from ondijon.celery import app as celery_app
from tests.hypervisor.factories import UserFactory
from tests.services import require_postgresql, require_redis

IN_MEMORY_LAYER = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


@pytest.fixture(autouse=True)
def _embedded_runtime(request: pytest.FixtureRequest, settings) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Unit tests run like the embedded mode: in-process tasks, in-memory channel layer.

    Integration and browser tests keep the real Redis layer and broker from the settings.
    """
    real_services = request.node.get_closest_marker(
        "integration"
    ) or request.node.get_closest_marker("e2e")
    eager = celery_app.conf.task_always_eager
    if not real_services:
        settings.CHANNEL_LAYERS = IN_MEMORY_LAYER
        celery_app.conf.task_always_eager = True
    channel_layers.backends.clear()
    yield
    celery_app.conf.task_always_eager = eager
    channel_layers.backends.clear()


def _persona(role: Role, username: str):  # type: ignore[no-untyped-def]
    @pytest.fixture
    def persona(db):  # type: ignore[no-untyped-def]
        return UserFactory(username=username, roles=[role])

    persona.__doc__ = f"A user with the {role.value} role."
    return persona


operator = _persona(Role.OPERATOR, "olivia")
second_operator = _persona(Role.OPERATOR, "oscar")
supervisor = _persona(Role.SUPERVISOR, "samuel")
field_agent = _persona(Role.FIELD_AGENT, "aurelien")
teleoperator = _persona(Role.TELEOPERATOR, "thea")
police_officer = _persona(Role.POLICE, "paul")
elected_official = _persona(Role.ELECTED_OFFICIAL, "elise")
mobility_operator = _persona(Role.MOBILITY_OPERATOR, "mathis")


@pytest.fixture
def citizen() -> AnonymousUser:
    """Citizens have no account."""
    return AnonymousUser()


@pytest.fixture
def territory(db):  # type: ignore[no-untyped-def]
    """The 23 communes, from the committed facts table (deterministic, no external file)."""
    from hypervisor import services
    from hypervisor.territory import approximate_communes

    services.territory_load(communes=approximate_communes())


@pytest.fixture
def reference_configuration(territory):  # type: ignore[no-untyped-def]
    """Services, categories and routing rules of the demo."""
    import random

    from incidents.demo import seed_reference_configuration

    seed_reference_configuration(rng=random.Random(1), log=lambda _message: None)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class AsgiServer:
    """The real ASGI application under uvicorn, in a thread of the test process."""

    def __init__(self) -> None:
        from ondijon.asgi import application

        self.application = application
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        import uvicorn

        self.server = uvicorn.Server(
            uvicorn.Config(
                self.application,
                host="127.0.0.1",
                port=self.port,
                lifespan="off",
                log_level="warning",
                ws="websockets-sansio",
            )
        )
        self.thread = threading.Thread(target=self.server.run, name="asgi-server", daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("The ASGI server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        """Shut down like a deployment would: open sockets are closed by the server."""
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def __enter__(self) -> AsgiServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


@pytest.fixture
def real_services(transactional_db) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL and Redis, committed data visible to every thread.

    Redis starts empty, as the database does: tasks queued by an earlier test for rows that
    no longer exist, and its rate-limit counters, would otherwise slow or refuse this one.
    """
    require_postgresql()
    require_redis()
    import redis
    from django.conf import settings

    redis.Redis.from_url(settings.REDIS_URL).flushdb()


@pytest.fixture
def celery_worker(real_services) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """A real worker consuming the Redis broker, in a thread of the test process."""
    from celery.contrib.testing.worker import start_worker

    celery_app.conf.task_always_eager = False
    # No ping round trip: it needs a result backend, which OnDijon does not use; the
    # worker thread is started and consuming when start_worker returns.
    with start_worker(
        celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10
    ) as worker:
        yield worker


@pytest.fixture
def asgi_server(transactional_db) -> Iterator[AsgiServer]:  # type: ignore[no-untyped-def]
    with AsgiServer() as server:
        yield server


@pytest.fixture
def english() -> Iterator[None]:
    """Messages in English, for assertions on their wording; French is the default."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def english_visitor(client):  # type: ignore[no-untyped-def]
    """A visitor who chose English in the site's language menu (French is the default)."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Unit tests first, then integration, then browser tests (which hold an event loop)."""
    rank = {"integration": 1, "e2e": 2}

    def order(item: pytest.Item) -> int:
        return max((rank.get(mark.name, 0) for mark in item.iter_markers()), default=0)

    items.sort(key=order)
