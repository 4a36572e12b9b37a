"""A live socket closes when its user logs out, is deactivated, loses the role or the session.

Replays the review's attack: after logout, `is_active=False` or a role removal, the
control-room socket kept receiving frames. Real sockets: the ASGI server under uvicorn,
the Redis channel layer, PostgreSQL sessions.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from hypervisor.security.sessions import SEEN_AT
from hypervisor.security.socket_sessions import SESSION_ENDED
from tests.incidents.factories import CrewFactory, CrewMemberFactory

pytestmark = pytest.mark.integration


def _open(asgi_server: Any, client: Any, path: str) -> ClientConnection:
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    url = asgi_server.url.replace("http", "ws") + path
    socket = connect(url, additional_headers={"Cookie": cookie}, origin=asgi_server.url)
    socket.__enter__()  # closed by _closed_with
    socket.recv(timeout=10)  # the snapshot
    socket.send(json.dumps({"type": "ping"}))  # positive control: the socket is alive
    assert json.loads(socket.recv(timeout=10)) == {"type": "pong"}
    return socket


def _closed_with(socket: ClientConnection, timeout: float = 10.0) -> int | None:
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            socket.recv(timeout=max(0.1, deadline - time.monotonic()))
    except ConnectionClosed as closed:
        return closed.rcvd.code if closed.rcvd else None
    except TimeoutError:
        pass
    socket.close()
    return None


def _logout(client: Any, user: Any) -> None:
    assert client.post("/deconnexion/").status_code == 302


def _deactivate(client: Any, user: Any) -> None:
    user.is_active = False
    user.save()


def _remove_roles(client: Any, user: Any) -> None:
    user.groups.clear()


def _expire_session(client: Any, user: Any) -> None:
    session = SessionStore(session_key=client.cookies["sessionid"].value)
    session[SEEN_AT] = int(time.time()) - 24 * 3600
    session.save()


ENDINGS: dict[str, Callable[[Any, Any], None]] = {
    "logout": _logout,
    "deactivation": _deactivate,
    "role_removal": _remove_roles,
    "session_expiry": _expire_session,
}


@pytest.fixture
def fast_checks(settings):  # type: ignore[no-untyped-def]
    settings.SOCKET_SESSION_CHECK_SECONDS = 1


@pytest.mark.parametrize("ending", list(ENDINGS))
def test_the_control_room_socket_closes_when_the_session_ends(
    real_services, asgi_server, fast_checks, operator, client, ending
) -> None:
    client.force_login(operator)
    socket = _open(asgi_server, client, "/ws/control/")
    ENDINGS[ending](client, operator)
    assert _closed_with(socket) == SESSION_ENDED


@pytest.mark.parametrize("ending", ["logout", "deactivation", "role_removal"])
def test_the_field_tablet_socket_closes_when_the_session_ends(
    real_services, asgi_server, fast_checks, field_agent, client, ending
) -> None:
    CrewMemberFactory(user=field_agent, crew=CrewFactory())
    client.force_login(field_agent)
    socket = _open(asgi_server, client, "/ws/field/")
    ENDINGS[ending](client, field_agent)
    assert _closed_with(socket) == SESSION_ENDED


def test_another_session_of_the_same_user_stays_open_after_a_logout(
    real_services, asgi_server, fast_checks, operator, client, django_user_model
) -> None:
    from django.test import Client

    other = Client()
    other.force_login(operator)
    client.force_login(operator)
    kept = _open(asgi_server, other, "/ws/control/")
    ended = _open(asgi_server, client, "/ws/control/")
    _logout(client, operator)
    assert _closed_with(ended) == SESSION_ENDED
    assert _closed_with(kept, timeout=2.5) is None  # still open after a periodic check
