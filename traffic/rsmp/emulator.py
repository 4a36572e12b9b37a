"""RSMP site emulators: the demo's traffic-light controllers, real TCP peers of the supervisor.

All sites live in one asyncio process and cost little: they send only on change (status
subscriptions "on change"), a watchdog a minute, and a stage change every half-minute or so.
Each keeps a communication buffer while disconnected (alarms, aggregated status, status
updates marked "old") and sends it after the handshake when it reconnects.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from traffic.rsmp import protocol, sxl

logger = logging.getLogger(__name__)
PARIS = ZoneInfo("Europe/Paris")

# The daily timetable of time plans (local time): night, morning peak, day, evening peak.
TIMETABLE = [
    (0, 1),
    (6 * 60 + 30, 2),
    (9 * 60 + 30, 3),
    (16 * 60 + 30, 4),
    (19 * 60 + 30, 3),
    (22 * 60, 1),
]


def planned_time_plan(at: datetime) -> int:
    local = at.astimezone(PARIS)
    minute = local.hour * 60 + local.minute
    plan = TIMETABLE[0][1]
    for start, number in TIMETABLE:
        if minute >= start:
            plan = number
    return plan


@dataclass
class SiteAlarm:
    component: str
    code: str
    active: bool = True
    acknowledged: bool = False
    suspended: bool = False
    values: dict[str, str] = field(default_factory=dict)
    at: datetime = field(default_factory=lambda: datetime.now(tz=PARIS))

    @property
    def definition(self) -> sxl.AlarmDefinition:
        return sxl.ALARMS[self.code]

    def issue(self) -> dict[str, Any]:
        return protocol.alarm_issue(
            component=self.component, code=self.code, active=self.active,
            acknowledged=self.acknowledged, suspended=self.suspended,
            priority=self.definition.priority, category="D", values=self.values, at=self.at,
        )  # fmt: skip


@dataclass
class EmulatorSettings:
    host: str = "127.0.0.1"
    port: int = 12111
    watchdog_interval: float = 60.0
    reconnect_interval: float = 10.0  # the specification's default
    ack_timeout: float = 30.0
    security_code: str = "0000"
    stage_seconds: tuple[float, float] = (20.0, 40.0)
    alarms_per_day: float = 1.0  # per site; half clear within the hour
    command_delay: float = 1.0  # how long the controller takes to change position
    ssl_context: ssl.SSLContext | None = None


class SiteEmulator:
    """One traffic-light controller speaking RSMP 3.2 with TLC SXL 1.2.1."""

    def __init__(
        self, site_id: str, *, signal_groups: int, settings: EmulatorSettings, rng: random.Random
    ) -> None:
        self.site_id = site_id
        self.component = site_id
        self.settings = settings
        self.rng = rng
        self.signal_groups = max(2, min(signal_groups, 16))
        self.groups = [f"{site_id}.SG{n}" for n in range(1, self.signal_groups + 1)]
        self.detectors = [f"{site_id}.DL{n}" for n in range(1, 5)]
        self.position = "NormalControl"
        self.control_mode = "control"
        self.time_plan = planned_time_plan(datetime.now(tz=PARIS))
        self.plan_source = "calendar_clock"
        self.forced_plan = False
        self.stage = 1
        self.police_key = 0
        self.manual = False
        self.alarms: dict[str, SiteAlarm] = {}
        self.subscriptions: dict[tuple[str, str], bool] = {}  # (sCI, n) → send on change
        self.buffer: list[dict[str, Any]] = []
        self.writer: asyncio.StreamWriter | None = None
        self.ready = False
        self.awaiting: dict[str, float] = {}
        self.sent: list[dict[str, Any]] = []  # every message sent (for the tests), when kept
        self.keep_sent = False
        self.on_message: Callable[[str, dict[str, Any]], None] | None = None
        self.stopped = asyncio.Event()
        self.unplugged = False  # the demo's "cable pulled": no connection until plugged back
        self.connected = asyncio.Event()
        self.task: asyncio.Task[None] | None = None

    # Values the controller reports

    def signal_group_status(self) -> str:
        """S0001: one character per group; groups of the current stage green (1), others red (B)."""
        if self.position == "Dark":
            return "".join("A" for _group in self.groups)  # dark
        if self.position == "YellowFlash":
            return "".join("c" for _group in self.groups)  # yellow flash
        return "".join(
            "1" if (index + self.stage) % 2 == 0 else "B" for index in range(len(self.groups))
        )

    def status_value(self, code: str, name: str) -> tuple[Any, str]:
        value: Any
        if code == "S0001":
            value = {
                "signalgroupstatus": self.signal_group_status(),
                "stage": str(self.stage),
                "cyclecounter": "0",
                "basecyclecounter": "0",
            }.get(name)
        elif code == "S0005":
            value = {"status": "True" if self.control_mode == "startup" else "False"}.get(name)
        elif code in ("S0007", "S0008", "S0011"):
            on = {
                "S0007": self.position != "Dark",
                "S0008": self.manual,
                "S0011": self.position == "YellowFlash",
            }[code]
            value = {"intersection": "0", "status": str(on), "source": "operator_panel"}.get(name)
        elif code == "S0013":
            value = {"intersection": "0", "status": str(self.police_key)}.get(name)
        elif code == "S0014":
            value = {"status": str(self.time_plan), "source": self.plan_source}.get(name)
        elif code == "S0020":
            value = {"intersection": "0", "controlmode": self.control_mode}.get(name)
        else:
            return None, "unknown"  # recognised by the SXL, not implemented here
        return (value, "recent") if value is not None else (None, "undefined")

    def aggregated_bits(self) -> list[bool]:
        active = [a for a in self.alarms.values() if a.active and not a.suspended]
        return [
            self.manual or self.police_key > 0,
            False,
            any(a.definition.priority == 1 for a in active),
            any(a.definition.priority == 2 for a in active),
            any(a.definition.priority == 3 for a in active),
            self.position == "NormalControl" and self.control_mode == "control",
            self.position == "Dark",
            False,
        ]

    # Sending, with the communication buffer

    async def _write(self, message: dict[str, Any]) -> None:
        if self.keep_sent:
            self.sent.append(message)
        if self.on_message is not None:
            self.on_message("out", message)
        if message["type"] in protocol.ACKNOWLEDGED:
            self.awaiting[message["mId"]] = time.monotonic()
        assert self.writer is not None
        self.writer.write(protocol.encode(message))
        await self.writer.drain()

    async def emit(self, message: dict[str, Any], *, buffered: bool = True) -> None:
        """Send now when connected; alarms and statuses wait in the buffer otherwise."""
        if self.ready and self.writer is not None and not self.writer.is_closing():
            with contextlib.suppress(ConnectionError, OSError):
                await self._write(message)
                return
        if buffered and len(self.buffer) < 10_000:
            if message["type"] == "StatusUpdate":
                for item in message["sS"]:
                    item["q"] = "old" if item["q"] == "recent" else item["q"]
            self.buffer.append(message)

    async def statuses_changed(self, codes: set[str]) -> None:
        items = [
            (c, n) for (c, n), on_change in self.subscriptions.items() if on_change and c in codes
        ]
        if not items:
            return
        values = [(c, n, *self.status_value(c, n)) for c, n in items]
        await self.emit(
            protocol.status_values(component=self.component, values=values, response=False)
        )

    async def aggregated_changed(self) -> None:
        await self.emit(
            protocol.aggregated_status(component=self.component, bits=self.aggregated_bits())
        )

    # What the demo makes happen

    async def raise_alarm(
        self, code: str, component: str | None = None, **values: str
    ) -> SiteAlarm:
        definition = sxl.ALARMS[code]
        if component is None:
            component = {
                "controller": self.component,
                "signal_group": self.rng.choice(self.groups),
                "detector_logic": self.rng.choice(self.detectors),
            }[definition.object_type]
        defaults = {"color": "red", "protocol": "rsmp", "timeplan": str(self.time_plan),
                    "detector": component.rsplit(".", 1)[-1], "type": "loop", "errormode": "on",
                    "manual": "False", "logicerror": "always_on"}  # fmt: skip
        alarm = SiteAlarm(
            component=component,
            code=code,
            values={n: values.get(n, defaults[n]) for n in definition.arguments},
        )
        self.alarms[f"{code}/{component}"] = alarm
        await self.emit(alarm.issue())
        await self.aggregated_changed()
        return alarm

    async def clear_alarm(self, key: str) -> None:
        alarm = self.alarms.get(key)
        if alarm is None or not alarm.active:
            return
        alarm.active, alarm.at = False, datetime.now(tz=PARIS)
        await self.emit(alarm.issue())
        del self.alarms[key]
        await self.aggregated_changed()

    async def set_position(self, position: str) -> None:
        if position == self.position:
            return
        self.position = position
        await self.statuses_changed({"S0001", "S0007", "S0011"})
        await self.aggregated_changed()

    async def set_time_plan(self, plan: int, *, source: str) -> None:
        # A plan chosen at the controller (its panel, a command) holds against the calendar.
        if source != "calendar_clock":
            self.forced_plan = True
        if plan == self.time_plan:
            return
        self.time_plan, self.plan_source = plan, source
        await self.statuses_changed({"S0014"})

    async def live(self) -> None:
        """Stages turn, plans follow the timetable, alarms come and go."""
        next_stage = time.monotonic() + self.rng.uniform(*self.settings.stage_seconds)
        while True:
            await asyncio.sleep(1.0 + self.rng.random())
            now = time.monotonic()
            if now >= next_stage:
                next_stage = now + self.rng.uniform(*self.settings.stage_seconds)
                self.stage = self.stage % 4 + 1
                if self.position == "NormalControl":
                    await self.statuses_changed({"S0001"})
            if not self.forced_plan:
                await self.set_time_plan(
                    planned_time_plan(datetime.now(tz=PARIS)), source="calendar_clock"
                )
            chance = self.settings.alarms_per_day * 1.5 / 86_400
            if self.rng.random() < chance:
                await self.raise_alarm(
                    self.rng.choice(["A0201", "A0202", "A0301", "A0010", "A0002"])
                )
            for key, alarm in list(self.alarms.items()):
                if alarm.active and self.rng.random() < 1.5 / 1800:
                    await self.clear_alarm(key)

    # Connection life

    async def run(self) -> None:
        life = asyncio.create_task(self.live())
        try:
            while not self.stopped.is_set():
                if self.unplugged:
                    await asyncio.sleep(1.0)
                    continue
                try:
                    await self._session()
                except (
                    ConnectionError,
                    OSError,
                    asyncio.IncompleteReadError,
                    TimeoutError,
                ) as error:
                    logger.debug("RSMP site %s: %s", self.site_id, error)
                finally:
                    self.ready = False
                    self.connected.clear()
                    if self.writer is not None:
                        self.writer.close()
                        self.writer = None
                if not self.stopped.is_set():
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(
                            self.stopped.wait(), self.settings.reconnect_interval
                        )
        finally:
            life.cancel()

    async def _session(self) -> None:
        reader, self.writer = await asyncio.wait_for(
            asyncio.open_connection(
                self.settings.host, self.settings.port, ssl=self.settings.ssl_context,
                limit=protocol.MAX_MESSAGE_BYTES,
            ),
            10,
        )  # fmt: skip
        self.awaiting.clear()
        await self._write(protocol.version(site_id=self.site_id))
        alive = asyncio.create_task(self._keep_alive())
        try:
            while True:
                frame = await reader.readuntil(protocol.FRAME_END)
                await self._receive(frame[:-1])
        finally:
            alive.cancel()

    async def _keep_alive(self) -> None:
        sent_at = time.monotonic()
        while True:
            await asyncio.sleep(1.0)
            now = time.monotonic()
            if any(now - at > self.settings.ack_timeout for at in self.awaiting.values()):
                logger.info("RSMP site %s: no acknowledgement, reconnecting", self.site_id)
                if self.writer is not None:
                    self.writer.close()
                return
            if self.ready and now - sent_at >= self.settings.watchdog_interval:
                sent_at = now
                await self._write(protocol.watchdog())

    async def _receive(self, body: bytes) -> None:
        try:
            message = protocol.decode(body)
        except protocol.ProtocolError as error:
            if error.message_id:
                await self._write(protocol.message_not_ack(error.message_id, error.reason))
            return
        if self.on_message is not None:
            self.on_message("in", message)
        kind = message["type"]
        if kind in ("MessageAck", "MessageNotAck"):
            self.awaiting.pop(str(message.get("oMId")), None)
            return
        message_id = message["mId"]
        if kind == "Version":
            if protocol.negotiate([str(v.get("vers")) for v in message.get("RSMP", [])]) is None:
                await self._write(protocol.message_not_ack(message_id, "No common RSMP version"))
                return
            await self._write(protocol.message_ack(message_id))
            await self._write(protocol.watchdog())
            return
        if kind == "Watchdog":
            await self._write(protocol.message_ack(message_id))
            if not self.ready:
                await self._established()
            return
        if not self.ready:
            return
        handler = {
            "StatusSubscribe": self._subscribe,
            "StatusUnsubscribe": self._unsubscribe,
            "StatusRequest": self._status_request,
            "CommandRequest": self._command,
            "Alarm": self._alarm_request,
            "AggregatedStatusRequest": self._aggregated_request,
        }.get(kind)
        if handler is None:
            await self._write(protocol.message_not_ack(message_id, f"{kind} is not sent to a site"))
            return
        try:
            await handler(message)
        except (KeyError, TypeError, ValueError) as error:
            await self._write(protocol.message_not_ack(message_id, f"Invalid {kind}: {error!r}"))

    async def _established(self) -> None:
        """After the handshake: aggregated status, active alarms, then the buffer in order."""
        self.ready = True
        self.connected.set()
        await self._write(
            protocol.aggregated_status(component=self.component, bits=self.aggregated_bits())
        )
        buffered, self.buffer = self.buffer, []
        for message in buffered:
            await self._write(message)
        # Active alarms, except those whose very event the buffer just carried.
        sent = {(m["aCId"], m["cId"], m["aTs"]) for m in buffered if m["type"] == "Alarm"}
        for alarm in self.alarms.values():
            issue = alarm.issue()
            if (issue["aCId"], issue["cId"], issue["aTs"]) not in sent:
                await self._write(issue)

    def _known_component(self, component: str) -> bool:
        return component in (self.component, *self.groups, *self.detectors)

    async def _subscribe(self, message: dict[str, Any]) -> None:
        await self._write(protocol.message_ack(message["mId"]))
        items = [(str(i["sCI"]), str(i["n"])) for i in message["sS"]]
        known = self._known_component(str(message["cId"]))
        if known:
            for item in message["sS"]:
                self.subscriptions[(str(item["sCI"]), str(item["n"]))] = bool(item["sOc"])
        values = [
            (c, n, *(self.status_value(c, n) if known else (None, "undefined"))) for c, n in items
        ]
        await self._write(
            protocol.status_values(component=str(message["cId"]), values=values, response=False)
        )

    async def _unsubscribe(self, message: dict[str, Any]) -> None:
        await self._write(protocol.message_ack(message["mId"]))
        for item in message["sS"]:
            self.subscriptions.pop((str(item["sCI"]), str(item["n"])), None)

    async def _status_request(self, message: dict[str, Any]) -> None:
        await self._write(protocol.message_ack(message["mId"]))
        known = self._known_component(str(message["cId"]))
        values = [
            (
                str(i["sCI"]),
                str(i["n"]),
                *(self.status_value(str(i["sCI"]), str(i["n"])) if known else (None, "undefined")),
            )
            for i in message["sS"]
        ]
        await self._write(
            protocol.status_values(component=str(message["cId"]), values=values, response=True)
        )

    async def _aggregated_request(self, message: dict[str, Any]) -> None:
        await self._write(protocol.message_ack(message["mId"]))
        await self._write(
            protocol.aggregated_status(component=self.component, bits=self.aggregated_bits())
        )

    async def _command(self, message: dict[str, Any]) -> None:
        component = str(message["cId"])
        args = {(str(a["cCI"]), str(a["n"])): str(a["v"]) for a in message["arg"]}
        codes = {code for code, _name in args}
        expected = {
            "M0001": {"status", "securityCode", "timeout", "intersection"},
            "M0002": {"status", "securityCode", "timeplan"},
        }
        for code in codes:
            if code in expected and {n for c, n in args if c == code} != expected[code]:
                await self._write(
                    protocol.message_not_ack(message["mId"], f"Incomplete command {code}")
                )
                return
        await self._write(protocol.message_ack(message["mId"]))
        known = self._known_component(component) and codes <= set(expected)
        age = (
            "recent"
            if known
            else ("undefined" if not self._known_component(component) else "unknown")
        )
        accepted = known and all(
            args.get((c, "securityCode")) == self.settings.security_code for c in codes
        )
        await self._write(
            protocol.command_response(
                component=component,
                values=[(c, n, v if known else None, age) for (c, n), v in args.items()],
            )
        )
        if not accepted:
            return
        await asyncio.sleep(self.settings.command_delay)
        if "M0001" in codes:
            await self.set_position(args[("M0001", "status")])
        if "M0002" in codes and args[("M0002", "status")] == "True":
            self.forced_plan = True
            await self.set_time_plan(int(args[("M0002", "timeplan")]), source="forced")
        elif "M0002" in codes:
            self.forced_plan = False

    async def _alarm_request(self, message: dict[str, Any]) -> None:
        await self._write(protocol.message_ack(message["mId"]))
        alarm = self.alarms.get(f"{message['aCId']}/{message['cId']}")
        if alarm is None:
            return
        if message["aSp"] == "Acknowledge":
            alarm.acknowledged = True
            await self._write(
                protocol.alarm_acknowledged(component=alarm.component, code=alarm.code)
            )
        elif message["aSp"] in ("Suspend", "Resume"):
            alarm.suspended = message["aSp"] == "Suspend"
            await self._write(
                protocol.alarm_suspended(
                    component=alarm.component, code=alarm.code, suspended=alarm.suspended,
                    active=alarm.active, acknowledged=alarm.acknowledged,
                    priority=alarm.definition.priority, category="D", values=alarm.values,
                )
            )  # fmt: skip
            await self.aggregated_changed()

    def start(self) -> None:
        self.task = asyncio.get_running_loop().create_task(
            self.run(), name=f"rsmp-site-{self.site_id}"
        )

    async def stop(self) -> None:
        self.stopped.set()
        if self.writer is not None:
            self.writer.close()
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task

    def unplug(self, unplugged: bool) -> None:
        """Cut the link and stay off (or come back): an emulator killed and restarted."""
        if unplugged and not self.unplugged:
            self.drop_link()
        self.unplugged = unplugged

    def drop_link(self) -> None:
        """Cut the connection without a word (a cable pulled); it reconnects later."""
        if self.writer is not None:
            transport = self.writer.transport
            transport.abort()


async def run_fleet(
    sites: list[tuple[str, int]],
    settings: EmulatorSettings,
    *,
    seed: int | None = None,
    while_true: Callable[[], bool] | None = None,
    unplugged: Callable[[], set[str]] | None = None,
) -> None:
    """Every site of the demo in this process, connecting a few at a time.

    `while_true` is checked every few seconds: the demo's sites stop with the server that
    started them, even when it could not say so. `unplugged` names the sites to keep
    disconnected meanwhile (the demo's way to pull one controller's cable).
    """
    rng = random.Random(seed)
    emulators = [
        SiteEmulator(
            site_id, signal_groups=groups, settings=settings, rng=random.Random(rng.random())
        )
        for site_id, groups in sites
    ]
    for index, emulator in enumerate(emulators):
        emulator.start()
        if index % 20 == 19:
            await asyncio.sleep(0.05)
    try:
        while while_true is None or while_true():
            await asyncio.sleep(2.0)
            if unplugged is not None:
                off = unplugged()
                for emulator in emulators:
                    emulator.unplug(emulator.site_id in off)
    finally:
        for emulator in emulators:
            await emulator.stop()
