"""The field tablet: the page, its offline pieces and the JSON API it calls."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hypervisor import selectors as hypervisor_selectors
from hypervisor.access import public, requires
from hypervisor.photos import stored_photo_response
from incidents import selectors, services

TABLET = "incidents.use_field_tablet"


def _crew_or_404(request: HttpRequest):  # type: ignore[no-untyped-def]
    crew = selectors.crew_of_user(user=request.user)
    if crew is None:
        raise Http404(_("You are not in a crew."))
    return crew


@require_GET
@requires(TABLET)
def tablet(request: HttpRequest) -> HttpResponse:
    crew = selectors.crew_of_user(user=request.user)
    return render(
        request,
        "incidents/tablet.html",
        {
            "crew": crew,
            "tasks": selectors.crew_task_list(crew=crew) if crew else [],
            # Outlines keep the map readable where no tile server can be reached.
            "communes": hypervisor_selectors.communes_geojson(),
            "map_center": settings.MAP_CENTER,
            # Times on the tablet are the territory's, whatever the tablet's own setting.
            "time_zone": settings.TIME_ZONE,
        },
    )


@require_GET
@public
def service_worker(request: HttpRequest) -> HttpResponse:
    """Served under /terrain/ so that it may control the tablet's pages."""
    path = finders.find("incidents/field-sw.js")
    body = Path(str(path)).read_text(encoding="utf-8")
    shell = [
        "/terrain/",
        static("css/tokens.css"),
        static("css/base.css"),
        static("incidents/field.css"),
        static("incidents/field.js"),
        static("incidents/field-queue.js"),
        static("js/live-socket.js"),
        static("leaflet/leaflet.js"),
        static("leaflet/leaflet.css"),
        static("vendor/lucide/icons.svg"),
    ]
    body = body.replace("__SHELL__", json.dumps(shell))
    response = HttpResponse(body, content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/terrain/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
@public
def manifest(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {
            "name": _("OnDijon field tablet"),
            "short_name": _("OnDijon field"),
            "start_url": "/terrain/",
            "scope": "/terrain/",
            "display": "standalone",
            "orientation": "any",
            "background_color": "#f6f7f5",
            "theme_color": "#0b6e4f",
            "lang": request.LANGUAGE_CODE,
            "icons": [{"src": static("img/ondijon.svg"), "sizes": "any", "type": "image/svg+xml"}],
        },
        content_type="application/manifest+json",
    )


@require_GET
@requires(TABLET)
def task_list(request: HttpRequest) -> JsonResponse:
    crew = _crew_or_404(request)
    return JsonResponse({"crew": crew.name, "tasks": selectors.crew_task_list(crew=crew)})


@require_GET
@requires(TABLET)
def task_detail(request: HttpRequest, task_id: int) -> JsonResponse:
    crew = _crew_or_404(request)
    task = selectors.task_for_crew(task_id=task_id, crew=crew)
    if task is None:
        return JsonResponse({"error": _("This task belongs to another crew.")}, status=403)
    detail = selectors.task_detail(task=task, crew=crew)
    detail["history"] = [{**entry, "at": entry["at"].isoformat()} for entry in detail["history"]]
    return JsonResponse(detail)


@require_POST
@requires(TABLET)
def task_action(request: HttpRequest) -> JsonResponse:
    """Start, pause, done or cannot-do; the tablet's action id makes a replay harmless."""
    try:
        action_id = uuid.UUID(request.POST.get("action_id", ""))
        task_id = int(request.POST.get("task_id", ""))
    except ValueError:
        return JsonResponse({"error": _("The action is incomplete.")}, status=400)
    try:
        result = services.field_action_apply(
            action_id=action_id,
            user=request.user,
            task_id=task_id,
            kind=request.POST.get("kind", ""),
            note=request.POST.get("note", ""),
            reason=request.POST.get("reason", ""),
            photos=request.FILES.getlist("photos"),
        )
    except services.FieldActionRefused as refused:
        return JsonResponse(
            {"error": refused.message, "code": type(refused).__name__},
            status=refused.status_code,
        )
    return JsonResponse({**result.body, "replayed": result.replayed}, status=result.status_code)


@require_POST
@requires(TABLET)
def position(request: HttpRequest) -> JsonResponse:
    """The tablet's geolocation, shared with the agent's consent, moves the crew."""
    crew = _crew_or_404(request)
    try:
        lat, lon = float(request.POST["lat"]), float(request.POST["lon"])
        services.crew_position_report(crew_id=crew.pk, lat=lat, lon=lon)
    except (KeyError, ValueError, services.PositionRefused):
        return JsonResponse({"error": _("The position is not valid.")}, status=400)
    return JsonResponse({"ok": True})


@require_GET
@requires(TABLET)
def task_photo(request: HttpRequest, name: str) -> FileResponse:
    """A photo taken on site: for field staff only, never from the media directory."""
    stored = f"tasks/{name}"
    if not selectors.task_photo_exists(name=stored):
        raise Http404(name)
    return stored_photo_response(stored)
