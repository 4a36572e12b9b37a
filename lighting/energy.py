"""Energy arithmetic: per-point estimates, the pre-renovation baseline and savings."""

from __future__ import annotations

from dataclasses import dataclass

SAVINGS_TARGET = 0.65
"""The contract's target: −65 % of lighting energy against the pre-renovation baseline."""


def point_kwh(*, wattage: float, full_power_hours: float) -> float:
    """wattage × level × hours, with level × hours already summed as full-power hours."""
    return wattage * full_power_hours / 1000


def savings(*, consumed_kwh: float, baseline_kwh: float) -> float | None:
    """Share saved against the baseline (0.65 means −65 %); None without a baseline."""
    if baseline_kwh <= 0:
        return None
    return 1 - consumed_kwh / baseline_kwh


@dataclass(frozen=True)
class EnergyFigures:
    consumed_kwh: float
    baseline_kwh: float
    metered_kwh: float = 0.0  # the part of consumed_kwh read from meters, not estimated

    @property
    def metered_share(self) -> float | None:
        return self.metered_kwh / self.consumed_kwh if self.consumed_kwh else None

    @property
    def savings(self) -> float | None:
        return savings(consumed_kwh=self.consumed_kwh, baseline_kwh=self.baseline_kwh)

    @property
    def reaches_target(self) -> bool:
        value = self.savings
        return value is not None and value >= SAVINGS_TARGET
