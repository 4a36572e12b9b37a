"""Map layers of crossroads, cameras and bollards (a few hundred features: always points)."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from traffic.events import BOLLARD_EVENT_KINDS, CAMERA_EVENT_KINDS, CROSSROAD_EVENT_KINDS
from traffic.models import (
    Bollard,
    BollardState,
    Camera,
    CameraStatus,
    ControllerState,
    Crossroad,
)


class _PointLayer:
    model: type[Model]
    status_field: str
    normal: str
    choices: Any
    extra_fields: list[str] = []

    @property
    def legend(self) -> dict[str, str]:
        return {choice.value: str(choice.label) for choice in self.choices}

    def details(self, asset: Any) -> dict[str, Any]:
        return {}

    def _feature(self, asset: Any) -> dict[str, Any]:
        status = getattr(asset, self.status_field)
        return {
            "id": asset.reference,
            "lat": asset.lat,
            "lon": asset.lon,
            "status": status,
            "status_label": str(getattr(asset, f"get_{self.status_field}_display")()),
            "title": f"{asset.reference} {asset.name}",
            "details": self.details(asset),
        }

    def snapshot(self) -> list[dict[str, Any]]:
        faulty = self.model.objects.exclude(**{self.status_field: self.normal})  # type: ignore[attr-defined]
        return [self._feature(asset) for asset in faulty.order_by("reference")]

    def feature(self, asset_id: str) -> dict[str, Any] | None:
        asset = self.model.objects.filter(reference=asset_id).first()  # type: ignore[attr-defined]
        return self._feature(asset) if asset else None

    def tile(self, *, bbox: tuple[float, float, float, float], zoom: int) -> dict[str, Any]:
        min_lon, min_lat, max_lon, max_lat = bbox
        fields = ["reference", "lat", "lon", self.status_field, *self.extra_fields]
        rows = (
            self.model.objects.filter(  # type: ignore[attr-defined]
                lat__gte=min_lat, lat__lte=max_lat, lon__gte=min_lon, lon__lte=max_lon
            )
            .values_list(*fields)
            .order_by()
        )
        return {
            "kind": "points",
            "fields": ["id", "lat", "lon", "status", *self.extra_fields],
            "rows": [list(row) for row in rows],
        }


class CrossroadLayer(_PointLayer):
    name = "signals"
    label = _("Traffic signals")
    event_kinds = CROSSROAD_EVENT_KINDS
    model = Crossroad
    status_field = "state"
    normal = ControllerState.NORMAL
    choices = ControllerState

    def details(self, asset: Any) -> dict[str, Any]:
        from traffic.selectors import signal_groups_summary

        return {
            str(_("controller")): asset.controller_id,
            str(_("signal groups")): signal_groups_summary(crossroad=asset) or asset.signal_groups,
            str(_("functional position")): str(asset.get_functional_position_display()),
            str(_("control mode")): str(asset.get_control_mode_display()),
            str(_("time plan")): asset.time_plan or "",
            str(_("fault code")): asset.fault_code,
            str(_("under works until")): asset.works_until.isoformat() if asset.works_until else "",
        }


class CameraLayer(_PointLayer):
    name = "cameras"
    label = _("Cameras")
    # Off on an operator's map until asked: their faults reach it as alarms.
    default_visible = False
    event_kinds = CAMERA_EVENT_KINDS
    model = Camera
    status_field = "status"
    normal = CameraStatus.ONLINE
    choices = CameraStatus
    extra_fields = ["bearing", "field_of_view"]

    def details(self, asset: Any) -> dict[str, Any]:
        return {
            str(_("kind")): str(asset.get_kind_display()),
            str(_("purpose")): str(asset.get_purpose_display()),
            str(_("bearing (°)")): asset.bearing,
            str(_("field of view (°)")): asset.field_of_view,
            str(_("recording retention (days)")): asset.retention_days,
        }


class BollardLayer(_PointLayer):
    name = "bollards"
    label = _("Retractable bollards")
    # Off on an operator's map until asked: their faults reach it as alarms.
    default_visible = False
    event_kinds = BOLLARD_EVENT_KINDS
    model = Bollard
    status_field = "state"
    normal = BollardState.UP
    choices = BollardState

    def snapshot(self) -> list[dict[str, Any]]:
        # A lowered bollard is normal use; only faults stand out.
        faulty = Bollard.objects.filter(state=BollardState.FAULT).order_by("reference")
        return [self._feature(asset) for asset in faulty]

    def details(self, asset: Any) -> dict[str, Any]:
        return {
            str(_("access point")): asset.access_point,
            str(_("fault code")): asset.fault_code,
        }
