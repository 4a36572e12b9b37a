"""Bounded concurrency for HTTP requests, in lanes, so a burst cannot exhaust the database.

Under ASGI every synchronous Django request runs in a thread of its own with a database
connection of its own: 200 simultaneous citizen reports opened up to 78 PostgreSQL
connections ("too many clients") and, in the embedded mode, queued SQLite writers until
"database is locked". Requests now wait their turn in a lane (they are not refused):
anonymous writes (citizen reports, Open311 posts) share a few places, and everything else
(the staff's pages and APIs) has its own, so the operators' screens stay fast during a
burst. WebSockets and the lifespan pass through.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from django.conf import settings

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

PUBLIC = "public-writes"
OTHER = "other"


def lane_of(scope: Scope) -> str:
    """Anonymous writes of the public forms and APIs, or anything else."""
    method = scope.get("method", "GET")
    path = scope.get("path", "")
    if method == "POST" and path.startswith(settings.HTTP_PUBLIC_WRITE_PATHS):
        return PUBLIC
    return OTHER


class ConcurrencyLimit:
    """ASGI middleware: at most N requests of a lane run at once in this process."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._lanes: dict[tuple[int, str], asyncio.Semaphore] = {}

    def _semaphore(self, lane: str) -> asyncio.Semaphore:
        # One set per event loop: a semaphore belongs to the loop it is first awaited in.
        key = (id(asyncio.get_running_loop()), lane)
        if key not in self._lanes:
            size = (
                settings.HTTP_PUBLIC_WRITE_CONCURRENCY
                if lane == PUBLIC
                else settings.HTTP_CONCURRENCY
            )
            self._lanes[key] = asyncio.Semaphore(size)
        return self._lanes[key]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        async with self._semaphore(lane_of(scope)):
            await self.app(scope, receive, send)
