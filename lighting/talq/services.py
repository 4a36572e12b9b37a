"""Writes of the TALQ CMS: gateways' credentials, declared devices, documents, log reports."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hypervisor.services import audit_record
from hypervisor.telemetry.services import (
    gateway_create,
    gateway_deactivate,
    telemetry_ingest_readings,
)
from hypervisor.telemetry.types import Reading
from lighting.models import Cabinet, LightPoint
from lighting.talq import published
from lighting.talq.logreports import EntryRefused, Target, device_address_of, entry_reading
from lighting.talq.models import TalqDevice, TalqDocument, TalqGateway

ASSET_FUNCTION = "BasicFunction"
CLOCK_SKEW = timedelta(minutes=5)  # a gateway's clock may run this far ahead
CABINET_FUNCTIONS = {"ElectricalMeterFunction", "PhotocellFunction"}


class DeviceRefused(ValueError):
    """A declared device cannot be accepted (the reason goes back to the gateway)."""

    def __init__(self, message: str, *, key: str = "payloadError") -> None:
        super().__init__(message)
        self.key = key


@dataclass
class Refusal:
    """One refused item of a request, as TALQ reports it (key, description, reference)."""

    key: str
    description: str
    address: str = ""


@dataclass
class ReportOutcome:
    accepted: int = 0
    duplicates: int = 0
    refused: list[Refusal] = field(default_factory=list)


@transaction.atomic
def talq_gateway_register(
    *, name: str, vendor: str = "", api_url: str = "", address: UUID | None = None
) -> tuple[TalqGateway, str]:
    """A new TALQ gateway and its secret, shown once (only its hash is kept)."""
    credential, token = gateway_create(name=name)
    gateway = TalqGateway(credential=credential, vendor=vendor, api_url=api_url)
    if address is not None:
        gateway.address = address
    gateway.full_clean()
    gateway.save()
    return gateway, token


@transaction.atomic
def talq_gateway_revoke(*, gateway: TalqGateway, by: Any = None) -> None:
    """The gateway's secret stops working at once; its devices and history are kept."""
    gateway_deactivate(gateway_id=gateway.credential_id)
    audit_record(
        actor=by,
        action="talq.gateway_revoke",
        target=f"talq_gateway:{gateway.pk}",
        summary=str(gateway),
    )


def talq_gateway_seen(*, gateway: TalqGateway, at: datetime | None = None) -> None:
    TalqGateway.objects.filter(pk=gateway.pk).update(last_seen_at=at or timezone.now())


@transaction.atomic
def talq_services_announce(*, gateway: TalqGateway, services: list[dict[str, Any]]) -> None:
    gateway.services = services
    gateway.save(update_fields=["services"])


def _attribute(functions: list[Any], function_type: str, name: str) -> Any:
    for function in functions:
        if isinstance(function, dict) and function.get("type") == function_type:
            value = function.get(name)
            return value.get("value") if isinstance(value, dict) else value
    return None


def _check_device(raw: Any) -> tuple[UUID, str, str, list[Any]]:
    if not isinstance(raw, dict):
        raise DeviceRefused(_("a device must be a JSON object"))
    try:
        address = UUID(str(raw.get("address")))
    except ValueError:
        raise DeviceRefused(_("address must be a UUID")) from None
    name, device_class = raw.get("name"), raw.get("class")
    if not isinstance(name, str) or not 0 < len(name) <= 200 or "\x00" in name:
        raise DeviceRefused(_("name is required (at most 200 characters)"))
    if not isinstance(device_class, str) or not 0 < len(device_class) <= 120:
        raise DeviceRefused(_("class is required (at most 120 characters)"))
    functions = raw.get("functions", [])
    if not isinstance(functions, list) or not all(
        isinstance(function, dict) and isinstance(function.get("id"), str) for function in functions
    ):
        raise DeviceRefused(_("functions must be a list of objects with an id"))
    return address, name, device_class, functions


def _match(device: TalqDevice) -> None:
    """Match by asset identifier or name against light point and cabinet references."""
    if device.matched:
        return
    keys = [key for key in (device.external_reference, device.name) if key]
    is_cabinet = any(
        isinstance(function, dict) and function.get("type") in CABINET_FUNCTIONS
        for function in device.functions
    )
    for key in keys:
        if not is_cabinet:
            point = LightPoint.objects.filter(reference=key).only("pk").first()
            if point is not None:
                device.light_point = point
                return
        cabinet = Cabinet.objects.filter(reference=key).only("pk").first()
        if cabinet is not None:
            device.cabinet = cabinet
            return


@transaction.atomic
def talq_devices_declare(
    *, gateway: TalqGateway, devices: list[Any], replace: bool = False, partial: bool = False
) -> tuple[list[TalqDevice], list[Refusal]]:
    """Create (POST), replace (PUT) or update (PATCH) the gateway's devices.

    Each device is matched to the inventory when its asset identifier or name is a known
    reference; otherwise it waits in the reconciliation list for an operator.
    """
    kept: list[TalqDevice] = []
    refused: list[Refusal] = []
    for raw in devices:
        try:
            if partial:
                kept.append(_device_patch(gateway, raw))
                continue
            address, name, device_class, functions = _check_device(raw)
            device = TalqDevice.objects.filter(gateway=gateway, address=address).first()
            if device is None and replace:
                raise DeviceRefused(
                    _("device %(address)s does not exist") % {"address": address},
                    key="resourceNotFound",
                )
            if device is not None and not replace:
                raise DeviceRefused(
                    _("device %(address)s already exists") % {"address": address},
                    key="resourceConflict",
                )
            device = device or TalqDevice(gateway=gateway, address=address)
            device.name, device.device_class, device.functions = name, device_class, functions
            device.external_reference = str(_attribute(functions, ASSET_FUNCTION, "assetId") or "")[
                :120
            ]
            _match(device)
            device.save()
            kept.append(device)
        except DeviceRefused as error:
            sent = raw.get("address") if isinstance(raw, dict) else ""
            refused.append(Refusal(error.key, str(error), str(sent or "")[:100]))
    return kept, refused


def _device_patch(gateway: TalqGateway, raw: Any) -> TalqDevice:
    if not isinstance(raw, dict):
        raise DeviceRefused(_("a device must be a JSON object"))
    try:
        address = UUID(str(raw.get("address")))
    except ValueError:
        raise DeviceRefused(_("address must be a UUID")) from None
    device = TalqDevice.objects.filter(gateway=gateway, address=address).first()
    if device is None:
        raise DeviceRefused(
            _("device %(address)s does not exist") % {"address": address}, key="resourceNotFound"
        )
    merged = {
        "address": str(address),
        "name": raw.get("name", device.name),
        "class": raw.get("class", device.device_class),
        "functions": _merge_functions(device.functions, raw.get("functions", [])),
    }
    _address, device.name, device.device_class, device.functions = _check_device(merged)
    device.save()
    return device


def _merge_functions(current: list[Any], changes: Any) -> list[Any]:
    if not isinstance(changes, list):
        raise DeviceRefused(_("functions must be a list of objects with an id"))
    by_id = {function.get("id"): dict(function) for function in current}
    for change in changes:
        if not isinstance(change, dict) or not isinstance(change.get("id"), str):
            raise DeviceRefused(_("functions must be a list of objects with an id"))
        by_id.setdefault(change["id"], {}).update(change)
    return list(by_id.values())


@transaction.atomic
def talq_device_delete(*, device: TalqDevice) -> None:
    device.delete()


@transaction.atomic
def talq_device_reconcile(
    *,
    device: TalqDevice,
    by: Any,
    light_point: LightPoint | None = None,
    cabinet: Cabinet | None = None,
) -> TalqDevice:
    """An operator says which light point or cabinet a declared device stands for."""
    if (light_point is None) == (cabinet is None):
        raise ValueError(_("Choose a light point or a cabinet."))
    device.light_point, device.cabinet = light_point, cabinet
    device.full_clean()
    device.save(update_fields=["light_point", "cabinet", "updated_at"])
    audit_record(
        actor=by,
        action="talq.device_reconcile",
        target=f"talq_device:{device.pk}",
        summary=device.name,
        after={"light_point": getattr(light_point, "reference", None), "cabinet": str(cabinet)},
    )
    return device


@transaction.atomic
def talq_documents_put(
    *, gateway: TalqGateway, kind: str, documents: list[Any], mode: str
) -> tuple[list[dict[str, Any]], list[Refusal]]:
    """Store device classes, lamp or luminaire types. mode: create, replace or upsert."""
    key_name = "name" if kind == TalqDocument.Kind.DEVICE_CLASS else "address"
    kept: list[dict[str, Any]] = []
    refused: list[Refusal] = []
    for raw in documents:
        key = raw.get(key_name) if isinstance(raw, dict) else None
        if not isinstance(key, str) or not 0 < len(key) <= 200 or "\x00" in key:
            refused.append(
                Refusal("payloadError", _("%(field)s is required") % {"field": key_name})
            )
            continue
        if kind != TalqDocument.Kind.DEVICE_CLASS and not isinstance(raw.get("name"), str):
            refused.append(Refusal("payloadError", _("name is required"), key))
            continue
        existing = TalqDocument.objects.filter(gateway=gateway, kind=kind, address=key).first()
        if existing is not None and mode == "create":
            refused.append(
                Refusal("resourceConflict", _("%(key)s already exists") % {"key": key}, key)
            )
            continue
        if existing is None and mode == "replace":
            refused.append(
                Refusal("resourceNotFound", _("%(key)s does not exist") % {"key": key}, key)
            )
            continue
        document = existing or TalqDocument(gateway=gateway, kind=kind, address=key)
        document.body = raw
        document.save()
        kept.append(raw)
    return kept, refused


@transaction.atomic
def talq_document_delete(*, document: TalqDocument) -> None:
    document.delete()


def _targets(gateway: TalqGateway, addresses: set[str]) -> dict[str, Target]:
    rows = TalqDevice.objects.filter(gateway=gateway, address__in=addresses).filter(
        Q(light_point__isnull=False) | Q(cabinet__isnull=False)
    )
    targets: dict[str, Target] = {}
    for address, point, cabinet in rows.values_list(
        "address", "light_point__reference", "cabinet__reference"
    ):
        targets[str(address)] = Target("lamp", point) if point else Target("cabinet", cabinet)
    return targets


def _storable(value: Any) -> bool:
    """Whether the entry's text is valid Unicode (no lone surrogate); NULs and non-finite
    numbers are refused where they are read."""
    try:
        json.dumps(value, allow_nan=True, ensure_ascii=False).encode("utf-8")
    except (UnicodeEncodeError, ValueError):
        return False
    return True


def talq_log_report_receive(
    *, gateway: TalqGateway, report: dict[str, Any], broken_text_possible: bool = True
) -> ReportOutcome:
    """Feed a log report's entries to the telemetry pipeline; each bad entry is refused alone."""
    outcome = ReportOutcome()
    entries = report.get("entries") or []
    addresses: set[str] = set()
    for entry in entries:
        data = entry.get("data") if isinstance(entry, dict) else None
        try:
            addresses.add(
                device_address_of(data.get("srcAddress") if isinstance(data, dict) else None)
            )
        except EntryRefused:
            continue
    targets = _targets(gateway, addresses)
    readings: list[Reading] = []
    latest = timezone.now() + CLOCK_SKEW
    positions: list[int] = []
    validator = published.log_entry_validator()
    # One call for the whole report in the usual case; entry by entry only when needed.
    all_valid = not broken_text_possible and published.log_entries_validator().is_valid(entries)
    for index, entry in enumerate(entries):
        try:
            if not all_valid:
                if broken_text_possible and not _storable(entry):
                    raise EntryRefused(_("text must be valid Unicode"))
                problems = published.errors_of(validator, entry)
                if problems:
                    raise EntryRefused("; ".join(problems))
            readings.append(
                entry_reading(entry, gateway=str(gateway.address), targets=targets, latest=latest)
            )
            positions.append(index)
        except EntryRefused as error:
            outcome.refused.append(
                Refusal(
                    "payloadError",
                    _("entry %(index)d: %(reason)s") % {"index": index, "reason": error},
                )
            )
    if readings:
        result = telemetry_ingest_readings(gateway=gateway.credential, readings=readings)
        outcome.accepted, outcome.duplicates = result.accepted, result.duplicates
        for refusal in result.refused:
            index = positions[refusal["index"]]
            outcome.refused.append(
                Refusal(
                    "payloadError",
                    _("entry %(index)d: %(reason)s")
                    % {"index": index, "reason": refusal["reason"]},
                )
            )
    talq_gateway_seen(gateway=gateway)
    return outcome
