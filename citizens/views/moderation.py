"""Moderation screen: operators hide a photo or a reporter's personal details (audited)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from citizens import selectors, services
from citizens.models import Report, ReportPhoto
from hypervisor.access import requires

MODERATION_PERMISSION = "citizens.moderate_report"


@require_safe
@requires(MODERATION_PERMISSION)
def moderation(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    return render(
        request,
        "citizens/moderation.html",
        {"reports": selectors.reports_to_moderate(reference=query), "query": query},
    )


@requires(MODERATION_PERMISSION)
@require_POST
def photo_hide(request: HttpRequest, photo_id: int) -> HttpResponse:
    photo = get_object_or_404(ReportPhoto, pk=photo_id)
    services.report_photo_hide(
        photo_id=photo.pk,
        by=request.user,  # type: ignore[arg-type]
        reason=request.POST.get("reason", "")[:200],
    )
    messages.success(request, _("Photo hidden."))
    return redirect("report-moderation")


@requires(MODERATION_PERMISSION)
@require_POST
def contact_hide(request: HttpRequest, report_id: int) -> HttpResponse:
    report = get_object_or_404(Report, pk=report_id)
    services.report_contact_hide(
        report_id=report.pk,
        by=request.user,  # type: ignore[arg-type]
        reason=request.POST.get("reason", "")[:200],
    )
    messages.success(request, _("Personal details hidden."))
    return redirect("report-moderation")
