"""The control room: the page, map layers by viewport, alarm actions and procedures."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from hypervisor import selectors, services
from hypervisor.access import requires
from hypervisor.not_found import missing_is_404
from hypervisor.registry import registry

WATCH = "hypervisor.view_control_room"
ACKNOWLEDGE = "hypervisor.acknowledge_alarm"
RUN_PROCEDURES = "hypervisor.run_procedures"


@require_safe
@requires(WATCH)
def control_room(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "hypervisor/control_room.html",
        {
            "communes": selectors.communes_geojson(),
            "layers": [
                {
                    "name": layer.name,
                    "label": str(layer.label),
                    "tiled": hasattr(layer, "tile"),
                    # A layer may start hidden (equipment whose faults come as alarms).
                    "visible": getattr(layer, "default_visible", True),
                    "legend": {k: str(v) for k, v in getattr(layer, "legend", {}).items()},
                }
                for layer in registry.layers()
            ],
            "crisis": selectors.crisis_active(),
            # Live deltas are encoded once for every screen: each page relabels their codes
            # in its own language from these (see static/js/vocabulary.js).
            "vocabularies": {
                layer.name: layer.vocabulary()
                for layer in registry.layers()
                if hasattr(layer, "vocabulary")
            },
            "room_links": [
                link
                for link in registry.room_links()
                if link.permission is None or request.user.has_perm(link.permission)
            ],
            "room_modules": [
                module
                for module in registry.room_modules()
                if module.permission is None or request.user.has_perm(module.permission)
            ],
            "has_crews": any(layer.name == "crews" for layer in registry.layers()),
            "can_acknowledge": request.user.has_perm(ACKNOWLEDGE),
            "can_run_procedures": request.user.has_perm(RUN_PROCEDURES),
            "map_center": settings.MAP_CENTER,
            "map_zoom": settings.MAP_ZOOM,
        },
    )


def _bad_request(message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=400)


@require_GET
@requires(WATCH)
def layer_tile(request: HttpRequest, name: str) -> JsonResponse:
    """One equipment layer inside the viewport, compact, aggregated at low zoom."""
    layer = next((layer for layer in registry.asset_layers() if layer.name == name), None)
    if layer is None:
        raise Http404
    try:
        min_lon, min_lat, max_lon, max_lat = (float(v) for v in request.GET["bbox"].split(","))
        zoom = int(request.GET.get("zoom", "12"))
    except (KeyError, ValueError):
        return _bad_request(_("bbox must be min_lon,min_lat,max_lon,max_lat and zoom a number."))
    if not (min_lon < max_lon and min_lat < max_lat) or not 0 <= zoom <= 22:
        return _bad_request(_("The bounding box is empty or the zoom is out of range."))
    return JsonResponse(layer.tile(bbox=(min_lon, min_lat, max_lon, max_lat), zoom=zoom))


def _conflict(message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=409)


def _comment(request: HttpRequest) -> str:
    try:
        body: Any = json.loads(request.body or b"{}")
    except ValueError:
        body = {}
    return str(body.get("comment", "")) if isinstance(body, dict) else ""


@require_POST
@requires(ACKNOWLEDGE)
@missing_is_404(json=True)
def alarm_acknowledge(request: HttpRequest, alarm_id: int) -> JsonResponse:
    try:
        alarm = services.alarm_acknowledge(
            alarm_id=alarm_id,
            by=request.user,
            comment=_comment(request),  # type: ignore[arg-type]
        )
    except services.AlarmAlreadyAcknowledged as conflict:
        when = formats.time_format(timezone.localtime(conflict.at), "H:i") if conflict.at else ""
        return _conflict(
            _("Already acknowledged by %(name)s at %(time)s.") % {"name": conflict.by, "time": when}
        )
    except services.AlarmAlreadyCleared:
        return _conflict(_("This alarm has already cleared: nothing to acknowledge."))
    except services.AlarmConflict as conflict:
        return _conflict(str(conflict))
    return JsonResponse({"state": alarm.state})


@require_POST
@requires(ACKNOWLEDGE)
@missing_is_404(json=True)
def alarm_clear(request: HttpRequest, alarm_id: int) -> JsonResponse:
    try:
        alarm = services.alarm_clear(alarm_id=alarm_id, by=request.user)  # type: ignore[arg-type]
    except services.AlarmAlreadyCleared:
        return _conflict(_("This alarm has already cleared."))
    return JsonResponse({"state": alarm.state})


@require_GET
@requires(WATCH)
def alarm_procedure(request: HttpRequest, alarm_id: int) -> JsonResponse:
    view = selectors.procedure_view(alarm_id=alarm_id)
    if view is None:
        raise Http404
    return JsonResponse(view)


@require_POST
@requires(RUN_PROCEDURES)
@missing_is_404(json=True)
def alarm_procedure_step(request: HttpRequest, alarm_id: int) -> JsonResponse:
    """Start the procedure (no step given) or take its current step."""
    try:
        body = json.loads(request.body or b"{}")
        step, answer = str(body.get("step", "")), str(body.get("answer", ""))
    except (ValueError, AttributeError):
        return _bad_request(_("Malformed request."))
    try:
        if not step:
            services.procedure_start(alarm_id=alarm_id, by=request.user)  # type: ignore[arg-type]
        else:
            services.procedure_answer(
                alarm_id=alarm_id,
                step_code=step,
                answer=answer,
                by=request.user,  # type: ignore[arg-type]
            )
    except services.ProcedureError as error:
        return _conflict(str(error))
    return JsonResponse(selectors.procedure_view(alarm_id=alarm_id) or {})
