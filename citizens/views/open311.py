"""Open311 GeoReport v2 under /open311/v2/: thin views over citizens.open311 and services."""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from citizens import open311, services
from citizens import selectors as citizen_selectors
from citizens.forms import PHONE
from citizens.models import Report
from citizens.views.report import rate_limited
from hypervisor import selectors as hypervisor_selectors
from hypervisor.access import public
from incidents import selectors as incident_selectors
from incidents.services import CategoryUnavailable, Priority, Source

MAX_RESULTS = 1000
# GeoReport v2 allows descriptions of up to 4,000 characters.
MAX_DESCRIPTION = 4000
DEFAULT_SPAN = timedelta(days=90)
FORMATS = {"json", "xml"}


def _respond(fmt: str, root: str, document: Any, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(
            open311.to_xml(root, document), content_type="text/xml; charset=utf-8", status=status
        )
    return HttpResponse(
        json.dumps(document, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
        status=status,
    )


def _error(fmt: str, status: int, description: str) -> HttpResponse:
    return _respond(fmt, "errors", [{"code": status, "description": description}], status)


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _exact(request: HttpRequest) -> bool:
    """Exact positions and times only for client applications holding an API key."""
    return request.GET.get("api_key", "") in settings.OPEN311_API_KEYS


def _check_format(fmt: str) -> str | None:
    return fmt if fmt in FORMATS else None


def _wrong_jurisdiction(request: HttpRequest, fmt: str) -> HttpResponse | None:
    """Every call, read or write, refuses another jurisdiction's id the same way."""
    jurisdiction = request.POST.get("jurisdiction_id") if request.method == "POST" else None
    jurisdiction = jurisdiction or request.GET.get("jurisdiction_id")
    if jurisdiction and jurisdiction != settings.OPEN311_JURISDICTION:
        return _error(fmt, 404, _("Unknown jurisdiction_id %(id)s.") % {"id": jurisdiction})
    return None


@require_safe
@public
def root(request: HttpRequest) -> HttpResponse:
    return redirect("open311-discovery", fmt="json")


@require_safe
@public
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    if not _check_format(fmt):
        return _error("json", 400, _("Format must be json or xml."))
    return _respond(fmt, "discovery", open311.discovery(base_url=_base_url(request)))


@require_safe
@public
def services_list(request: HttpRequest, fmt: str) -> HttpResponse:
    if not _check_format(fmt):
        return _error("json", 400, _("Format must be json or xml."))
    if refused := _wrong_jurisdiction(request, fmt):
        return refused
    return _respond(fmt, "services", open311.service_list())


@require_safe
@public
def service_definition(request: HttpRequest, service_code: str, fmt: str) -> HttpResponse:
    if not _check_format(fmt):
        return _error("json", 400, _("Format must be json or xml."))
    if refused := _wrong_jurisdiction(request, fmt):
        return refused
    definition = open311.service_definition(service_code=service_code)
    if definition is None:
        return _error(fmt, 404, _("Unknown service_code %(code)s.") % {"code": service_code})
    return _respond(fmt, "service_definition", definition)


def _datetime(value: str | None) -> datetime | None:
    """A W3C date-time, or None (also for a well-formed impossible one: 2026-02-30)."""
    if not value:
        return None
    try:
        return parse_datetime(value)
    except ValueError:
        return None


def _list(request: HttpRequest, fmt: str) -> HttpResponse:
    if rate_limited(request, "open311-list", rate=settings.OPEN311_LIST_RATE, method="GET"):
        return _error(fmt, 429, _("Too many requests from this client; try again later."))
    reports = Report.objects.all().order_by("-created_at")
    ids = [value for value in request.GET.get("service_request_id", "").split(",") if value]
    if ids:
        reports = reports.filter(reference__in=ids)
    else:
        codes = [code for code in request.GET.get("service_code", "").split(",") if code]
        if codes:  # the specification allows a comma-separated list
            reports = reports.filter(category_code__in=codes)
        start, end = request.GET.get("start_date"), request.GET.get("end_date")
        start_at, end_at = _datetime(start), _datetime(end)
        if (start and start_at is None) or (end and end_at is None):
            return _error(fmt, 400, _("Dates must be in W3C format (2026-11-22T08:00:00+01:00)."))
        if start_at is None:
            start_at = (end_at or timezone.now()) - DEFAULT_SPAN
        reports = reports.filter(created_at__gte=start_at)
        if end_at is not None:
            reports = reports.filter(created_at__lte=end_at)
    statuses = {value for value in request.GET.get("status", "").split(",") if value}
    if statuses - {"open", "closed"}:
        return _error(fmt, 400, _("status must be open or closed."))
    base, exact = _base_url(request), _exact(request)
    selected = list(reports[:MAX_RESULTS])
    # Read in bulk: a few queries for the whole list, not a few per report.
    views = incident_selectors.incident_public_views(
        incident_ids=[report.master_incident_id or report.incident_id for report in selected]
    )
    photos = citizen_selectors.first_visible_photo_urls(
        incident_ids=[report.incident_id for report in selected]
    )
    documents = []
    for report in selected:
        document = open311.service_request(
            report, base_url=base, exact=exact, views=views, photos=photos
        )
        if document and (not statuses or document["status"] in statuses):
            documents.append(document)
    return _respond(fmt, "service_requests", documents)


def _location(data: Any) -> tuple[float | None, float | None, str] | str:
    """lat/long, or else address_string; a message if neither locates the request.

    An address is located by the report service from the territory's gazetteer, else its
    commune; one it cannot place waits for an operator (never refused).
    address_id is refused: no public address register numbers our places (docs/citizens.md).
    """
    address = data.get("address_string", "").strip()[:200]
    if data.get("lat") or data.get("long"):
        try:
            lat, lon = float(data["lat"]), float(data["long"])
        except (KeyError, ValueError):
            return _("lat and long must both be decimal degrees.")
        if not (math.isfinite(lat) and math.isfinite(lon)):
            return _("lat and long must both be decimal degrees.")
        return lat, lon, address
    if address:
        return None, None, address
    if data.get("address_id"):
        return _("address_id is not supported here: send lat and long, or address_string.")
    return _("A location is required: lat and long, or address_string.")


def _service_name(service_code: str) -> str:
    names = {service["service_code"]: service["service_name"] for service in open311.service_list()}
    return str(names.get(service_code, service_code))


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    data = request.POST
    # The allowance first: every post counts, so API keys cannot be guessed without limit.
    if rate_limited(request, "open311-post"):
        return _error(fmt, 429, _("Too many requests from this client; try again later."))
    if data.get("api_key", "") not in settings.OPEN311_API_KEYS:
        return _error(fmt, 403, _("A valid api_key is required to post a service request."))
    if refused := _wrong_jurisdiction(request, fmt):
        return refused
    service_code = data.get("service_code", "")
    if not service_code:
        return _error(fmt, 400, _("service_code is required."))
    located = _location(data)
    if isinstance(located, str):
        return _error(fmt, 400, located)
    lat, lon, address = located
    if (
        lat is not None
        and lon is not None
        and not hypervisor_selectors.territory_contains(lat=lat, lon=lon)
    ):
        return _error(fmt, 400, _("This location is outside the jurisdiction."))
    description = data.get("description", "").strip()  # optional in GeoReport v2
    if len(description) > MAX_DESCRIPTION:
        return _error(
            fmt,
            400,
            _("description must be at most %(max)d characters.") % {"max": MAX_DESCRIPTION},
        )
    danger = data.get(f"attribute[{open311.DANGER_ATTRIBUTE}]", "")
    if danger not in ("", "yes", "no"):
        return _error(fmt, 400, _("attribute[danger] must be yes or no."))
    email, phone = data.get("email", ""), data.get("phone", "").strip()
    if phone and not PHONE.match(phone):
        return _error(fmt, 400, _("phone must be a phone number (digits, spaces, + . -)."))
    name = " ".join(
        part for part in (data.get("first_name", ""), data.get("last_name", "")) if part
    )
    try:
        report = services.report_submit(
            category_code=service_code,
            # Optional in GeoReport v2; an incident always has one, so the service's name
            # stands for it (docs/citizens.md).
            description=description or _service_name(service_code),
            lat=lat,
            lon=lon,
            address=address,
            source=Source.OPEN311,
            priority=Priority.HIGH if danger == "yes" else None,
            contact_name=name[:120],
            contact_email=email,
            contact_phone=phone[:20],
            # The client application collected them to keep its user informed.
            contact_consent=bool(email or phone),
            link_duplicates=True,
        )
    except CategoryUnavailable:
        return _error(fmt, 404, _("Unknown service_code %(code)s.") % {"code": service_code})
    except ValidationError as error:
        return _error(fmt, 400, "; ".join(error.messages))
    return _respond(
        fmt,
        "service_requests",
        [
            {
                "service_request_id": report.reference,
                "token": report.token,
                "service_notice": "",
                "account_id": "",
            }
        ],
        status=201,
    )


@public
@csrf_exempt
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if not _check_format(fmt):
        return _error("json", 400, _("Format must be json or xml."))
    if refused := _wrong_jurisdiction(request, fmt):
        return refused
    if request.method == "POST":
        return _create(request, fmt)
    if request.method != "GET":
        return _error(fmt, 405, _("Use GET or POST."))
    return _list(request, fmt)


@require_safe
@public
def single_request(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    if not _check_format(fmt):
        return _error("json", 400, _("Format must be json or xml."))
    if refused := _wrong_jurisdiction(request, fmt):
        return refused
    report = Report.objects.filter(reference=request_id).first()
    document = (
        open311.service_request(report, base_url=_base_url(request), exact=_exact(request))
        if report
        else None
    )
    if document is None:
        return _error(fmt, 404, _("Unknown service_request_id %(id)s.") % {"id": request_id})
    return _respond(fmt, "service_requests", [document])


@require_safe
@public
def token(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    if not _check_format(fmt):
        return _error("json", 400, _("Format must be json or xml."))
    if refused := _wrong_jurisdiction(request, fmt):
        return refused
    report = Report.objects.filter(token=token).first()
    if report is None:
        return _error(fmt, 404, _("Unknown token."))
    return _respond(
        fmt, "service_requests", [{"service_request_id": report.reference, "token": token}]
    )
