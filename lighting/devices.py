"""The device-adapter interface through which lighting commands reach the field.

A real deployment plugs in its protocol (a cabinet controller's API, DALI gateways…);
the demo's simulator implements it by writing the levels the lamps would report.
"""

from __future__ import annotations

from typing import Protocol

from django.db.models import QuerySet

from lighting.models import LampStatus, LightPoint


class DeviceError(Exception):
    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent  # an unknown zone is permanent; a timeout is not


class LightingDevice(Protocol):
    def set_level(self, *, points: QuerySet[LightPoint], level: int) -> int:
        """Force the level of these points; returns how many acknowledged."""


class SimulatedDevice:
    """Every healthy lamp obeys at once."""

    def set_level(self, *, points: QuerySet[LightPoint], level: int) -> int:
        return points.filter(status__in=[LampStatus.OK, LampStatus.DAY_BURNING]).update(level=level)


def device() -> LightingDevice:
    return SimulatedDevice()
