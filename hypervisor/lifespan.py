"""ASGI lifespan: starts the simulator inside the server process when it is enabled."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)

Scope = dict[str, Any]


class LifespanHandler:
    """Wraps the ASGI router; answers lifespan events, passes everything else through."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.simulator: asyncio.Task[int] | None = None

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self._start_simulator()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self._stop_simulator()
                await send({"type": "lifespan.shutdown.complete"})
                return

    def _start_simulator(self) -> None:
        if not settings.SIMULATOR_ENABLED:
            return
        from hypervisor import simulation

        self.simulator = asyncio.get_running_loop().create_task(
            simulation.run(speed=settings.SIMULATION_SPEED)
        )

    async def _stop_simulator(self) -> None:
        if self.simulator is None:
            return
        self.simulator.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.simulator
