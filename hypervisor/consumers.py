"""The control-room WebSocket: a snapshot or catch-up on connect, then deltas."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from hypervisor import selectors
from hypervisor.access import AccessRule
from hypervisor.live import CONTROL_ROOM_GROUP
from hypervisor.notifications.backends import user_group
from hypervisor.selectors import live as live_selectors

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
    """Operators and supervisors see everything; an elected official, their commune only."""

    access_rule = AccessRule(
        public=False,
        permissions=("hypervisor.view_control_room", "hypervisor.view_elected_board"),
        any_of=True,
    )
    commune: str | None = None
    groups_joined: list[str]

    async def connect(self) -> None:
        user = self.scope["user"]
        # The declared rule first, then the selector's finer check (an official's commune).
        allowed = await database_sync_to_async(self.access_rule.allows)(user) and (
            await database_sync_to_async(selectors.user_can_watch_control_room)(user=user)
        )
        if not allowed:
            await self.close(code=FORBIDDEN)
            return
        self.commune = await database_sync_to_async(live_selectors.watched_commune)(user=user)
        # Join before reading the catch-up so nothing committed in between is missed;
        # applying a delta twice is harmless.
        self.groups_joined = [CONTROL_ROOM_GROUP, user_group(user.pk)]
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        since = _since(self.scope)
        if self.commune:
            messages = await database_sync_to_async(live_selectors.live_catch_up_for_commune)(
                since=since, insee=self.commune
            )
        else:
            messages = await database_sync_to_async(selectors.live_catch_up)(since=since)
        for message in messages:
            await self.send_json(message)

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

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
        message = event["message"]
        if not self.commune and "text" in event:
            await self.send(text_data=event["text"])
            return
        if self.commune:
            if message.get("layer") not in {"incidents", "alarms"}:
                return
            visible = await database_sync_to_async(live_selectors.visible_in_commune)(
                message, self.commune
            )
            if not visible:
                return
        await self.send_json(message)

    async def notification_push(self, event: dict[str, Any]) -> None:
        await self.send_json(event["message"])
