from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from citizens import selectors, services
from citizens.forms import ReportForm
from hypervisor import selectors as hypervisor_selectors
from hypervisor.access import public


@public
def report_form(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        report = services.report_submit(
            category_code=form.cleaned_data["category"],
            description=form.cleaned_data["description"],
            lat=form.cleaned_data["lat"],
            lon=form.cleaned_data["lon"],
        )
        messages.success(request, _("Thank you, your report is registered."))
        return redirect("report-tracking", token=report.token)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "citizens/report_form.html",
        {
            "form": form,
            "category_options": form.category_options,
            "communes": hypervisor_selectors.communes_geojson(),
            "map_center": settings.MAP_CENTER,
        },
        status=status,
    )


@public
def report_tracking(request: HttpRequest, token: str) -> HttpResponse:
    tracking = selectors.report_tracking(token=token)
    if tracking is None:
        raise Http404
    response = render(request, "citizens/tracking.html", {"tracking": tracking})
    # The token is the only key to this page: keep it out of referrers and shared caches.
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    return response
