"""`/api/`: a JSON index of the machine interfaces, instead of a 404 for whoever starts there."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from hypervisor.access import public


@require_safe
@public
def api_index(request: HttpRequest) -> JsonResponse:
    def link(rel: str, url_name: str, title: str, media_type: str, **kwargs: str) -> dict[str, str]:
        href = request.build_absolute_uri(reverse(url_name, kwargs=kwargs or None))
        return {"rel": rel, "href": href, "title": title, "type": media_type}

    return JsonResponse(
        {
            "title": _("OnDijon interfaces"),
            "links": [
                link("service-desc", "api-schema", _("OpenAPI description"), "application/yaml"),
                link("service-doc", "api-docs", _("Interactive documentation"), "text/html"),
                link("data", "opendata:api-list", _("Open data: datasets"), "application/json"),
                link(
                    "data",
                    "opendata:ogc-landing",
                    _("Open data: OGC API – Features"),
                    "application/json",
                ),
                link(
                    "service",
                    "open311-discovery",
                    _("Citizen reports: Open311 GeoReport v2"),
                    "application/json",
                    fmt="json",
                ),
                link(
                    "service",
                    "telemetry",
                    _("Equipment telemetry (gateways, with a token)"),
                    "application/json",
                ),
                link(
                    "service",
                    "field-task-list",
                    _("Field tablet (crews, signed in)"),
                    "application/json",
                ),
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )
