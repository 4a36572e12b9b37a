"""TALQ documents as a vendor's gateway would send them."""

from __future__ import annotations

import uuid
from typing import Any


def lamp_device(
    name: str, *, asset_id: str = "", address: uuid.UUID | None = None
) -> dict[str, Any]:
    """A luminaire controller: basic, lamp actuator and lamp monitor functions."""
    basic: dict[str, Any] = {"id": "basic", "type": "BasicFunction"}
    if asset_id:
        basic["assetId"] = {"type": "AttributeString", "value": asset_id}
    return {
        "address": str(address or uuid.uuid4()),
        "name": name,
        "class": "LuminaireController",
        "functions": [
            basic,
            {"id": "actuator", "type": "LampActuatorFunction"},
            {
                "id": "monitor",
                "type": "LampMonitorFunction",
                "operatingHours": {"type": "AttributeFloat", "value": 1234.5},
            },
        ],
    }


def cabinet_device(name: str, *, address: uuid.UUID | None = None) -> dict[str, Any]:
    return {
        "address": str(address or uuid.uuid4()),
        "name": name,
        "class": "CabinetController",
        "functions": [
            {"id": "basic", "type": "BasicFunction"},
            {"id": "meter", "type": "ElectricalMeterFunction"},
        ],
    }


def attribute_entry(device: str, name: str, value: Any, *, at: str, kind: str) -> dict[str, Any]:
    return {
        "data": {
            "type": "AttributeLogData",
            "srcAddress": f"{device}/monitor",
            "timestamp": at,
            "attributeName": name,
            "attributeValue": {"type": kind, "value": value},
        }
    }


def event_entry(device: str, event: str, *, at: str, start: bool = True) -> dict[str, Any]:
    return {
        "data": {
            "type": "EventLogData",
            "srcAddress": f"{device}/monitor",
            "timestamp": at,
            "eventType": event,
            "startEndFlag": start,
        }
    }
