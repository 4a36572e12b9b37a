"""Writes of the lighting app: the public API other apps and the hypervisor call."""

from lighting.services.commands import lamps_follow_schedule, lighting_override
from lighting.services.energy import energy_estimate_month, energy_meter_record
from lighting.services.inventory import InventoryRow, lighting_inventory_load
from lighting.services.state import (
    cabinet_power_set,
    cabinets_apply_readings,
    cabinets_detect_silent,
    cabinets_heard_from,
    lamp_status_set,
    lamps_apply_readings,
)

__all__ = [
    "InventoryRow",
    "cabinet_power_set",
    "cabinets_apply_readings",
    "cabinets_detect_silent",
    "cabinets_heard_from",
    "energy_estimate_month",
    "energy_meter_record",
    "lamp_status_set",
    "lamps_apply_readings",
    "lamps_follow_schedule",
    "lighting_inventory_load",
    "lighting_override",
]
