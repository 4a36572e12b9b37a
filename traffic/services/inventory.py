"""Loading a city's crossroads, cameras and bollards: every row checked, nothing half-loaded."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hypervisor import selectors as territory
from traffic.models import Bollard, Camera, Crossroad

InventoryRow = tuple[int, dict[str, Any]]
Problem = tuple[int, str, str]


def _text(fields: dict[str, Any], name: str, *, required: bool = True, default: str = "") -> str:
    value = str(fields.get(name) if fields.get(name) is not None else "").strip() or default
    if required and not value:
        raise ValidationError({name: _("This field is required.")})
    return value


def _number(
    fields: dict[str, Any], name: str, cast: Callable[[str], Any] = float, default: str = ""
) -> Any:
    raw = _text(fields, name, default=default)
    try:
        return cast(raw)
    except ValueError:
        raise ValidationError({name: _("%(value)r is not a number.") % {"value": raw}}) from None


def _parsed(fields: dict[str, Any], name: str, parse: Callable[[str], Any]) -> Any:
    raw = _text(fields, name, required=False)
    if not raw:
        return None
    try:
        return parse(raw)
    except ValueError:
        raise ValidationError({name: _("%(value)r is not valid here.") % {"value": raw}}) from None


def _place(fields: dict[str, Any]) -> dict[str, Any]:
    lat, lon = _number(fields, "lat"), _number(fields, "lon")
    insee = _text(fields, "commune_insee", required=False) or territory.commune_at(lat=lat, lon=lon)
    if not insee:
        raise ValidationError({"lat": _("This place is outside the territory.")})
    return {"lat": lat, "lon": lon, "commune_insee": insee}


def _crossroad(fields: dict[str, Any]) -> Crossroad:
    return Crossroad(
        reference=_text(fields, "reference"),
        name=_text(fields, "name"),
        controller_id=_text(fields, "controller_id"),
        signal_groups=_number(fields, "signal_groups", int, default="4"),
        works_from=_parsed(fields, "works_from", date.fromisoformat),
        works_until=_parsed(fields, "works_until", date.fromisoformat),
        **_place(fields),
    )


def _camera(fields: dict[str, Any]) -> Camera:
    return Camera(
        reference=_text(fields, "reference"),
        name=_text(fields, "name"),
        bearing=_number(fields, "bearing", int),
        field_of_view=_number(fields, "field_of_view", int),
        kind=_text(fields, "kind", default="fixed"),
        purpose=_text(fields, "purpose", default="protection"),
        retention_days=_number(fields, "retention_days", int, default="30"),
        privacy_masks=_text(fields, "privacy_masks", required=False),
        **_place(fields),
    )


def _bollard(fields: dict[str, Any]) -> Bollard:
    return Bollard(
        reference=_text(fields, "reference"),
        name=_text(fields, "name"),
        access_point=_text(fields, "access_point"),
        closed_from=_parsed(fields, "closed_from", time.fromisoformat),
        closed_until=_parsed(fields, "closed_until", time.fromisoformat),
        **_place(fields),
    )


BUILDERS: dict[str, tuple[type[Any], Callable[[dict[str, Any]], Any]]] = {
    "crossroads": (Crossroad, _crossroad),
    "cameras": (Camera, _camera),
    "bollards": (Bollard, _bollard),
}


def _problems(row: int, error: ValidationError) -> list[Problem]:
    if hasattr(error, "error_dict"):
        return [
            (row, field, " ".join(map(str, messages)))
            for field, messages in error.message_dict.items()
        ]
    return [(row, "", " ".join(error.messages))]


@transaction.atomic
def traffic_inventory_load(*, kind: str, rows: list[InventoryRow]) -> list[Problem]:
    """Create or update (by reference); returns the problems, the caller rolls back on any."""
    model, build = BUILDERS[kind]
    problems: list[Problem] = []
    objects, seen = [], set()
    for number, fields in rows:
        try:
            obj = build(fields)
            obj.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            problems.extend(_problems(number, error))
            continue
        if obj.reference in seen:
            problems.append(
                (
                    number,
                    "reference",
                    _("Reference %(ref)s appears twice.") % {"ref": obj.reference},
                )
            )
            continue
        seen.add(obj.reference)
        objects.append(obj)
    if problems:
        return problems
    existing = dict(model.objects.filter(reference__in=seen).values_list("reference", "pk"))
    updates = [obj for obj in objects if obj.reference in existing]
    for obj in updates:
        obj.pk = existing[obj.reference]
    model.objects.bulk_create([obj for obj in objects if obj.reference not in existing])
    if updates:
        names = [
            f.name
            for f in model._meta.concrete_fields
            if not f.primary_key and f.name not in {"state", "status"}
        ]
        model.objects.bulk_update(updates, names, batch_size=500)
    return []
