"""The field tablet's WebSocket: its crew's tasks on connect, then each change."""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from hypervisor.access import AccessRule
from hypervisor.security.socket_sessions import SessionBoundSocket
from incidents import selectors
from incidents.live import crew_group
from incidents.models import OPEN_TASK_STATUSES

FORBIDDEN = 4403


def _connect_state(user: Any) -> tuple[int, dict[str, Any]] | None:
    if not FieldConsumer.access_rule.allows(user):
        return None
    crew = selectors.crew_of_user(user=user)
    if crew is None:
        return None
    return crew.pk, selectors.field_snapshot(crew=crew)


def _task_message(task_id: int, crew_id: int) -> dict[str, Any]:
    """The task as this crew may see it; a task it no longer holds is only named to drop it."""
    crew = selectors.crew_of_user_by_crew_id(crew_id=crew_id)
    task = selectors.task_for_crew(task_id=task_id, crew=crew) if crew else None
    if task is None or task.status not in OPEN_TASK_STATUSES:
        return {"type": "task", "op": "remove", "id": task_id}
    return {
        "type": "task",
        "op": "upsert",
        "id": task_id,
        "task": selectors.task_feature(task, crew=crew),
    }


class FieldConsumer(SessionBoundSocket, AsyncJsonWebsocketConsumer):
    """A field agent's tablet: the tasks of the agent's crew."""

    access_rule = AccessRule(public=False, permissions=("incidents.use_field_tablet",))

    async def connect(self) -> None:
        state = await database_sync_to_async(_connect_state)(self.scope["user"])
        if state is None:
            await self.close(code=FORBIDDEN)
            return
        self.crew_id, _snapshot = state
        # Join first, then read: nothing committed in between is missed.
        await self.channel_layer.group_add(crew_group(self.crew_id), self.channel_name)
        await self.accept()
        state = await database_sync_to_async(_connect_state)(self.scope["user"])
        if state is None:
            await self.close(code=FORBIDDEN)
            return
        await self.bind_session()
        await self.send_json(state[1])

    def still_allowed(self, user: Any) -> bool:
        """Still a field agent, and still in the crew whose tasks this socket relays."""
        state = _connect_state(user)
        return state is not None and state[0] == self.crew_id

    async def disconnect(self, code: int) -> None:
        await self.unbind_session()
        if hasattr(self, "crew_id"):
            await self.channel_layer.group_discard(crew_group(self.crew_id), self.channel_name)

    @classmethod
    async def decode_json(cls, text_data: str) -> Any:
        try:
            return await super().decode_json(text_data)
        except ValueError:
            return None

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})
            return
        # Tablets only listen; actions go through the HTTP API and its services.
        await self.send_json({"type": "error", "error": "unsupported_message"})

    async def field_task(self, event: dict[str, Any]) -> None:
        message = await database_sync_to_async(_task_message)(int(event["task_id"]), self.crew_id)
        await self.send_json(message)
