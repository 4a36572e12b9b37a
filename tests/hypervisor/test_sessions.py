"""Staff sessions end after 30 idle minutes or 12 hours, on pages and on the live socket."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.utils import timezone, translation

START = timezone.datetime(2026, 3, 2, 7, 0, tzinfo=timezone.get_current_timezone())


@pytest.fixture(autouse=True)
def _timeouts(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SESSION_IDLE_SECONDS = 30 * 60
    settings.SESSION_MAX_SECONDS = 12 * 3600


@pytest.fixture
def clock():  # type: ignore[no-untyped-def]
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def test_a_session_used_within_the_idle_timeout_stays_open(client, operator, territory, clock):
    client.force_login(operator)
    clock.shift(timedelta(minutes=29))
    assert client.get("/controle/").status_code == 200


def test_an_idle_session_is_logged_out_and_sent_to_the_login_page(
    client, operator, territory, clock
) -> None:
    client.force_login(operator)
    clock.shift(timedelta(minutes=31))
    response = client.get("/controle/")
    assert response.status_code == 302
    assert response.url == "/connexion/?next=/controle/"
    assert "_auth_user_id" not in client.session


def test_the_login_page_says_why_the_session_ended(client, operator, territory, clock) -> None:
    client.force_login(operator)
    clock.shift(timedelta(minutes=31))
    page = client.get("/controle/", follow=True).content.decode()
    with translation.override("fr"):
        message = translation.ngettext(
            "Your session ended after %(count)d minute without activity. Please log in again.",
            "Your session ended after %(count)d minutes without activity. Please log in again.",
            30,
        ) % {"count": 30}
    assert message.startswith("Votre session")
    assert message.replace("'", "&#x27;") in page


def test_activity_pushes_the_idle_timeout_back(client, operator, territory, clock) -> None:
    client.force_login(operator)
    for _ in range(4):
        clock.shift(timedelta(minutes=20))
        assert client.get("/controle/").status_code == 200


def test_a_session_ends_after_twelve_hours_however_active(
    english_visitor, client, operator, territory, clock, english
) -> None:
    client.force_login(operator)
    for _ in range(35):
        clock.shift(timedelta(minutes=20))
        assert client.get("/controle/").status_code == 200
    clock.shift(timedelta(minutes=20))  # 12 h since the login
    response = client.get("/controle/", follow=True)
    assert response.redirect_chain[0] == ("/connexion/?next=/controle/", 302)
    assert "maximum length of 12 hours" in response.content.decode()


def test_citizens_pages_are_untouched_by_staff_timeouts(client, territory, clock) -> None:
    clock.shift(timedelta(hours=13))
    assert client.get("/").status_code == 200


def control_room_socket(client) -> tuple[bool, int | None]:  # type: ignore[no-untyped-def]
    """Connect to /ws/control/ through the real ASGI stack, with the client's session cookie."""
    from ondijon.asgi import application

    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()

    async def conversation() -> tuple[bool, int | None]:
        communicator = WebsocketCommunicator(
            application,
            "/ws/control/",
            headers=[
                (b"origin", b"http://localhost"),
                (b"host", b"localhost"),
                (b"cookie", cookie),
            ],
        )
        connected, code = await communicator.connect()
        await communicator.disconnect()
        return connected, code

    return async_to_sync(conversation)()


@pytest.mark.django_db(transaction=True)
def test_the_control_room_socket_opens_with_a_live_session(client, operator, territory, clock):
    client.force_login(operator)
    clock.shift(timedelta(minutes=10))
    assert control_room_socket(client) == (True, None)


@pytest.mark.django_db(transaction=True)
def test_the_control_room_socket_is_refused_once_the_session_is_idle(
    client, operator, territory, clock
) -> None:
    client.force_login(operator)
    clock.shift(timedelta(minutes=31))
    assert control_room_socket(client) == (False, 4403)


@pytest.mark.django_db(transaction=True)
def test_the_control_room_socket_is_refused_after_twelve_hours(
    client, operator, territory, clock
) -> None:
    client.force_login(operator)
    for _ in range(36):
        clock.shift(timedelta(minutes=20))
        client.get("/")
    assert control_room_socket(client) == (False, 4403)
