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
        self.services: list[asyncio.Task[Any]] = []

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
        from hypervisor.registry import registry

        loop = asyncio.get_running_loop()
        self.simulator = loop.create_task(simulation.run(speed=settings.SIMULATION_SPEED))
        # Device servers of the demo share this loop: without Redis, only this process can
        # push to the screens.
        self.services = [
            loop.create_task(_logged(name, run), name=name)
            for name, run in registry.demo_services().items()
        ]

    async def _stop_simulator(self) -> None:
        for task in [*self.services, self.simulator]:
            if task is None:
                continue
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def _logged(name: str, run: Any) -> None:
    """A demo service that fails is logged; the server goes on without it."""
    try:
        await run()
    except asyncio.CancelledError:
        raise
    except Exception:
        logger.exception("Demo service %s stopped", name)
