"""/ws/field/: an agent hears only about the crew's own tasks."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from incidents import services
from incidents.consumers import FieldConsumer

pytestmark = pytest.mark.django_db(transaction=True)


def tablet(user: Any) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(FieldConsumer.as_asgi(), "/ws/field/")
    communicator.scope["user"] = user
    return communicator


def test_an_agent_receives_the_crews_tasks_on_connect(open_incident, lighting_crew, field_agent):
    task = open_incident().tasks.get()

    async def conversation() -> dict[str, Any]:
        communicator = tablet(field_agent)
        assert (await communicator.connect())[0]
        snapshot = await communicator.receive_json_from()
        await communicator.disconnect()
        return snapshot

    snapshot = async_to_sync(conversation)()
    assert [item["id"] for item in snapshot["tasks"]] == [task.pk]


def test_another_crews_agent_receives_none_of_its_tasks(
    open_incident, lighting_crew, other_crew, other_agent
) -> None:
    async def conversation() -> tuple[dict[str, Any], bool]:
        communicator = tablet(other_agent)
        assert (await communicator.connect())[0]
        snapshot = await communicator.receive_json_from()
        await database_sync_to_async(open_incident)()
        nothing = await communicator.receive_nothing(timeout=0.3)
        await communicator.disconnect()
        return snapshot, nothing

    snapshot, nothing = async_to_sync(conversation)()
    assert snapshot["tasks"] == []
    assert nothing


def test_a_new_task_reaches_the_crews_tablet(open_incident, lighting_crew, field_agent) -> None:
    async def conversation() -> dict[str, Any]:
        communicator = tablet(field_agent)
        assert (await communicator.connect())[0]
        await communicator.receive_json_from()
        await database_sync_to_async(open_incident)()
        message = await communicator.receive_json_from(timeout=3)
        await communicator.disconnect()
        return message

    message = async_to_sync(conversation)()
    assert message["type"] == "task"
    assert message["op"] == "upsert"
    assert message["task"]["status"] == "assigned"


def test_a_reassigned_task_leaves_the_previous_crews_tablet(
    open_incident, lighting_crew, other_crew, field_agent, operator
) -> None:
    task = open_incident().tasks.get()

    async def conversation() -> list[dict[str, Any]]:
        communicator = tablet(field_agent)
        assert (await communicator.connect())[0]
        await communicator.receive_json_from()
        await database_sync_to_async(services.task_assign)(
            task_id=task.pk, crew_id=other_crew.pk, by=operator
        )
        messages = [await communicator.receive_json_from(timeout=3)]
        await communicator.disconnect()
        return messages

    messages = async_to_sync(conversation)()
    assert messages[0] == {"type": "task", "op": "remove", "id": task.pk}


def test_a_done_task_leaves_the_tablet(open_incident, lighting_crew, field_agent) -> None:
    task = open_incident().tasks.get()

    async def conversation() -> dict[str, Any]:
        communicator = tablet(field_agent)
        assert (await communicator.connect())[0]
        await communicator.receive_json_from()
        await database_sync_to_async(services.field_action_apply)(
            action_id=uuid.uuid4(), user=field_agent, task_id=task.pk, kind="done"
        )
        message = await communicator.receive_json_from(timeout=3)
        await communicator.disconnect()
        return message

    assert async_to_sync(conversation)() == {"type": "task", "op": "remove", "id": task.pk}


def test_an_operator_cannot_open_the_field_socket(operator) -> None:
    async def conversation() -> tuple[bool, int | None]:
        communicator = tablet(operator)
        connected, code = await communicator.connect()
        return connected, code

    connected, code = async_to_sync(conversation)()
    assert not connected
    assert code == 4403


def test_an_agent_without_a_crew_cannot_open_the_field_socket(field_agent) -> None:
    async def conversation() -> bool:
        connected, _code = await tablet(field_agent).connect()
        return connected

    assert async_to_sync(conversation)() is False
