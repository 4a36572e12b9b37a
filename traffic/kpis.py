"""Availability KPIs of signals, cameras and bollards."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from traffic import selectors


class _AvailabilityKpi:
    key: str
    label: Any
    unit = "%"
    target: float | None = 99.9
    higher_is_better = True
    equipment: str

    def compute(self, *, start: Any, end: Any, commune_insee: str | None = None) -> dict[str, Any]:
        share = selectors.availability(commune_insee=commune_insee)[self.equipment]["share"]
        return {"value": None if share is None else round(share * 100, 1), "series": [], "by": {}}


class SignalAvailabilityKpi(_AvailabilityKpi):
    key = "signals-availability"
    label = _("Traffic signals in normal operation")
    equipment = "crossroads"


class CameraAvailabilityKpi(_AvailabilityKpi):
    key = "cameras-availability"
    label = _("Cameras online")
    equipment = "cameras"


class BollardAvailabilityKpi(_AvailabilityKpi):
    key = "bollards-availability"
    label = _("Bollards in working order")
    equipment = "bollards"
