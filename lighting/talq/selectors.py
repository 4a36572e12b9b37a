"""Reads of the TALQ CMS: devices as TALQ documents, the reconciliation list, logger configs."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import QuerySet

from lighting.talq.models import TalqDevice, TalqDocument, TalqGateway

HOURLY_ENERGY_LOGGER = "ondijon-hourly-energy"
FAILURE_EVENTS_LOGGER = "ondijon-failure-events"
FAILURE_EVENTS = ["lampFailure", "lampUnexpectedOn", "relayFailure", "supplyLoss"]


def talq_gateway_for_credential(*, credential_id: int) -> TalqGateway | None:
    return (
        TalqGateway.objects.select_related("credential").filter(credential_id=credential_id).first()
    )


def device_document(device: TalqDevice) -> dict[str, Any]:
    """A device as the TALQ data model's Device."""
    return {
        "address": str(device.address),
        "name": device.name,
        "class": device.device_class,
        "functions": device.functions,
    }


def talq_devices(*, gateway: TalqGateway, classes: list[str] | None = None) -> QuerySet[TalqDevice]:
    devices = TalqDevice.objects.filter(gateway=gateway).order_by("declared_at", "pk")
    if classes:
        devices = devices.filter(device_class__in=classes)
    return devices


def talq_device(*, gateway: TalqGateway, address: str) -> TalqDevice | None:
    try:
        parsed = UUID(address)
    except ValueError:
        return None
    return TalqDevice.objects.filter(gateway=gateway, address=parsed).first()


def talq_documents(*, gateway: TalqGateway, kind: str) -> QuerySet[TalqDocument]:
    return TalqDocument.objects.filter(gateway=gateway, kind=kind)


def talq_document(*, gateway: TalqGateway, kind: str, address: str) -> TalqDocument | None:
    return TalqDocument.objects.filter(gateway=gateway, kind=kind, address=address).first()


def reconciliation_list() -> QuerySet[TalqDevice]:
    """Declared devices matched to nothing yet: they stay off the map until an operator acts."""
    return (
        TalqDevice.objects.filter(light_point__isnull=True, cabinet__isnull=True)
        .select_related("gateway__credential")
        .order_by("declared_at", "pk")
    )


def logger_config(*, gateway: TalqGateway, address: str, cms_address: str) -> dict[str, Any] | None:
    """The logger configurations OnDijon asks every gateway to run (LoggerConfig)."""
    all_devices: dict[str, list[Any]] = {
        "blackList": []
    }  # only a black list, even empty: every device
    if address == HOURLY_ENERGY_LOGGER:
        return {
            "address": address,
            "ownerCMS": cms_address,
            "sourceAddresses": all_devices,
            "recordingMode": {
                "type": "PeriodicRecordingMode",
                "content": [
                    {
                        "attributeScope": "measurement",
                        "function": {
                            "functionType": "LampMonitorFunction",
                            "attributes": [{"name": "activeEnergy"}, {"name": "operatingHours"}],
                        },
                    },
                    {
                        "attributeScope": "measurement",
                        "function": {
                            "functionType": "ElectricalMeterFunction",
                            "attributes": [{"name": "totalActiveEnergy"}],
                        },
                    },
                ],
                "samplingProfiles": [
                    {"samplingStartTime": "2024-01-01T00:00:00Z", "samplingPeriod": "PT1H"}
                ],
            },
            "reportingMode": {"type": "ScheduledReportingMode", "times": ["06:00:00"]},
        }
    if address == FAILURE_EVENTS_LOGGER:
        return {
            "address": address,
            "ownerCMS": cms_address,
            "sourceAddresses": all_devices,
            "recordingMode": {
                "type": "EventRecordingMode",
                "sourceEvents": {"whiteList": FAILURE_EVENTS},
            },
            "reportingMode": {"type": "ImmediateReportingMode", "delay": 0},
        }
    return None
