"""The supervisor's side of the database: each call runs one service in a worker thread."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any, TypeVar

from asgiref.sync import sync_to_async
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connection, connections

from traffic import selectors
from traffic.services import rsmp as services

T = TypeVar("T")


def _once_more_on_lost_connection(function: Callable[..., T], opened: set[Any]) -> Callable[..., T]:
    """A database restarted meanwhile: the thread's connection is replaced, the call retried."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        opened.add(connections[DEFAULT_DB_ALIAS])
        try:
            return function(*args, **kwargs)
        except (OperationalError, InterfaceError):
            connection.close()
            return function(*args, **kwargs)

    return wrapper


class DatabaseStore:
    """What sites report goes to the traffic services; commands come from the database.

    Its own threads (a few: each site's work is sequential, so one flooding site holds at
    most one), shut down with it, so nothing writes after the supervisor stopped.
    """

    def __init__(self, *, threads: int = 4) -> None:
        self.executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="rsmp-db")
        self.connections: set[Any] = set()

    async def close(self) -> None:
        await asyncio.get_running_loop().run_in_executor(None, self._shut_down)

    def _shut_down(self) -> None:
        self.executor.shutdown(wait=True)
        for database in self.connections:  # the threads are gone: their connections too
            database.inc_thread_sharing()
            database.close()

    def _run(self, function: Callable[..., T]) -> Callable[..., Any]:
        return sync_to_async(
            _once_more_on_lost_connection(function, self.connections),
            thread_sensitive=False,
            executor=self.executor,
        )

    async def connected(self, *, site_id: str, address: str, core: str, sxl: str) -> Any:
        return await self._run(services.rsmp_site_connected)(
            site_id=site_id, address=address, core_version=core, sxl_version=sxl
        )

    async def disconnected(self, *, site_id: str, reason: str) -> None:
        await self._run(services.rsmp_site_disconnected)(site_id=site_id, reason=reason)

    async def statuses(
        self, *, site_id: str, values: list[tuple[str, str, Any, str]], at: datetime
    ) -> None:
        await self._run(services.rsmp_statuses_apply)(site_id=site_id, values=values, at=at)

    async def alarm(self, *, site_id: str, **fields: Any) -> None:
        await self._run(services.rsmp_alarm_apply)(site_id=site_id, **fields)

    async def aggregated(self, *, site_id: str, bits: list[bool], at: datetime) -> None:
        await self._run(services.rsmp_aggregated_status_apply)(site_id=site_id, bits=bits, at=at)

    async def signal_groups(self, *, states: dict[str, tuple[str, datetime]]) -> None:
        await self._run(services.rsmp_signal_groups_store)(states=states)

    async def heard(self, *, site_ids: list[str]) -> None:
        await self._run(services.rsmp_sites_heard)(site_ids=site_ids)

    async def acknowledgements_to_send(self, *, site_ids: list[str]) -> list[tuple[str, str, str]]:
        return await self._run(services.rsmp_acknowledgements_to_send)(site_ids=site_ids)

    async def alarm_acknowledged(self, *, site_id: str, component: str, code: str) -> None:
        await self._run(services.rsmp_alarm_acknowledged)(
            site_id=site_id, component=component, code=code
        )

    async def stopped(self, *, site_ids: list[str]) -> None:
        await self._run(services.rsmp_supervisor_stopped)(site_ids=site_ids)

    async def commands_to_send(
        self, *, site_ids: list[str]
    ) -> list[tuple[int, str, list[tuple[str, str, str, str]]]]:
        return await self._run(selectors.signal_commands_to_send)(site_ids=site_ids)

    async def command_sent(self, *, command_id: int, message_id: str) -> None:
        await self._run(services.signal_command_sent)(command_id=command_id, message_id=message_id)

    async def command_failed(self, *, command_id: int, outcome: str) -> None:
        await self._run(services.signal_command_fail)(command_id=command_id, outcome=outcome)

    async def commands_time_out(self) -> None:
        await self._run(services.signal_commands_time_out)()
