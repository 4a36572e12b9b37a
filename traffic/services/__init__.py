"""Writes of the traffic app: the public API other apps and the hypervisor call."""

from traffic.services.equipment import (
    BollardUnavailable,
    bollard_command,
    bollard_state_set,
    bollards_apply_readings,
    camera_status_set,
    cameras_apply_readings,
    crossroad_state_set,
    crossroads_apply_readings,
    crossroads_detect_silent,
)
from traffic.services.evidence import (
    camera_retention_record,
    evidence_extraction_record,
    evidence_request_decide,
    evidence_request_file,
)
from traffic.services.inventory import traffic_inventory_load
from traffic.services.rsmp import (
    rsmp_alarm_apply,
    rsmp_site_connected,
    rsmp_site_disconnected,
    rsmp_statuses_apply,
    signal_command_confirm,
    signal_command_request,
)

__all__ = [
    "BollardUnavailable",
    "bollard_command",
    "bollard_state_set",
    "bollards_apply_readings",
    "camera_retention_record",
    "camera_status_set",
    "cameras_apply_readings",
    "crossroad_state_set",
    "crossroads_apply_readings",
    "crossroads_detect_silent",
    "evidence_extraction_record",
    "evidence_request_decide",
    "evidence_request_file",
    "rsmp_alarm_apply",
    "rsmp_site_connected",
    "rsmp_site_disconnected",
    "rsmp_statuses_apply",
    "signal_command_confirm",
    "signal_command_request",
    "traffic_inventory_load",
]
