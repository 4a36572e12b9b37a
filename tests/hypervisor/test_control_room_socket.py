"""The control-room socket: who may connect, snapshot, catch-up, and bad messages.

Each conversation runs as one coroutine (one event loop); database work inside it goes
through `database_sync_to_async`, which runs on the test thread.
"""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from citizens import services as citizen_services
from hypervisor import selectors
from hypervisor.consumers import ControlRoomConsumer
from hypervisor.selectors import live as live_selectors

# The consumer closes stale connections around each query (database_sync_to_async), which
# on PostgreSQL would close the test's wrapping transaction: these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True)


def screen(user: Any, since: int | None = None) -> WebsocketCommunicator:
    path = "/ws/control/" + (f"?since={since}" if since is not None else "")
    communicator = WebsocketCommunicator(ControlRoomConsumer.as_asgi(), path)
    communicator.scope["user"] = user
    return communicator


def open_incident() -> None:
    citizen_services.report_submit(
        category_code="eclairage-panne",
        description="Lampadaire éteint rue Monge",
        lat=47.3195,
        lon=5.0370,
        link_duplicates=False,  # each call is an incident of its own on the map
    )


def test_an_operator_receives_a_snapshot_with_the_open_incidents(
    operator, reference_configuration
) -> None:
    open_incident()

    async def conversation() -> dict[str, Any]:
        communicator = screen(operator)
        assert (await communicator.connect())[0]
        snapshot = await communicator.receive_json_from()
        await communicator.disconnect()
        return snapshot

    snapshot = async_to_sync(conversation)()
    assert snapshot["type"] == "snapshot"
    assert snapshot["seq"] == selectors.live_sequence()
    assert [feature["category"] for feature in snapshot["layers"]["incidents"]] == [
        "Lampadaire éteint"
    ]


@pytest.mark.parametrize("persona", ["field_agent", "teleoperator", "police_officer", "citizen"])
def test_roles_that_do_not_watch_the_control_room_cannot_connect(request, persona: str, db) -> None:
    user = request.getfixturevalue(persona)

    async def conversation() -> tuple[bool, int | None]:
        return await screen(user).connect()

    connected, code = async_to_sync(conversation)()
    assert not connected
    assert code == 4403


def test_a_reconnecting_screen_receives_only_what_it_missed(
    operator, reference_configuration, django_capture_on_commit_callbacks
) -> None:
    open_incident()  # what the screen saw before it lost its connection
    last_seen = selectors.live_sequence()
    with django_capture_on_commit_callbacks(execute=True):
        # Opened, then routed and dispatched on commit: its task, with no crew to take
        # it, asks for an operator, which the incident's mark shows too.
        open_incident()

    async def conversation() -> list[dict[str, Any]]:
        communicator = screen(operator, since=last_seen)
        await communicator.connect()
        received = [await communicator.receive_json_from()]
        while received[-1]["type"] != "caught_up":
            received.append(await communicator.receive_json_from())
        await communicator.disconnect()
        return received

    received = async_to_sync(conversation)()
    assert all(message["type"] == "delta" for message in received[:-1])
    missed = [m["event"]["kind"] for m in received[:-1] if m["seq"] > last_seen]
    assert missed == ["incident.opened", "incident.routed", "task.changed"]
    # A few events just before the screen's last one are sent again: one that committed
    # late, with a lower id, is not lost.
    assert any(message["seq"] <= last_seen for message in received[:-1])
    assert received[-1]["seq"] == selectors.live_sequence()


def test_a_screen_that_missed_too_much_gets_a_fresh_snapshot(
    operator, reference_configuration, monkeypatch
) -> None:
    monkeypatch.setattr(live_selectors, "CATCH_UP_LIMIT", 1)
    open_incident()
    last_seen = selectors.live_sequence()
    open_incident()
    open_incident()

    async def conversation() -> dict[str, Any]:
        communicator = screen(operator, since=last_seen)
        await communicator.connect()
        first = await communicator.receive_json_from()
        await communicator.disconnect()
        return first

    assert async_to_sync(conversation)()["type"] == "snapshot"


def test_a_message_the_screen_may_not_send_is_refused_and_the_socket_stays_up(
    operator, territory
) -> None:
    async def conversation() -> list[dict[str, Any]]:
        communicator = screen(operator)
        await communicator.connect()
        await communicator.receive_json_from()  # snapshot
        answers = []
        await communicator.send_json_to({"type": "acknowledge_everything"})
        answers.append(await communicator.receive_json_from())
        await communicator.send_to(text_data="{not json")
        answers.append(await communicator.receive_json_from())
        await communicator.send_json_to({"type": "ping"})
        answers.append(await communicator.receive_json_from())
        await communicator.disconnect()
        return answers

    refused = {"type": "error", "error": "unsupported_message"}
    assert async_to_sync(conversation)() == [refused, refused, {"type": "pong"}]


def test_a_committed_incident_reaches_connected_screens_as_deltas(
    operator, reference_configuration, django_capture_on_commit_callbacks
) -> None:
    def open_and_commit() -> None:
        with django_capture_on_commit_callbacks(execute=True):
            open_incident()

    async def conversation() -> list[dict[str, Any]]:
        communicator = screen(operator)
        await communicator.connect()
        await communicator.receive_json_from()  # snapshot
        await database_sync_to_async(open_and_commit)()
        deltas = [await communicator.receive_json_from(), await communicator.receive_json_from()]
        await communicator.disconnect()
        return deltas

    opened, routed = async_to_sync(conversation)()
    assert opened["event"]["kind"] == "incident.opened"
    assert routed["feature"]["service"] == "Éclairage public"
    assert routed["seq"] > opened["seq"]


def test_an_elected_official_sees_only_their_commune(
    elected_official, reference_configuration
) -> None:
    from hypervisor.models import Commune, StaffProfile

    dijon = Commune.objects.get(insee="21231")
    StaffProfile.objects.create(user=elected_official, commune=dijon)
    open_incident()  # in Dijon
    citizen_services.report_submit(
        category_code="eclairage-panne",
        description="Lampadaire éteint à Quetigny",
        lat=dijon.label_lat,
        lon=5.1060,
        link_duplicates=False,
    )

    async def conversation() -> dict[str, Any]:
        communicator = screen(elected_official)
        assert (await communicator.connect())[0]
        snapshot = await communicator.receive_json_from()
        await communicator.disconnect()
        return snapshot

    snapshot = async_to_sync(conversation)()
    from hypervisor.selectors import commune_at

    communes = {commune_at(lat=f["lat"], lon=f["lon"]) for f in snapshot["layers"]["incidents"]}
    assert communes == {"21231"}


def test_an_elected_official_without_a_commune_cannot_connect(elected_official, db) -> None:
    async def conversation() -> tuple[bool, int | None]:
        return await screen(elected_official).connect()

    assert async_to_sync(conversation)() == (False, 4403)


def test_an_in_app_notification_reaches_the_recipients_open_screen(operator, territory) -> None:
    from hypervisor.services import notification_deliver, notify

    def send() -> None:
        [push] = notify(users=[operator], channels=["push"], subject="Alarme", body="Armoire A-12")
        notification_deliver(notification_id=push.pk)

    async def conversation() -> dict[str, Any]:
        communicator = screen(operator)
        await communicator.connect()
        await communicator.receive_json_from()  # snapshot
        await database_sync_to_async(send)()
        message = await communicator.receive_json_from()
        await communicator.disconnect()
        return message

    message = async_to_sync(conversation)()
    assert (message["type"], message["subject"], message["body"]) == (
        "notification",
        "Alarme",
        "Armoire A-12",
    )


def test_an_elected_officials_screen_receives_the_deltas_of_its_commune_only(
    elected_official, reference_configuration, django_capture_on_commit_callbacks
) -> None:
    from hypervisor.models import Commune, StaffProfile

    dijon = Commune.objects.get(insee="21231")
    StaffProfile.objects.create(user=elected_official, commune=dijon)

    def report_in_quetigny_then_in_dijon() -> None:
        with django_capture_on_commit_callbacks(execute=True):
            citizen_services.report_submit(
                category_code="eclairage-panne",
                description="Lampadaire éteint à Quetigny",
                lat=dijon.label_lat,
                lon=5.1060,
                link_duplicates=False,
            )
        with django_capture_on_commit_callbacks(execute=True):
            open_incident()

    async def conversation() -> list[dict[str, Any]]:
        communicator = screen(elected_official)
        await communicator.connect()
        await communicator.receive_json_from()  # snapshot
        await database_sync_to_async(report_in_quetigny_then_in_dijon)()
        received = []
        while not await communicator.receive_nothing(timeout=0.5):
            received.append(await communicator.receive_json_from())
        await communicator.disconnect()
        return received

    from hypervisor.selectors import commune_at

    received = async_to_sync(conversation)()
    assert {message["layer"] for message in received} == {"incidents"}
    assert {commune_at(lat=m["feature"]["lat"], lon=m["feature"]["lon"]) for m in received} == {
        "21231"
    }


def test_a_delta_is_addressed_to_the_commune_where_its_feature_lies(territory) -> None:
    from hypervisor.selectors.live import delta_audience

    def delta(layer: str, op: str = "upsert", **feature: float) -> dict[str, Any]:
        return {"type": "delta", "layer": layer, "op": op, "feature": feature or None}

    assert delta_audience(delta("incidents", lat=47.3195, lon=5.0370)) == "21231"
    assert delta_audience(delta("alarms", op="remove")) == "*"
    assert delta_audience(delta("incidents")) == ""  # no location: staff only
    assert delta_audience(delta("lighting", lat=47.3195, lon=5.0370)) == ""
