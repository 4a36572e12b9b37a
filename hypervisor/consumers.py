"""The control-room WebSocket: a snapshot or catch-up on connect, then deltas."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from hypervisor import selectors
from hypervisor.live import CONTROL_ROOM_GROUP

FORBIDDEN = 4403


def _since(scope: dict[str, Any]) -> int | None:
    values = parse_qs(scope.get("query_string", b"").decode()).get("since")
    if not values:
        return None
    try:
        return int(values[0])
    except ValueError:
        return None


class ControlRoomConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        allowed = await database_sync_to_async(selectors.user_can_watch_control_room)(
            user=self.scope["user"]
        )
        if not allowed:
            await self.close(code=FORBIDDEN)
            return
        # Join before reading the catch-up so nothing committed in between is missed;
        # the client drops deltas whose sequence it already has.
        await self.channel_layer.group_add(CONTROL_ROOM_GROUP, self.channel_name)
        await self.accept()
        messages = await database_sync_to_async(selectors.live_catch_up)(since=_since(self.scope))
        for message in messages:
            await self.send_json(message)

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(CONTROL_ROOM_GROUP, self.channel_name)

    @classmethod
    async def decode_json(cls, text_data: str) -> Any:
        try:
            return await super().decode_json(text_data)
        except ValueError:
            return None  # answered as unsupported below; the socket stays up

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})
            return
        # Screens only listen; commands go through the HTTP views and their services.
        await self.send_json({"type": "error", "error": "unsupported_message"})

    async def live_delta(self, event: dict[str, Any]) -> None:
        await self.send_json(event["message"])
