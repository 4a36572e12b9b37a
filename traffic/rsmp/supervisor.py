"""The RSMP supervisor: an asyncio TCP server that traffic-light controllers connect to.

One connection is one site. Each site has its own reader, its own ordered queue of work
for the database and its own rate limit, so a site that floods or stalls slows nobody else.
The database work happens in the `store` (plain services run in threads).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from traffic.rsmp import protocol, sxl
from traffic.rsmp.protocol import ProtocolError

logger = logging.getLogger(__name__)


@dataclass
class SupervisorSettings:
    host: str = "127.0.0.1"
    port: int = 12111
    watchdog_interval: float = 60.0  # the specification's default: once a minute
    ack_timeout: float = 30.0  # the specification's default
    # A site sending more than `rate` messages a second on average (bursts of `burst`)
    # gets MessageNotAck for the excess; the connection stays.
    rate: float = 50.0
    burst: float = 200.0
    queue_limit: int = 2000  # pieces of database work a site may have waiting
    command_poll: float = 0.2  # commands wait at most this long to be sent
    signal_group_flush: float = 2.0
    ssl_context: ssl.SSLContext | None = None


class SiteStore(Protocol):
    """Where what the sites report goes; every method is a coroutine."""

    async def connected(self, *, site_id: str, address: str, core: str, sxl: str) -> Any: ...
    async def disconnected(self, *, site_id: str, reason: str) -> None: ...
    async def statuses(
        self, *, site_id: str, values: list[tuple[str, str, Any, str]], at: datetime
    ) -> None: ...
    async def alarm(self, *, site_id: str, **fields: Any) -> None: ...
    async def aggregated(self, *, site_id: str, bits: list[bool], at: datetime) -> None: ...
    async def signal_groups(self, *, states: dict[str, tuple[str, datetime]]) -> None: ...
    async def heard(self, *, site_ids: list[str]) -> None: ...
    async def stopped(self, *, site_ids: list[str]) -> None: ...
    async def alarm_acknowledged(self, *, site_id: str, component: str, code: str) -> None: ...
    async def acknowledgements_to_send(
        self, *, site_ids: list[str]
    ) -> list[tuple[str, str, str]]: ...
    async def commands_to_send(
        self, *, site_ids: list[str]
    ) -> list[tuple[int, str, list[tuple[str, str, str, str]]]]: ...
    async def command_sent(self, *, command_id: int, message_id: str) -> None: ...
    async def command_failed(self, *, command_id: int, outcome: str) -> None: ...
    async def commands_time_out(self) -> None: ...


class TokenBucket:
    def __init__(self, rate: float, burst: float) -> None:
        self.rate, self.burst, self.tokens, self.at = rate, burst, burst, time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


class SiteSession:
    """One connected site: handshake, acknowledgements, watchdog both ways, its messages."""

    def __init__(
        self,
        supervisor: Supervisor,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> None:
        self.supervisor = supervisor
        self.settings = supervisor.settings
        self.reader, self.writer = reader, writer
        peer = writer.get_extra_info("peername") or ("?", 0)
        self.address = f"{peer[0]}:{peer[1]}"
        self.site_id: str | None = None
        self.core_version = ""
        self.component: str | None = None
        self.ready = False  # version messages exchanged both ways
        self.subscribed = False
        self.heard_at = time.monotonic()
        self.watchdog_at = time.monotonic()
        self.awaiting: dict[str, tuple[float, str, Callable[[bool, str], None] | None]] = {}
        self.bucket = TokenBucket(self.settings.rate, self.settings.burst)
        self.work: asyncio.Queue[Callable[[], Awaitable[None]] | None] = asyncio.Queue(
            self.settings.queue_limit
        )
        self.tasks: list[asyncio.Task[Any]] = []
        self.closed_reason = ""
        self.reported: dict[tuple[str, str], tuple[Any, str]] = {}  # last status values
        self.background: set[asyncio.Future[Any]] = set()
        self.commands: dict[str, int] = {}  # command message id → command id
        self.on_message: Callable[[str, dict[str, Any]], None] | None = supervisor.on_message

    def _later(self, coroutine: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coroutine)
        self.background.add(task)
        task.add_done_callback(self.background.discard)

    # Sending

    async def send(
        self, message: dict[str, Any], *, on_ack: Callable[[bool, str], None] | None = None
    ) -> None:
        if message["type"] in protocol.ACKNOWLEDGED:
            self.awaiting[message["mId"]] = (time.monotonic(), message["type"], on_ack)
        if self.on_message is not None:
            self.on_message("out", message)
        self.writer.write(protocol.encode(message))
        await self.writer.drain()

    async def not_ack(self, message_id: str | None, reason: str) -> None:
        logger.info("RSMP %s: MessageNotAck (%s)", self.site_id or self.address, reason)
        if message_id:
            await self.send(protocol.message_not_ack(message_id, reason))

    # Lifetime

    async def run(self) -> None:
        self.tasks = [
            asyncio.create_task(self._apply_work(), name=f"rsmp-work-{self.address}"),
            asyncio.create_task(self._keep_alive(), name=f"rsmp-alive-{self.address}"),
        ]
        try:
            await self._read()
        except (ConnectionError, asyncio.IncompleteReadError, OSError) as error:
            self.closed_reason = self.closed_reason or f"connection lost: {error}"
        finally:
            await self.close(self.closed_reason or "connection closed by the site")

    async def close(self, reason: str, *, record: bool = True) -> None:
        """Close the link; `record` False when the supervisor itself stops (no site is at
        fault, and the sites come back when it starts again)."""
        if self.writer.is_closing() and not self.tasks:
            return
        self.closed_reason = self.closed_reason or reason
        tasks, self.tasks = self.tasks, []
        keep_work = None
        for task in tasks:
            if task.get_name().startswith("rsmp-work") and task is not asyncio.current_task():
                keep_work = task
            elif task is not asyncio.current_task():
                task.cancel()
        with contextlib.suppress(Exception):
            self.writer.close()
        site_id = self.site_id or ""
        if site_id and self.supervisor.sessions.get(site_id) is self:
            del self.supervisor.sessions[site_id]
        else:
            record = False
        if record:

            async def lost() -> None:
                await self.supervisor.store.disconnected(site_id=site_id, reason=self.closed_reason)

            await self._enqueue(lost)
        # What the site said before it went is still applied, in order, then the worker ends.
        with contextlib.suppress(asyncio.QueueFull):
            self.work.put_nowait(None)
        if keep_work is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.shield(keep_work), 30)
        logger.info("RSMP %s disconnected: %s", self.site_id or self.address, self.closed_reason)

    async def _enqueue(self, job: Callable[[], Awaitable[None]]) -> bool:
        try:
            self.work.put_nowait(job)
        except asyncio.QueueFull:
            return False
        return True

    async def _apply_work(self) -> None:
        while True:
            job = await self.work.get()
            if job is None:
                return
            try:
                await job()
            except Exception:
                logger.exception("RSMP %s: applying a message failed", self.site_id)

    async def _keep_alive(self) -> None:
        """Watchdog both ways, and acknowledgements that never came."""
        interval = self.settings.watchdog_interval
        while True:
            await asyncio.sleep(min(1.0, interval / 4))
            now = time.monotonic()
            late = [
                kind
                for sent, kind, _cb in self.awaiting.values()
                if now - sent > self.settings.ack_timeout
            ]
            if late:
                await self.close(
                    f"no acknowledgement of {late[0]} within {self.settings.ack_timeout:g} s"
                )
                return
            if self.ready and now - self.heard_at > 2 * interval + self.settings.ack_timeout:
                await self.close("watchdog missed: nothing heard from the site")
                return
            if not self.ready and now - self.heard_at > self.settings.ack_timeout:
                await self.close("no version handshake")
                return
            if self.ready and now - self.watchdog_at >= interval:
                self.watchdog_at = now
                await self.send(protocol.watchdog())

    async def _read(self) -> None:
        while True:
            try:
                frame = await self.reader.readuntil(protocol.FRAME_END)
            except asyncio.LimitOverrunError as error:
                # A message too large to be one of ours: dropped up to the next separator.
                await self.reader.readexactly(error.consumed)
                with contextlib.suppress(asyncio.LimitOverrunError):
                    await self.reader.readuntil(protocol.FRAME_END)
                logger.warning("RSMP %s: oversized message dropped", self.site_id or self.address)
                continue
            self.heard_at = time.monotonic()
            body = frame[:-1].strip()
            if not body:
                continue
            await self._receive(body)
            if self.writer.is_closing():
                return

    async def _receive(self, body: bytes) -> None:
        try:
            message = protocol.decode(body)
        except ProtocolError as error:
            if self.ready:
                await self.not_ack(error.message_id, error.reason)
            return
        if self.on_message is not None:
            self.on_message("in", message)
        kind = message["type"]
        if kind in ("MessageAck", "MessageNotAck"):
            self._acknowledged(message)
            return
        if kind == "Version":
            await self._version(message)
            return
        if not self.ready:
            return  # the specification: no acknowledgement before the version exchange
        if not self.bucket.take():
            await self.not_ack(message["mId"], "Rate limit exceeded: message dropped")
            return
        try:
            handler = HANDLERS.get(kind)
            if handler is None:
                raise ProtocolError(f"{kind} is not a message a site sends to a supervisor")
            await handler(self, message)
        except ProtocolError as error:
            await self.not_ack(message["mId"], error.reason)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            await self.not_ack(message["mId"], f"Invalid {kind}: {error!r}")

    def _acknowledged(self, message: dict[str, Any]) -> None:
        entry = self.awaiting.pop(str(message.get("oMId")), None)
        if entry is not None and entry[2] is not None:
            entry[2](message["type"] == "MessageAck", str(message.get("rea", "")))

    async def _version(self, message: dict[str, Any]) -> None:
        message_id = message["mId"]
        try:
            offered = [str(item["vers"]) for item in message["RSMP"]]
            site_ids = [str(item["sId"]) for item in message["siteId"]]
            sxl_version = str(message["SXL"])
        except (KeyError, TypeError) as error:
            await self.not_ack(message_id, f"Invalid Version message: {error!r}")
            await self.close("invalid version message")
            return
        chosen = protocol.negotiate(offered)
        reason = ""
        if chosen is None:
            reason = (
                f"RSMP versions [{','.join(offered)}] requested, but only "
                f"[{','.join(protocol.CORE_VERSIONS)}] supported"
            )
        elif sxl_version.split(".")[:2] != protocol.SXL_VERSION.split(".")[:2]:
            reason = (
                f"SXL {sxl_version} requested, but only TLC SXL {protocol.SXL_VERSION} supported"
            )
        elif len(site_ids) != 1 or not site_ids[0].strip():
            reason = "One site id per connection is expected"
        if reason:
            await self.not_ack(message_id, reason)
            await self.close(reason)
            return
        self.site_id, self.core_version = site_ids[0], chosen or ""
        await self.send(protocol.message_ack(message_id))
        previous = self.supervisor.sessions.get(self.site_id)
        if previous is not None and previous is not self:
            await previous.close("replaced by a new connection of the same site")
        self.supervisor.sessions[self.site_id] = self
        site_id, address = self.site_id, self.address

        async def connect() -> None:
            await self.supervisor.store.connected(
                site_id=site_id, address=address, core=chosen or "", sxl=sxl_version
            )

        await self._enqueue(connect)
        await self.send(protocol.version(site_id=self.site_id, versions=(chosen or "",)))
        self.ready = True

    # Handlers of what sites send

    async def _watchdog(self, message: dict[str, Any]) -> None:
        await self.send(protocol.message_ack(message["mId"]))
        if not self.subscribed:
            # The first watchdog completes the handshake: answer it at once, then subscribe.
            self.watchdog_at = time.monotonic()
            await self.send(protocol.watchdog())
            self.subscribed = True
            asyncio.get_running_loop().call_later(
                2.0, lambda: self._later(self._subscribe_once(self.site_id or ""))
            )

    async def _subscribe_once(self, component: str) -> None:
        if self.component is None and not self.writer.is_closing():
            await self.subscribe(component)

    async def subscribe(self, component: str) -> None:
        """Status subscriptions on the controller, sent again at every connection."""
        self.component = component
        await self.send(
            protocol.status_subscribe(component=component, items=sxl.SUBSCRIBED_STATUSES)
        )

    async def _aggregated(self, message: dict[str, Any]) -> None:
        bits = message["se"]
        if (
            not isinstance(bits, list)
            or len(bits) != 8
            or not all(isinstance(b, bool) for b in bits)
        ):
            raise ProtocolError("se must hold 8 booleans")
        at = protocol.parse_timestamp(message["aSTS"])
        await self._accept(
            message,
            lambda: self.supervisor.store.aggregated(site_id=self.site_id or "", bits=bits, at=at),
        )
        if self.component is None:
            await self.subscribe(str(message.get("cId") or self.site_id))

    async def _alarm(self, message: dict[str, Any]) -> None:
        code = message["aCId"]
        if code not in sxl.ALARMS:
            raise ProtocolError(f"Unknown alarm code {code} for TLC SXL {protocol.SXL_VERSION}")
        specialisation = message["aSp"]
        if specialisation not in ("Issue", "Acknowledge", "Suspend", "Resume"):
            raise ProtocolError(f"Alarm {specialisation} is not sent by a site")
        if "aS" not in message:  # the site's answer to an acknowledgement: no state with it
            fields_ack = {"component": str(message["cId"]), "code": code}
            await self._accept(
                message,
                lambda: self.supervisor.store.alarm_acknowledged(
                    site_id=self.site_id or "", **fields_ack
                ),
            )
            return
        fields = {
            "component": str(message["cId"]),
            "code": code,
            "active": message["aS"] == "Active",
            "acknowledged": message["ack"] == "Acknowledged",
            "suspended": message["sS"] in ("suspended", "Suspended"),
            "priority": int(message["pri"]),
            "values": {str(item["n"]): str(item["v"]) for item in message.get("rvs", [])},
            "at": protocol.parse_timestamp(message["aTs"]),
        }
        await self._accept(
            message, lambda: self.supervisor.store.alarm(site_id=self.site_id or "", **fields)
        )

    async def _statuses(self, message: dict[str, Any]) -> None:
        component = str(message["cId"])
        if component != self.component:
            raise ProtocolError(f"Unknown component {component}: no status was subscribed there")
        values = []
        for item in message["sS"]:
            code, name = str(item["sCI"]), str(item["n"])
            if code not in sxl.KNOWN_STATUSES:
                raise ProtocolError(f"Status {code} was not requested")
            values.append((code, name, item.get("s"), str(item["q"])))
        at = protocol.parse_timestamp(message["sTs"])
        # S0001 changes every second: kept here and written in batches. The other statuses
        # reach the database only when one of them changed (or is older news: buffered).
        groups = [v for v in values if v[:2] == ("S0001", "signalgroupstatus") and v[2] is not None]
        if groups:
            self.supervisor.signal_groups[self.site_id or ""] = (str(groups[-1][2]), at)
        others = [v for v in values if v[0] != "S0001"]
        changed = [v for v in others if self.reported.get(v[:2]) != (v[2], v[3])]
        for code, name, value, quality in others:
            self.reported[(code, name)] = (value, quality)
        if changed or message["type"] == "StatusResponse":
            await self._accept(
                message,
                lambda: self.supervisor.store.statuses(
                    site_id=self.site_id or "", values=values, at=at
                ),
            )
        else:
            await self.send(protocol.message_ack(message["mId"]))

    async def _command_response(self, message: dict[str, Any]) -> None:
        await self.send(protocol.message_ack(message["mId"]))
        ages = {str(item.get("age")) for item in message.get("rvs", [])}
        command_id = self.commands.pop(
            str(message.get("cId"))
            + ":"
            + ",".join(sorted({str(i["cCI"]) for i in message.get("rvs", [])})),
            None,
        )
        if command_id is not None and ages & {"undefined", "unknown"}:
            await self._enqueue(
                lambda: self.supervisor.store.command_failed(
                    command_id=command_id, outcome="The controller does not know this command"
                )
            )

    async def _accept(self, message: dict[str, Any], job: Callable[[], Awaitable[None]]) -> None:
        if await self._enqueue(job):
            await self.send(protocol.message_ack(message["mId"]))
        else:
            await self.not_ack(message["mId"], "Supervisor busy with this site: message dropped")

    # Requests to the site

    async def send_command(self, command_id: int, args: list[tuple[str, str, str, str]]) -> str:
        component = self.component or self.site_id or ""
        message = protocol.command_request(component=component, args=args)
        self.commands[component + ":" + ",".join(sorted({a[0] for a in args}))] = command_id

        def answered(ok: bool, reason: str) -> None:
            if not ok:
                self._later(
                    self._enqueue(
                        lambda: self.supervisor.store.command_failed(
                            command_id=command_id, outcome=reason or "refused"
                        )
                    )
                )

        await self.send(message, on_ack=answered)
        return str(message["mId"])

    async def acknowledge_alarm(self, component: str, code: str) -> None:
        await self.send(protocol.alarm_acknowledge(component=component, code=code))

    async def suspend_alarm(self, component: str, code: str, *, suspend: bool) -> None:
        await self.send(protocol.alarm_suspend(component=component, code=code, suspend=suspend))

    async def request_statuses(self, items: list[tuple[str, str]]) -> None:
        await self.send(
            protocol.status_request(component=self.component or self.site_id or "", items=items)
        )


HANDLERS: dict[str, Callable[[SiteSession, dict[str, Any]], Awaitable[None]]] = {
    "Watchdog": SiteSession._watchdog,
    "AggregatedStatus": SiteSession._aggregated,
    "Alarm": SiteSession._alarm,
    "StatusUpdate": SiteSession._statuses,
    "StatusResponse": SiteSession._statuses,
    "CommandResponse": SiteSession._command_response,
}


class Supervisor:
    """The server; `sessions` maps each connected site id to its session."""

    def __init__(self, settings: SupervisorSettings, store: SiteStore) -> None:
        self.settings = settings
        self.store = store
        self.sessions: dict[str, SiteSession] = {}
        self.connections: set[SiteSession] = set()
        self.signal_groups: dict[str, tuple[str, datetime]] = {}
        self.server: asyncio.Server | None = None
        self.tasks: list[asyncio.Task[Any]] = []
        self.on_message: Callable[[str, dict[str, Any]], None] | None = None

    @property
    def port(self) -> int:
        assert self.server is not None
        return int(self.server.sockets[0].getsockname()[1])

    async def start(self) -> None:
        self.server = await asyncio.start_server(
            self._accept, self.settings.host, self.settings.port,
            ssl=self.settings.ssl_context, limit=protocol.MAX_MESSAGE_BYTES,
        )  # fmt: skip
        self.tasks = [
            asyncio.create_task(self._send_commands(), name="rsmp-commands"),
            asyncio.create_task(self._flush_signal_groups(), name="rsmp-signal-groups"),
        ]
        logger.info("RSMP supervisor listening on %s:%s", self.settings.host, self.port)

    async def stop(self) -> None:
        for task in self.tasks:
            task.cancel()
        for task in self.tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self.server is not None:
            self.server.close()
        stopping = list(self.connections)
        site_ids = [session.site_id for session in stopping if session.site_id]
        await asyncio.gather(
            *(session.close("supervisor stopped", record=False) for session in stopping),
            return_exceptions=True,
        )
        if site_ids:
            with contextlib.suppress(Exception):
                await self.store.stopped(site_ids=site_ids)
        if self.server is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.server.wait_closed(), 2)
        closing = getattr(self.store, "close", None)
        if closing is not None:
            await closing()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        session = SiteSession(self, reader, writer)
        self.connections.add(session)
        try:
            await session.run()
        finally:
            self.connections.discard(session)

    async def _send_commands(self) -> None:
        ticks = 0
        while True:
            await asyncio.sleep(self.settings.command_poll)
            ticks += 1
            try:
                ready = [site for site, s in self.sessions.items() if s.ready and s.subscribed]
                if ready:
                    for command_id, site_id, args in await self.store.commands_to_send(
                        site_ids=ready
                    ):
                        session = self.sessions.get(site_id)
                        if session is None:
                            continue
                        message_id = await session.send_command(command_id, args)
                        await self.store.command_sent(command_id=command_id, message_id=message_id)
                if ready and ticks % 10 == 0:
                    for site_id, component, code in await self.store.acknowledgements_to_send(
                        site_ids=ready
                    ):
                        if site_id in self.sessions:
                            await self.sessions[site_id].acknowledge_alarm(component, code)
                if ticks % 25 == 0:
                    await self.store.commands_time_out()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("RSMP command relay failed; it runs again shortly")

    async def _flush_signal_groups(self) -> None:
        heard_at = time.monotonic()
        while True:
            await asyncio.sleep(self.settings.signal_group_flush)
            try:
                if time.monotonic() - heard_at > 60 and self.sessions:
                    heard_at = time.monotonic()
                    await self.store.heard(site_ids=list(self.sessions))
                if not self.signal_groups:
                    continue
                states, self.signal_groups = self.signal_groups, {}
                await self.store.signal_groups(states=states)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("RSMP signal-group states not stored; the next ones will be")


def utc_now() -> datetime:
    return datetime.now(UTC)
