"""The phone portal: one screen for the teleoperator taking a call."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from citizens import selectors, services
from citizens.forms import CallForm, PhoneReportForm
from citizens.models import CallReason
from hypervisor.access import requires
from incidents import selectors as incident_selectors
from incidents.services import Source

PORTAL_PERMISSION = "citizens.use_phone_portal"
MAX_RESULTS = 12


def _with_dates(features: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Newest first, each with its opening time as a datetime for the template."""
    dated = [{**feature, "created": parse_datetime(feature["created_at"])} for feature in features]
    return sorted(dated, key=lambda feature: feature["created_at"], reverse=True)[:MAX_RESULTS]


def _search(request: HttpRequest) -> dict[str, Any]:
    """Existing incidents by reference (or tracking token) or by commune."""
    query = request.GET.get("q", "").strip()
    commune = request.GET.get("commune", "").strip()
    found: dict[str, Any] = {"query": query, "commune": commune, "results": None}
    if query:
        open_ones = [
            feature
            for feature in incident_selectors.incident_map_features()
            if feature["reference"].casefold() == query.casefold()
        ]
        found["results"] = _with_dates(open_ones)
        if not open_ones:
            view = selectors.report_lookup(reference_or_token=query)
            found["finished"] = view
    elif commune:
        found["results"] = _with_dates(
            [
                feature
                for feature in incident_selectors.incident_map_features()
                if feature["commune"] == commune
            ]
        )
    return found


@require_http_methods(["GET", "HEAD", "POST"])
@requires(PORTAL_PERMISSION)
def portal(request: HttpRequest) -> HttpResponse:
    places = selectors.places()
    call_form = CallForm(request.POST if request.POST.get("action") == "call" else None)
    report_form = PhoneReportForm(
        request.POST if request.POST.get("action") == "report" else None, places=places
    )
    if request.method == "POST" and call_form.is_bound and call_form.is_valid():
        services.call_log(
            reason=CallReason(call_form.cleaned_data["reason"]),
            caller_number=call_form.cleaned_data["caller_number"],
            note=call_form.cleaned_data["note"],
            taken_by=request.user,  # type: ignore[arg-type]
        )
        messages.success(request, _("Call recorded."))
        return redirect("portal")
    if request.method == "POST" and report_form.is_bound and report_form.is_valid():
        data = report_form.cleaned_data
        consent = bool(data["sms_consent"])
        # The incident is located from the address, else from the commune; with neither
        # it waits in the dispatch queue for an operator to place it.
        address = ", ".join(part for part in (data["address"].strip(), data["place"]) if part)
        report = services.report_submit(
            category_code=data["category"],
            description=data["description"],
            lat=None,
            lon=None,
            address=address,
            source=Source.PHONE,
            contact_phone=data["caller_number"] if consent else "",
            contact_consent=consent,
            link_duplicates=True,
        )
        services.call_log(
            reason=CallReason.NEW_REPORT,
            caller_number=data["caller_number"],
            report=report,
            taken_by=request.user,  # type: ignore[arg-type]
        )
        messages.success(
            request,
            _("Report %(reference)s filed. Give the caller this reference.")
            % {"reference": report.reference},
        )
        return redirect("portal")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "citizens/portal.html",
        {
            "call_form": call_form,
            "report_form": report_form,
            "search": _search(request),
            "places": places,
            "answers": selectors.quick_answers(query=request.GET.get("answer", "")),
            "answer_query": request.GET.get("answer", ""),
            "statistics": selectors.call_statistics(day=timezone.localdate()),
            "recent_calls": selectors.recent_calls(),
        },
        status=status,
    )
