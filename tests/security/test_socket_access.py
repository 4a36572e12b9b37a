"""Every WebSocket route × every role, through the real ASGI stack with a session cookie.

The routes come from the project's WebSocket URL configuration (apps add theirs through
the registry), so a new route joins the matrix by itself and fails it without a rule.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from hypervisor.access import rule_of
from incidents import selectors as incident_selectors
from ondijon.routing import websocket_urlpatterns
from tests.security.world import ROLES, World, build_world

# The consumers close stale connections around each query (database_sync_to_async), which
# on PostgreSQL would close a test's wrapping transaction: these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True)

ROUTES = {str(route.pattern): route for route in websocket_urlpatterns}

# What a consumer checks beyond its declared rule, about the user's own objects.
BEYOND_THE_RULE: dict[str, Callable[[Any], bool]] = {
    "ws/field/": lambda user: incident_selectors.crew_of_user(user=user) is not None,
}


def _session_cookie(user: Any) -> bytes:
    if not user.is_authenticated:
        return b""
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}".encode()


def _connects(path: str, user: Any, origin: bytes = b"http://testserver") -> bool:
    """Whether the real ASGI application accepts this user's session on the route."""
    from ondijon.asgi import application

    # Made before the event loop starts: the session is written synchronously.
    cookie = _session_cookie(user)

    async def conversation() -> bool:
        communicator = WebsocketCommunicator(
            application, "/" + path, headers=[(b"origin", origin), (b"cookie", cookie)]
        )
        connected, _code = await communicator.connect(timeout=10)
        if connected:
            await communicator.disconnect()
        return connected

    return async_to_sync(conversation)()


def test_every_websocket_route_declares_an_access_rule() -> None:
    assert ROUTES, "the project has WebSocket routes"
    assert [path for path, route in ROUTES.items() if rule_of(route.callback) is None] == []


@pytest.fixture
def socket_world(settings, tmp_path) -> World:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world()


@pytest.mark.parametrize("path", sorted(ROUTES))
def test_the_socket_accepts_exactly_the_roles_its_rule_lets_in(
    path: str, socket_world: World
) -> None:
    rule = rule_of(ROUTES[path].callback)
    assert rule is not None
    beyond = BEYOND_THE_RULE.get(path, lambda user: True)
    wrong = []
    for role in ROLES:
        user = socket_world.users[role]
        expected = rule.allows(user) and beyond(user)
        if _connects(path, user) != expected:
            wrong.append(f"{role}: {'refused' if expected else 'accepted'}")
    assert wrong == []


def test_a_socket_from_another_origin_is_refused(socket_world: World) -> None:
    operator = socket_world.users["operator"]
    assert _connects("ws/control/", operator)
    assert not _connects("ws/control/", operator, origin=b"https://evil.example")
