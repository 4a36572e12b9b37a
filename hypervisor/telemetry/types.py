"""What a telemetry handler receives and returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Reading:
    """One validated reading: an asset's values at an instant, under a unique message id."""

    message_id: str
    asset_type: str
    asset_id: str
    measured_at: datetime
    values: dict[str, Any]


@dataclass
class HandlerOutcome:
    """What a handler applied, and the readings it refused (message id → reason)."""

    applied: int = 0
    refused: dict[str, str] = field(default_factory=dict)
