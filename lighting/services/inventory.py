"""Loading a city's own lighting inventory: every row checked, nothing half-loaded."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hypervisor import selectors as territory
from lighting.models import Cabinet, LightPoint, StreetClass, Technology

InventoryRow = tuple[int, dict[str, Any]]
"""(row number in the file, fields)"""

Problem = tuple[int, str, str]
"""(row, field, reason)"""


def _text(fields: dict[str, Any], name: str, *, required: bool = True) -> str:
    value = str(fields.get(name) or "").strip()
    if required and not value:
        raise ValidationError({name: _("This field is required.")})
    return value


def _number(fields: dict[str, Any], name: str, cast: Callable[[str], Any] = float) -> Any:
    raw = _text(fields, name)
    try:
        return cast(raw)
    except ValueError:
        raise ValidationError({name: _("%(value)r is not a number.") % {"value": raw}}) from None


def _date(fields: dict[str, Any], name: str) -> date | None:
    raw = _text(fields, name, required=False)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(
            {name: _("%(value)r is not a date (YYYY-MM-DD).") % {"value": raw}}
        ) from None


def _commune(fields: dict[str, Any], lat: float, lon: float) -> str:
    insee = _text(fields, "commune_insee", required=False)
    if insee:
        return insee
    located = territory.commune_at(lat=lat, lon=lon)
    if located is None:
        raise ValidationError({"lat": _("This place is outside the territory.")})
    return located


def _problems(row: int, error: ValidationError) -> list[Problem]:
    if hasattr(error, "error_dict"):
        return [
            (row, field, " ".join(str(message) for message in messages))
            for field, messages in error.message_dict.items()
        ]
    return [(row, "", " ".join(error.messages))]


def _choice(fields: dict[str, Any], name: str, choices: Any, default: str = "") -> str:
    value = _text(fields, name, required=not default) or default
    if value not in choices.values:
        allowed = ", ".join(choices.values)
        raise ValidationError(
            {
                name: _("%(value)r is not one of: %(allowed)s.")
                % {"value": value, "allowed": allowed}
            }
        )
    return str(value)


def _cabinet(fields: dict[str, Any]) -> Cabinet:
    lat, lon = _number(fields, "lat"), _number(fields, "lon")
    return Cabinet(
        reference=_text(fields, "reference"),
        lat=lat,
        lon=lon,
        commune_insee=_commune(fields, lat, lon),
        circuits=_number(fields, "circuits", int) if fields.get("circuits") else 1,
        meter_id=_text(fields, "meter_id", required=False),
    )


def _light_point(fields: dict[str, Any], cabinets: dict[str, int]) -> LightPoint:
    lat, lon = _number(fields, "lat"), _number(fields, "lon")
    cabinet_ref = _text(fields, "cabinet")
    if cabinet_ref not in cabinets:
        raise ValidationError({"cabinet": _("Unknown cabinet %(ref)s.") % {"ref": cabinet_ref}})
    wattage = _number(fields, "wattage", int)
    return LightPoint(
        reference=_text(fields, "reference"),
        cabinet_id=cabinets[cabinet_ref],
        lat=lat,
        lon=lon,
        commune_insee=_commune(fields, lat, lon),
        street=_text(fields, "street", required=False),
        street_class=_choice(fields, "street_class", StreetClass, StreetClass.RESIDENTIAL),
        technology=_choice(fields, "technology", Technology),
        wattage=wattage,
        baseline_wattage=_number(fields, "baseline_wattage", int)
        if fields.get("baseline_wattage")
        else wattage,
        installed_on=_date(fields, "installed_on"),
        renovated_on=_date(fields, "renovated_on"),
    )


def _load(
    model: Any, build: Callable[[dict[str, Any]], Any], rows: list[InventoryRow]
) -> list[Problem]:
    problems: list[Problem] = []
    objects, seen = [], set()
    for number, fields in rows:
        try:
            obj = build(fields)
            obj.full_clean(exclude=["cabinet"], validate_unique=False, validate_constraints=False)
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
    model.objects.bulk_create(
        [obj for obj in objects if obj.reference not in existing], batch_size=1000
    )
    if updates:
        names = [
            f.name for f in model._meta.concrete_fields if not f.primary_key and f.name != "status"
        ]
        model.objects.bulk_update(updates, names, batch_size=500)
    return []


@transaction.atomic
def lighting_inventory_load(*, kind: str, rows: list[InventoryRow]) -> list[Problem]:
    """Create or update (by reference) cabinets or light points; returns the problems found.

    The caller rolls back when any file has problems, so nothing is half-loaded.
    """
    if kind == "cabinets":
        return _load(Cabinet, _cabinet, rows)
    if kind == "light_points":
        cabinets = dict(Cabinet.objects.values_list("reference", "pk"))
        return _load(LightPoint, lambda fields: _light_point(fields, cabinets), rows)
    raise ValueError(f"Unknown lighting inventory kind {kind!r}")
