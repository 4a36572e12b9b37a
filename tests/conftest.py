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


def _user_with_role(role: Role, username: str):  # type: ignore[no-untyped-def]
    return UserFactory(username=username, roles=[role])


@pytest.fixture
def operator(db):  # type: ignore[no-untyped-def]
    return _user_with_role(Role.OPERATOR, "olivia")


@pytest.fixture
def second_operator(db):  # type: ignore[no-untyped-def]
    return _user_with_role(Role.OPERATOR, "oscar")


@pytest.fixture
def supervisor(db):  # type: ignore[no-untyped-def]
    return _user_with_role(Role.SUPERVISOR, "samuel")


@pytest.fixture
def field_agent(db):  # type: ignore[no-untyped-def]
    return _user_with_role(Role.FIELD_AGENT, "aurelien")


@pytest.fixture
def teleoperator(db):  # type: ignore[no-untyped-def]
    return _user_with_role(Role.TELEOPERATOR, "thea")


@pytest.fixture
def police_officer(db):  # type: ignore[no-untyped-def]
    return _user_with_role(Role.POLICE, "paul")


@pytest.fixture
def elected_official(db):  # type: ignore[no-untyped-def]
    return _user_with_role(Role.ELECTED_OFFICIAL, "elise")


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
        import uvicorn

        from ondijon.asgi import application

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(
            uvicorn.Config(
                application,
                host="127.0.0.1",
                port=self.port,
                lifespan="off",
                log_level="warning",
                ws="websockets-sansio",
            )
        )
        self.thread = threading.Thread(target=self.server.run, name="asgi-server", daemon=True)

    def __enter__(self) -> AsgiServer:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("The ASGI server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Unit tests first, then integration, then browser tests (which hold an event loop)."""
    rank = {"integration": 1, "e2e": 2}

    def order(item: pytest.Item) -> int:
        return max((rank.get(mark.name, 0) for mark in item.iter_markers()), default=0)

    items.sort(key=order)
