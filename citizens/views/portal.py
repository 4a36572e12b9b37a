"""The phone portal: one screen for the teleoperator taking a call."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from citizens import selectors, services
from citizens.forms import CallForm, PhoneFollowForm, PhoneReportForm
from citizens.models import CallReason
from hypervisor import selectors as hypervisor_selectors
from hypervisor.access import requires
from incidents import selectors as incident_selectors
from incidents.services import Source

PORTAL_PERMISSION = "citizens.use_phone_portal"


def _render(request: HttpRequest, status: int = 200, **context: Any) -> HttpResponse:
    places = context.pop("places", None) or selectors.places()
    action = request.POST.get("action")
    context.setdefault("call_form", CallForm(request.POST if action == "call" else None))
    context.setdefault("report_form", PhoneReportForm(places=places))
    search = {
        "query": request.GET.get("q", "").strip()[:120],
        "category": request.GET.get("category", "").strip()[:50],
        "commune": request.GET.get("commune", "").strip()[:120],
    }
    found = selectors.portal_incident_search(
        query=search["query"], category_code=search["category"], commune=search["commune"]
    )
    return render(
        request,
        "citizens/portal.html",
        {
            **context,
            "search": {**search, **found},
            "categories": incident_selectors.category_options(),
            "places": places,
            "answers": selectors.quick_answers(query=request.GET.get("answer", "")),
            "answer_query": request.GET.get("answer", ""),
            "statistics": selectors.call_statistics(day=timezone.localdate()),
            "communes": hypervisor_selectors.communes_geojson(),
            "map_center": settings.MAP_CENTER,
            "recent_calls": selectors.recent_calls(),
        },
        status=status,
    )


def _log_call(request: HttpRequest, form: CallForm) -> HttpResponse:
    data = form.cleaned_data
    services.call_log(
        reason=CallReason(data["reason"]),
        caller_number=data["caller_number"],
        note=data["note"],
        incident_id=data["reference"],
        taken_by=request.user,  # type: ignore[arg-type]
    )
    messages.success(request, _("Call recorded."))
    return redirect("portal")


def _file_report(request: HttpRequest, form: PhoneReportForm) -> HttpResponse:
    """File the report, unless incidents nearby may be the same problem: those are shown
    first, with one click to add the caller as a follower (or to file all the same)."""
    data = form.cleaned_data
    location = form.location
    assert location is not None  # the form is valid only with a location
    if location["precise"] and not data["file_anyway"]:
        candidates = selectors.duplicate_candidates(
            category_code=data["category"], lat=location["lat"], lon=location["lon"]
        )
        if candidates:
            return _render(
                request,
                report_form=form,
                places=list(form.places.values()),
                duplicates=candidates,
                duplicate_of={
                    "category": data["category"],
                    "lat": location["lat"],
                    "lon": location["lon"],
                    "caller_number": data["caller_number"],
                    "sms_consent": data["sms_consent"],
                },
            )
    consent = bool(data["sms_consent"])
    report = services.report_submit(
        category_code=data["category"],
        description=data["description"],
        lat=location["lat"],
        lon=location["lon"],
        address=location["address"],
        source=Source.PHONE,
        contact_phone=data["caller_number"] if consent else "",
        contact_consent=consent,
        # A commune's centre says nothing about where the problem is: never a duplicate.
        link_duplicates=location["precise"],
    )
    services.call_log(
        reason=CallReason.NEW_REPORT,
        caller_number=data["caller_number"],
        note=data["address"] if location["precise"] else "",
        report=report,
        taken_by=request.user,  # type: ignore[arg-type]
    )
    messages.success(
        request,
        _("Report %(reference)s filed. Give the caller this reference.")
        % {"reference": report.reference},
    )
    return redirect("portal")


def _follow(request: HttpRequest, form: PhoneFollowForm) -> HttpResponse:
    """Add the caller as a follower of an incident the portal offered them."""
    data = form.cleaned_data
    offered = {
        candidate["incident_id"]
        for candidate in selectors.duplicate_candidates(
            category_code=data["category"], lat=data["lat"], lon=data["lon"]
        )
    }
    if data["incident"] not in offered:
        messages.error(request, _("This incident is no longer offered: search again."))
        return redirect("portal")
    consent = bool(data["sms_consent"])
    try:
        services.incident_follow(
            incident_id=data["incident"],
            contact_phone=data["caller_number"] if consent else "",
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("portal")
    reference = next(
        (
            feature["reference"]
            for feature in incident_selectors.incident_map_features()
            if int(feature["id"]) == data["incident"]
        ),
        "",
    )
    services.call_log(
        reason=CallReason.FOLLOW_UP,
        caller_number=data["caller_number"],
        incident_id=data["incident"],
        taken_by=request.user,  # type: ignore[arg-type]
    )
    if consent:
        text = _(
            "The caller now follows %(reference)s and will receive its news by SMS. "
            "Give them this reference."
        )
    else:
        text = _("The call is recorded against %(reference)s. Give the caller this reference.")
    messages.success(request, text % {"reference": reference})
    return redirect("portal")


@require_http_methods(["GET", "HEAD", "POST"])
@requires(PORTAL_PERMISSION)
def portal(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _render(request)
    action = request.POST.get("action")
    if action == "call":
        call_form = CallForm(request.POST)
        if call_form.is_valid():
            return _log_call(request, call_form)
        return _render(request, status=400, call_form=call_form)
    if action == "follow":
        follow_form = PhoneFollowForm(request.POST)
        if follow_form.is_valid():
            return _follow(request, follow_form)
        messages.error(request, _("This incident is no longer offered: search again."))
        return redirect("portal")
    places = selectors.places()
    report_form = PhoneReportForm(request.POST, places=places)
    if action == "report" and report_form.is_valid():
        return _file_report(request, report_form)
    return _render(request, status=400, report_form=report_form, places=places)
