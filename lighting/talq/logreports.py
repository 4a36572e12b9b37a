"""Translate TALQ log-report entries into OnDijon telemetry readings.

Each entry becomes one reading of the lamp or cabinet its device was matched to, under a
message id derived from the entry itself, so a replayed report is recognised as such by
the telemetry pipeline's receipts. An entry that cannot be read is refused on its own.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django.utils.translation import gettext as _

from hypervisor.telemetry.types import Reading

# LampMonitor and LampActuator attributes (and events of the same names) → lamp values.
LAMP_BOOLEANS = {
    "lampFailure": "fault",
    "lampUnexpectedOn": "day_burning",
    "relayFailure": "relay_failure",
}
LAMP_NUMBERS = {
    "activeEnergy": "energy_kwh",
    "operatingHours": "operating_hours",
    "switchOnCounter": "switch_on_count",
    "activePower": "power_w",
}
# ElectricalMeter and Photocell attributes → cabinet values.
CABINET_NUMBERS = {"totalActiveEnergy": "meter_kwh", "totalPower": "power_kw"}
CABINET_BOOLEANS = {"supplyLoss": "powered"}  # inverted: a supply loss means unpowered
MAX_NUMBER = 1e12


@dataclass(frozen=True)
class Target:
    """What a TALQ device stands for in the inventory."""

    asset_type: str  # "lamp" or "cabinet"
    reference: str


class EntryRefused(ValueError):
    """This entry is refused; the reason is said to the gateway."""


def _finite(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise EntryRefused(_("%(name)s must be a number") % {"name": name})
    if isinstance(value, int) and abs(value) > MAX_NUMBER:
        raise EntryRefused(_("%(name)s is out of range") % {"name": name})
    number = float(value)
    if not math.isfinite(number) or abs(number) > MAX_NUMBER:
        raise EntryRefused(_("%(name)s must be a finite number") % {"name": name})
    if number < 0:
        raise EntryRefused(_("%(name)s cannot be negative") % {"name": name})
    return number


def _boolean(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise EntryRefused(_("%(name)s must be true or false") % {"name": name})
    return value


def _values_of(name: str, value: Any, target: Target) -> dict[str, Any]:
    """The telemetry values an attribute or an event carries for this kind of asset."""
    if target.asset_type == "lamp":
        if name in LAMP_BOOLEANS:
            return {LAMP_BOOLEANS[name]: _boolean(value, name)}
        if name in LAMP_NUMBERS:
            return {LAMP_NUMBERS[name]: _finite(value, name)}
        if name == "actualLightState":
            level = value.get("value") if isinstance(value, dict) else value
            number = _finite(level, name)
            if number > 100:
                raise EntryRefused(_("actualLightState must be a level from 0 to 100"))
            return {"level": round(number), "lit": number > 0}
    else:
        if name in CABINET_NUMBERS:
            return {CABINET_NUMBERS[name]: _finite(value, name)}
        if name in CABINET_BOOLEANS:
            return {CABINET_BOOLEANS[name]: not _boolean(value, name)}
    raise EntryRefused(
        _("%(name)s is not an attribute OnDijon reads from this device") % {"name": name}
    )


def _timestamp(raw: Any, latest: datetime) -> datetime:
    if not isinstance(raw, str):
        raise EntryRefused(_("timestamp is required (RFC 3339 date and time)"))
    try:
        parsed = datetime.fromisoformat(raw)  # Python 3.11 reads RFC 3339, "Z" included
    except ValueError:
        raise EntryRefused(_("timestamp is not an RFC 3339 date and time")) from None
    if parsed.tzinfo is None:
        raise EntryRefused(_("timestamp must carry its offset"))
    if parsed > latest:
        raise EntryRefused(_("timestamp is in the future"))
    return parsed


UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def device_address_of(source: Any) -> str:
    """The device part of a srcAddress ("{deviceAddress}" or "{deviceAddress}/{functionId}"),
    as the canonical text of its UUID (a regular expression: much cheaper than UUID())."""
    if not isinstance(source, str) or "\x00" in source or len(source) > 200:
        raise EntryRefused(_("srcAddress is required"))
    device = source.split("/", 1)[0].lower()
    if UUID_TEXT.fullmatch(device) is None:
        try:
            device = str(UUID(device))
        except ValueError:
            raise EntryRefused(_("srcAddress does not start with a device address")) from None
    return device


def entry_reading(
    entry: Any, *, gateway: str, targets: dict[str, Target], latest: datetime
) -> Reading:
    """One log-report entry as a telemetry reading, or EntryRefused with the reason.

    `latest` is the latest timestamp accepted (a few minutes ahead of now, for clock skew).
    """
    data = entry.get("data") if isinstance(entry, dict) else None
    if not isinstance(data, dict):
        raise EntryRefused(_("an entry needs its data object"))
    kind = data.get("type")
    device = device_address_of(data.get("srcAddress"))
    target = targets.get(device)
    if target is None:
        raise EntryRefused(
            _("device %(address)s is not declared, or not yet matched to the inventory")
            % {"address": device}
        )
    if kind == "AttributeLogData":
        name = data.get("attributeName")
        attribute = data.get("attributeValue")
        if not isinstance(name, str) or not isinstance(attribute, dict):
            raise EntryRefused(_("attributeName and attributeValue are required"))
        values = _values_of(name, attribute.get("value"), target)
        timestamp = data.get("timestamp") or attribute.get("timestamp")
    elif kind == "EventLogData":
        name = data.get("eventType")
        if not isinstance(name, str):
            raise EntryRefused(_("eventType is required"))
        started = data.get("startEndFlag", True)
        values = _values_of(name, _boolean(started, "startEndFlag"), target)
        timestamp = data.get("timestamp")
    else:
        raise EntryRefused(
            _("log data of type %(type)s is not read by OnDijon") % {"type": str(kind)[:40]}
        )
    measured_at = _timestamp(timestamp, latest)
    # The values are a small dict of bools and numbers built above: its repr is stable.
    fingerprint = f"{gateway}|{device}|{kind}|{name}|{measured_at.isoformat()}|{values!r}"
    message_id = "talq:" + hashlib.blake2b(fingerprint.encode(), digest_size=20).hexdigest()
    return Reading(message_id, target.asset_type, target.reference, measured_at, values)
