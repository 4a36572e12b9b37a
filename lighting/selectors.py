"""Reads of the lighting app: dimming profiles, energy figures, renovation progress."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime
from typing import Any

from django.db import connections
from django.db.models import Avg, Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import ngettext

from hypervisor.registry import AssetPlace
from lighting import schedule
from lighting.energy import EnergyFigures
from lighting.models import (
    Cabinet,
    CabinetStatus,
    DimmingProfile,
    LampStatus,
    LightingOverride,
    LightPoint,
    MonthlyEnergy,
    StreetClass,
    Technology,
)


def profiles() -> dict[str, schedule.Profile]:
    """The dimming profile of each street class; the defaults where none is stored."""
    stored = {
        row.street_class: schedule.Profile(
            evening_level=row.evening_level,
            night_level=row.night_level,
            night_start=row.night_start,
            night_end=row.night_end,
            morning_level=row.morning_level,
        )
        for row in DimmingProfile.objects.all()
    }
    return {**schedule.DEFAULT_PROFILES, **stored}


def override_zone_filter(override: LightingOverride) -> Q:
    zone = Q()
    if override.commune_insee:
        zone &= Q(commune_insee=override.commune_insee)
    if override.min_lat is not None:
        zone &= Q(
            lat__gte=override.min_lat,
            lat__lte=override.max_lat,
            lon__gte=override.min_lon,
            lon__lte=override.max_lon,
        )
    return zone


def override_active_zone(*, now: datetime) -> Q | None:
    """The light points under an override in force, as one filter (None: no override)."""
    active = list(LightingOverride.objects.filter(starts_at__lte=now, ends_at__gt=now))
    if not active:
        return None
    zone = Q(pk__in=[])
    for override in active:
        zone |= override_zone_filter(override)
    return zone


def energy_figures(
    *, start: date, end: date, commune_insee: str | None = None
) -> dict[date, EnergyFigures]:
    """Consumed (metered where known, else estimated) and baseline energy per month."""
    rows = MonthlyEnergy.objects.filter(month__gte=start, month__lt=end)
    if commune_insee:
        rows = rows.filter(cabinet__commune_insee=commune_insee)
    totals: dict[date, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for month, measured, estimated, baseline in rows.values_list(
        "month", "measured_kwh", "estimated_kwh", "baseline_kwh"
    ):
        totals[month][0] += measured if measured is not None else estimated
        totals[month][1] += baseline
        totals[month][2] += measured or 0.0
    return {month: EnergyFigures(*totals[month]) for month in sorted(totals)}


def energy_by_commune(
    *, start: date, end: date, commune_insee: str | None = None
) -> dict[str, EnergyFigures]:
    """The same figures per commune (INSEE code), limited to one commune when asked."""
    rows = MonthlyEnergy.objects.filter(month__gte=start, month__lt=end)
    if commune_insee:
        rows = rows.filter(cabinet__commune_insee=commune_insee)
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for insee, measured, estimated, baseline in rows.values_list(
        "cabinet__commune_insee", "measured_kwh", "estimated_kwh", "baseline_kwh"
    ):
        totals[insee][0] += measured if measured is not None else estimated
        totals[insee][1] += baseline
    return {insee: EnergyFigures(*values) for insee, values in sorted(totals.items())}


def renovation_progress(*, commune_insee: str | None = None) -> dict[str, Any]:
    """Share of light points converted to LED, and conversions per month (cumulative)."""
    points = LightPoint.objects.all()
    if commune_insee:
        points = points.filter(commune_insee=commune_insee)
    counts = points.aggregate(
        total=Count("pk"), led=Count("pk", filter=Q(technology=Technology.LED))
    )
    per_month = (
        points.filter(renovated_on__isnull=False)
        .annotate(month=TruncMonth("renovated_on"))
        .values_list("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    led_from_start = counts["led"] - sum(n for _month, n in per_month)
    cumulative, series = led_from_start, []
    for month, n in per_month:
        cumulative += n
        series.append([month.strftime("%Y-%m"), cumulative])
    total = counts["total"]
    return {
        "total": total,
        "led": counts["led"],
        "share": counts["led"] / total if total else None,
        "series": series,
    }


def availability(*, commune_insee: str | None = None) -> dict[str, float | None]:
    """Share of light points and cabinets in a normal state.

    A light point fed by a cabinet without power is out of order even in daytime, when its
    own status has not changed yet (it is only dark at night).
    """
    points = LightPoint.objects.all()
    cabinets = Cabinet.objects.all()
    if commune_insee:
        points = points.filter(commune_insee=commune_insee)
        cabinets = cabinets.filter(commune_insee=commune_insee)
    working = Q(status=LampStatus.OK) & ~Q(cabinet__status=CabinetStatus.POWER_LOSS)
    lamp = points.aggregate(total=Count("pk"), ok=Count("pk", filter=working))
    cab = cabinets.aggregate(total=Count("pk"), ok=Count("pk", filter=Q(status=CabinetStatus.OK)))
    return {
        "lamps": lamp["ok"] / lamp["total"] if lamp["total"] else None,
        "cabinets": cab["ok"] / cab["total"] if cab["total"] else None,
    }


def cabinet_outages() -> list[dict[str, Any]]:
    """Cabinets not in normal state, with the light points they feed (the board's faults)."""
    rows = (
        Cabinet.objects.exclude(status=CabinetStatus.OK)
        .annotate(points_fed=Count("points"))
        .order_by("status", "reference")
        .values("reference", "status", "commune_insee", "points_fed")
    )
    return [dict(row) for row in rows]


def lamp_status_counts() -> dict[str, int]:
    return dict(LightPoint.objects.values_list("status").annotate(n=Count("pk")).order_by())


def inventory_counts() -> dict[str, int]:
    return {
        "cabinets": Cabinet.objects.count(),
        "points": LightPoint.objects.count(),
        "watts": LightPoint.objects.aggregate(w=Sum("wattage"))["w"] or 0,
    }


def overrides_in_force(*, now: datetime) -> list[LightingOverride]:
    return list(
        LightingOverride.objects.filter(starts_at__lte=now, ends_at__gt=now).order_by("ends_at")
    )


def street_centres() -> list[dict[str, Any]]:
    """Each named street of the inventory, per commune, at the centre of its lamps."""
    rows = (
        LightPoint.objects.exclude(street="")
        .values("commune_insee", "street")
        .annotate(lat=Avg("lat"), lon=Avg("lon"))
        .order_by("commune_insee", "street")
    )
    return [dict(row) for row in rows]


# Columns of `light_point_rows`, in order: an inventory row as open data publishes it.
LIGHT_POINT_ROW_FIELDS = (
    "reference",
    "lat",
    "lon",
    "commune_insee",
    "street",
    "street_class",
    "technology",
    "wattage",
    "cabinet__reference",
    "status",
    "level",
)


def light_point_rows(
    *, commune_insee: str | None = None, bbox: tuple[float, float, float, float] | None = None
) -> list[tuple[Any, ...]]:
    """Inventory and status of the light points as plain tuples, in LIGHT_POINT_ROW_FIELDS order.

    The whole inventory is tens of thousands of rows: the ORM builds the query, the database
    cursor returns the tuples itself, with no model instance or Python step per row.
    Unordered (callers sort as they need).
    """
    points = LightPoint.objects.all()
    if commune_insee:
        points = points.filter(commune_insee=commune_insee)
    if bbox is not None:
        min_lon, min_lat, max_lon, max_lat = bbox
        points = points.filter(
            lat__gte=min_lat, lat__lte=max_lat, lon__gte=min_lon, lon__lte=max_lon
        )
    query = points.values_list(*LIGHT_POINT_ROW_FIELDS).order_by()
    sql, params = query.query.sql_with_params()
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def light_point_vocabularies() -> dict[str, list[str]]:
    """The values the coded columns of `light_point_rows` can take."""
    return {
        "status": list(LampStatus.values),
        "street_class": list(StreetClass.values),
        "technology": list(Technology.values),
    }


def lamp_places(references: list[str]) -> dict[str, AssetPlace]:
    """Each light point by its reference, street and commune (the alarm panel's wording)."""
    rows = LightPoint.objects.filter(reference__in=references).values_list(
        "reference", "street", "commune_insee"
    )
    return {
        reference: AssetPlace(
            name=reference,  # the page puts "Light point" before it, in its own language
            street=street,
            commune_insee=insee,
        )
        for reference, street, insee in rows
    }


def cabinet_places(references: list[str]) -> dict[str, AssetPlace]:
    """Each cabinet by its reference, with the street most of its light points stand in."""
    streets: dict[str, Counter[str]] = defaultdict(Counter)
    for reference, street in LightPoint.objects.filter(
        cabinet__reference__in=references
    ).values_list("cabinet__reference", "street"):
        if street:
            streets[reference][street] += 1
    return {
        reference: AssetPlace(
            name=reference,
            street=streets[reference].most_common(1)[0][0] if streets[reference] else "",
            commune_insee=insee,
        )
        for reference, insee in Cabinet.objects.filter(reference__in=references).values_list(
            "reference", "commune_insee"
        )
    }


def lamps_counted(count: int) -> str:
    return ngettext("%(n)d lamp", "%(n)d lamps", count) % {"n": count}


def cabinets_counted(count: int) -> str:
    return ngettext("%(n)d cabinet", "%(n)d cabinets", count) % {"n": count}
