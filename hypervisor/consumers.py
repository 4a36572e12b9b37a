"""The control-room WebSocket: a snapshot or catch-up on connect, then deltas."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from hypervisor import fanout, selectors
from hypervisor.access import AccessRule
from hypervisor.notifications.backends import user_group
from hypervisor.security.socket_sessions import SessionBoundSocket
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


class ControlRoomConsumer(SessionBoundSocket, AsyncJsonWebsocketConsumer):
    """Operators and supervisors see everything; an elected official, their commune only.

    Deltas come from the process's live-feed hub (one Redis subscription for all screens);
    the channel layer carries only this user's own pushes (in-app notifications).
    """

    access_rule = AccessRule(
        public=False,
        permissions=("hypervisor.view_control_room", "hypervisor.view_elected_board"),
        any_of=True,
    )
    commune: str | None = None
    feed: fanout.ScreenFeed | None = None
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
        self.groups_joined = [user_group(user.pk)]
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        await self.bind_session()
        # Subscribe before reading the catch-up so nothing committed in between is missed;
        # deltas queue meanwhile and follow the catch-up. Applying one twice is harmless.
        hub = fanout.hub()
        self.feed = fanout.ScreenFeed(self._send_text, self._close, commune=self.commune)
        hub.attach(self.feed)
        await hub.wait_subscribed()
        since = _since(self.scope)
        if self.commune:
            messages = await database_sync_to_async(live_selectors.live_catch_up_for_commune)(
                since=since, insee=self.commune
            )
        else:
            messages = await database_sync_to_async(selectors.live_catch_up)(since=since)
        for message in messages:
            await self.send_json(message)
        self.feed.start()

    def still_allowed(self, user: Any) -> bool:
        return self.access_rule.allows(user) and selectors.user_can_watch_control_room(user=user)

    async def disconnect(self, code: int) -> None:
        await self.unbind_session()
        if self.feed is not None:
            fanout.hub().detach(self.feed)
            await self.feed.stop()
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def _send_text(self, text: str) -> None:
        await self.send(text_data=text)

    async def _close(self, code: int) -> None:
        await self.close(code=code)

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

    async def notification_push(self, event: dict[str, Any]) -> None:
        await self.send_json(event["message"])


class CrisisBannerConsumer(AsyncJsonWebsocketConsumer):
    """Every staff page's crisis banner: the state on connect, then each change.

    Small on purpose: pages other than the control room need only this, not the map feed.
    """

    access_rule = AccessRule(
        public=False,
        permissions=("hypervisor.view_control_room", "hypervisor.view_elected_board"),
        any_of=True,
    )
    joined = False

    async def connect(self) -> None:
        from hypervisor.live import CRISIS_GROUP

        if not await database_sync_to_async(self.access_rule.allows)(self.scope["user"]):
            await self.close(code=FORBIDDEN)
            return
        await self.channel_layer.group_add(CRISIS_GROUP, self.channel_name)
        self.joined = True
        await self.accept()
        await self.send_json(await database_sync_to_async(selectors.crisis_state)())

    async def disconnect(self, code: int) -> None:
        from hypervisor.live import CRISIS_GROUP

        if self.joined:
            await self.channel_layer.group_discard(CRISIS_GROUP, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def crisis_state(self, event: dict[str, Any]) -> None:
        await self.send_json(event["state"])
