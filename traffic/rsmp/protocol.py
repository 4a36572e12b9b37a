"""RSMP messages: framing on TCP, identifiers, timestamps, builders and the first checks.

Messages are JSON objects separated by a form feed (0x0C), as the core specification
advises. Both the supervisor and the emulators build their messages here, and the tests
validate every one against the published JSON Schemas.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime
from typing import Any

FRAME_END = b"\x0c"
_MESSAGE_ID = re.compile(r'"mId"\s*:\s*"([0-9a-fA-F-]{36})"')
# Core versions whose messages this implementation reads and writes, oldest first.
CORE_VERSIONS = ("3.1.5", "3.2.0", "3.2.1", "3.2.2")
SXL_VERSION = "1.2.1"
# A message larger than this is refused rather than buffered (a site that never frames).
MAX_MESSAGE_BYTES = 256 * 1024

MESSAGE_TYPES = frozenset(
    {
        "MessageAck", "MessageNotAck", "Version", "AggregatedStatus",
        "AggregatedStatusRequest", "Watchdog", "Alarm", "CommandRequest", "CommandResponse",
        "StatusRequest", "StatusResponse", "StatusSubscribe", "StatusUnsubscribe",
        "StatusUpdate",
    }
)  # fmt: skip
# Messages acknowledged by MessageAck / MessageNotAck (every other than the acks).
ACKNOWLEDGED = MESSAGE_TYPES - {"MessageAck", "MessageNotAck"}


class ProtocolError(ValueError):
    """A message that cannot be understood; `message_id` is set when it could be read."""

    def __init__(self, reason: str, *, message_id: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.message_id = message_id


def new_id() -> str:
    return str(uuid.uuid4())


def timestamp(at: datetime | None = None) -> str:
    """RSMP timestamps: UTC with milliseconds, e.g. 2015-06-08T11:49:03.293Z."""
    at = (at or datetime.now(UTC)).astimezone(UTC)
    return at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


def parse_timestamp(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def encode(message: dict[str, Any]) -> bytes:
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False).encode() + FRAME_END


def decode(frame: bytes) -> dict[str, Any]:
    """One framed message; raises ProtocolError with the reason for the NotAck."""
    try:
        message = json.loads(frame.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        # The message id may still be readable: the NotAck then names the broken message.
        found = _MESSAGE_ID.search(frame.decode("utf-8", "replace"))
        raise ProtocolError(
            f"Malformed JSON: {error}", message_id=found.group(1) if found else None
        ) from error
    if not isinstance(message, dict):
        raise ProtocolError("A message must be a JSON object")
    message_id = message.get("mId") if isinstance(message.get("mId"), str) else None
    if message.get("mType") != "rSMsg":
        raise ProtocolError("mType must be rSMsg", message_id=message_id)
    kind = message.get("type")
    if kind not in MESSAGE_TYPES:
        raise ProtocolError(f"Unknown message type {kind!r}", message_id=message_id)
    if kind in ACKNOWLEDGED and not message_id:
        raise ProtocolError("Missing message id (mId)")
    return message


def _message(kind: str, **fields: Any) -> dict[str, Any]:
    return {"mType": "rSMsg", "type": kind, "mId": new_id(), **fields}


def message_ack(message_id: str) -> dict[str, Any]:
    return {"mType": "rSMsg", "type": "MessageAck", "oMId": message_id}


def message_not_ack(message_id: str, reason: str) -> dict[str, Any]:
    return {"mType": "rSMsg", "type": "MessageNotAck", "oMId": message_id, "rea": reason}


def version(*, site_id: str, versions: tuple[str, ...] = CORE_VERSIONS) -> dict[str, Any]:
    return _message(
        "Version",
        RSMP=[{"vers": item} for item in versions],
        siteId=[{"sId": site_id}],
        SXL=SXL_VERSION,
    )


def watchdog() -> dict[str, Any]:
    return _message("Watchdog", wTs=timestamp())


def aggregated_status(
    *, component: str, bits: list[bool], functional_position: str | None = None
) -> dict[str, Any]:
    return _message(
        "AggregatedStatus",
        cId=component,
        aSTS=timestamp(),
        fP=functional_position,
        fS=None,
        se=bits,
    )


def aggregated_status_request(*, component: str) -> dict[str, Any]:
    return _message("AggregatedStatusRequest", cId=component)


def alarm_issue(
    *,
    component: str,
    code: str,
    active: bool,
    acknowledged: bool,
    suspended: bool,
    priority: int,
    category: str,
    values: dict[str, str],
    at: datetime | None = None,
) -> dict[str, Any]:
    return _message(
        "Alarm",
        cId=component,
        aCId=code,
        xACId="",
        aSp="Issue",
        ack="Acknowledged" if acknowledged else "notAcknowledged",
        aS="Active" if active else "inActive",
        sS="suspended" if suspended else "notSuspended",
        aTs=timestamp(at),
        cat=category,
        pri=str(priority),
        rvs=[{"n": name, "v": value} for name, value in values.items()],
    )


def alarm_acknowledge(*, component: str, code: str) -> dict[str, Any]:
    """From the supervisor: the operator acknowledged the alarm."""
    return _message("Alarm", cId=component, aCId=code, xACId="", aSp="Acknowledge", aTs=timestamp())


def alarm_acknowledged(*, component: str, code: str, at: datetime | None = None) -> dict[str, Any]:
    """From the site: the alarm is acknowledged (the answer to an acknowledgement)."""
    return _message(
        "Alarm", cId=component, aCId=code, xACId="", aSp="Acknowledge",
        ack="Acknowledged", aTs=timestamp(at),
    )  # fmt: skip


def alarm_suspend(*, component: str, code: str, suspend: bool) -> dict[str, Any]:
    """From the supervisor: stop (or resume) sending this alarm."""
    return _message(
        "Alarm", cId=component, aCId=code, xACId="", aSp="Suspend" if suspend else "Resume"
    )


def alarm_suspended(
    *,
    component: str,
    code: str,
    suspended: bool,
    active: bool,
    acknowledged: bool,
    priority: int,
    category: str,
    values: dict[str, str],
) -> dict[str, Any]:
    """From the site: the answer to a suspend or resume."""
    return _message(
        "Alarm", cId=component, aCId=code, xACId="", aSp="Suspend" if suspended else "Resume",
        ack="Acknowledged" if acknowledged else "notAcknowledged",
        aS="Active" if active else "inActive", sS="Suspended" if suspended else "notSuspended",
        aTs=timestamp(), cat=category, pri=str(priority),
        rvs=[{"n": name, "v": value} for name, value in values.items()],
    )  # fmt: skip


def status_request(*, component: str, items: list[tuple[str, str]]) -> dict[str, Any]:
    return _message("StatusRequest", cId=component, sS=[{"sCI": c, "n": n} for c, n in items])


def status_subscribe(
    *, component: str, items: list[tuple[str, str]], update_rate: int = 0
) -> dict[str, Any]:
    return _message(
        "StatusSubscribe",
        cId=component,
        sS=[{"sCI": c, "n": n, "uRt": str(update_rate), "sOc": True} for c, n in items],
    )


def status_unsubscribe(*, component: str, items: list[tuple[str, str]]) -> dict[str, Any]:
    return _message("StatusUnsubscribe", cId=component, sS=[{"sCI": c, "n": n} for c, n in items])


def status_values(
    *,
    component: str,
    values: list[tuple[str, str, Any, str]],
    response: bool,
    at: datetime | None = None,
) -> dict[str, Any]:
    """StatusResponse or StatusUpdate: (sCI, n, s, q) each; s is None when q is unknown."""
    return _message(
        "StatusResponse" if response else "StatusUpdate",
        cId=component,
        sTs=timestamp(at),
        sS=[{"sCI": c, "n": n, "s": s, "q": q} for c, n, s, q in values],
    )


def command_request(*, component: str, args: list[tuple[str, str, str, str]]) -> dict[str, Any]:
    """(cCI, n, cO, v) each: the operation is the SXL's (setValue, setPlan…)."""
    return _message(
        "CommandRequest",
        cId=component,
        arg=[{"cCI": c, "n": n, "cO": o, "v": v} for c, n, o, v in args],
    )


def command_response(*, component: str, values: list[tuple[str, str, Any, str]]) -> dict[str, Any]:
    return _message(
        "CommandResponse",
        cId=component,
        cTS=timestamp(),
        rvs=[{"cCI": c, "n": n, "v": v, "age": age} for c, n, v, age in values],
    )


def negotiate(offered: list[str]) -> str | None:
    """The latest core version both sides speak, or None."""
    common = [item for item in CORE_VERSIONS if item in offered]
    return common[-1] if common else None
