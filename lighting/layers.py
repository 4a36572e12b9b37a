"""Map layers of the lighting inventory: light points and cabinets.

The whole inventory (~35,000 points) is read by viewport through `tile()`: a bounding-box
filter on the indexed lat/lon columns, tuples rather than objects, and below street zoom
an aggregation on a grid computed by the database.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Case, Count, F, IntegerField, Max, QuerySet, Value, When
from django.db.models.functions import Floor
from django.utils.translation import gettext_lazy as _

from lighting.events import CABINET_EVENT_KINDS, LAMP_EVENT_KINDS
from lighting.models import Cabinet, CabinetStatus, LampStatus, LightPoint

POINTS_FROM_ZOOM = 16
LAMP_RANK = {
    LampStatus.OK: 0,
    LampStatus.DAY_BURNING: 1,
    LampStatus.COMM_LOST: 2,
    LampStatus.LAMP_FAILURE: 3,
    LampStatus.NO_POWER: 4,
}
CABINET_RANK = {CabinetStatus.OK: 0, CabinetStatus.COMM_LOST: 1, CabinetStatus.POWER_LOSS: 2}


def grid_cell_degrees(zoom: int) -> float:
    """About 48 screen pixels per cell: 360° spans 256 × 2^zoom pixels."""
    return 360 / (256 * 2**zoom) * 48


def in_bbox(queryset: QuerySet[Any], bbox: tuple[float, float, float, float]) -> QuerySet[Any]:
    min_lon, min_lat, max_lon, max_lat = bbox
    return queryset.filter(lat__gte=min_lat, lat__lte=max_lat, lon__gte=min_lon, lon__lte=max_lon)


def clusters(queryset: QuerySet[Any], *, zoom: int, ranks: dict[str, int]) -> list[list[Any]]:
    """[lat, lon, count, worst status] per grid cell, aggregated in SQL."""
    cell = grid_cell_degrees(zoom)
    by_rank = {rank: status for status, rank in ranks.items()}
    rows = (
        queryset.annotate(
            cell_lat=Floor(F("lat") / cell),
            cell_lon=Floor(F("lon") / cell),
            rank=Case(
                *[When(status=status, then=Value(rank)) for status, rank in ranks.items()],
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .values("cell_lat", "cell_lon")
        .annotate(n=Count("pk"), mean_lat=Avg("lat"), mean_lon=Avg("lon"), worst=Max("rank"))
        .values_list("mean_lat", "mean_lon", "n", "worst")
        .order_by()
    )
    return [[round(lat, 6), round(lon, 6), n, str(by_rank[worst])] for lat, lon, n, worst in rows]


def lamp_feature(point: LightPoint) -> dict[str, Any]:
    return {
        "id": point.reference,
        "lat": point.lat,
        "lon": point.lon,
        "status": point.status,
        "status_label": str(point.get_status_display()),
        "title": str(_("Light point %(ref)s") % {"ref": point.reference}),
        "details": {
            str(_("cabinet")): point.cabinet.reference,
            str(_("street")): point.street,
            str(_("technology")): str(point.get_technology_display()),
            str(_("nominal wattage (W)")): point.wattage,
            str(_("current level (%)")): point.level,
        },
    }


def cabinet_feature(cabinet: Cabinet) -> dict[str, Any]:
    return {
        "id": cabinet.reference,
        "lat": cabinet.lat,
        "lon": cabinet.lon,
        "status": cabinet.status,
        "status_label": str(cabinet.get_status_display()),
        "title": str(_("Cabinet %(ref)s") % {"ref": cabinet.reference}),
        "details": {
            str(_("circuits")): cabinet.circuits,
            str(_("meter")): cabinet.meter_id,
            str(_("light points")): cabinet.points.count(),
            str(_("last heard from")): cabinet.last_seen_at.isoformat()
            if cabinet.last_seen_at
            else "",
        },
    }


class LightPointLayer:
    name = "lighting"
    label = _("Street lights")
    event_kinds = LAMP_EVENT_KINDS

    @property
    def legend(self) -> dict[str, str]:
        return {status.value: str(status.label) for status in LampStatus}

    def snapshot(self) -> list[dict[str, Any]]:
        faulty = LightPoint.objects.exclude(status=LampStatus.OK).select_related("cabinet")
        return [lamp_feature(point) for point in faulty.order_by("reference")]

    def feature(self, asset_id: str) -> dict[str, Any] | None:
        point = LightPoint.objects.select_related("cabinet").filter(reference=asset_id).first()
        return lamp_feature(point) if point else None

    def tile(self, *, bbox: tuple[float, float, float, float], zoom: int) -> dict[str, Any]:
        points = in_bbox(LightPoint.objects.all(), bbox)
        if zoom < POINTS_FROM_ZOOM:
            return {"kind": "clusters", "rows": clusters(points, zoom=zoom, ranks=LAMP_RANK)}
        fields = ["reference", "lat", "lon", "status", "level"]
        return {
            "kind": "points",
            "fields": ["id", "lat", "lon", "status", "level"],
            "rows": [list(row) for row in points.values_list(*fields).order_by()],
        }


class CabinetLayer:
    name = "cabinets"
    label = _("Lighting cabinets")
    # Off on an operator's map until asked: their faults reach it as alarms.
    default_visible = False
    event_kinds = CABINET_EVENT_KINDS

    @property
    def legend(self) -> dict[str, str]:
        return {status.value: str(status.label) for status in CabinetStatus}

    def snapshot(self) -> list[dict[str, Any]]:
        faulty = Cabinet.objects.exclude(status=CabinetStatus.OK).order_by("reference")
        return [cabinet_feature(cabinet) for cabinet in faulty]

    def feature(self, asset_id: str) -> dict[str, Any] | None:
        cabinet = Cabinet.objects.filter(reference=asset_id).first()
        return cabinet_feature(cabinet) if cabinet else None

    def tile(self, *, bbox: tuple[float, float, float, float], zoom: int) -> dict[str, Any]:
        cabinets = in_bbox(Cabinet.objects.all(), bbox)
        if zoom < 13:
            return {"kind": "clusters", "rows": clusters(cabinets, zoom=zoom, ranks=CABINET_RANK)}
        return {
            "kind": "points",
            "fields": ["id", "lat", "lon", "status"],
            "rows": [
                list(row)
                for row in cabinets.values_list("reference", "lat", "lon", "status").order_by()
            ],
        }
