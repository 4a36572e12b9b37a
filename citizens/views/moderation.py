"""Moderation screen: operators hide a photo or a reporter's personal details (audited)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from citizens import selectors, services
from citizens.models import Report, ReportPhoto
from hypervisor.access import requires
from incidents import services as incident_services

MODERATION_PERMISSION = "citizens.moderate_report"


@require_safe
@requires(MODERATION_PERMISSION)
def moderation(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    reports = list(selectors.reports_to_moderate(reference=query))
    if query:
        # Looking a report up by reference also shows what its reporter sees of the repair.
        for report in reports:
            report.closing = selectors.closing_to_moderate(report=report)  # type: ignore[attr-defined]
    return render(request, "citizens/moderation.html", {"reports": reports, "query": query})


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


@requires(MODERATION_PERMISSION)
@require_POST
def task_note_hide(request: HttpRequest, task_id: int) -> HttpResponse:
    """Keep the crew's closing note off the reporter's tracking page."""
    try:
        incident_services.task_note_hide(
            task_id=task_id,
            by=request.user,  # type: ignore[arg-type]
            reason=request.POST.get("reason", "")[:200],
        )
    except ObjectDoesNotExist:
        raise Http404 from None
    messages.success(request, _("Closing note hidden from the reporter."))
    return redirect("report-moderation")


@requires(MODERATION_PERMISSION)
@require_POST
def task_photo_hide(request: HttpRequest, photo_id: int) -> HttpResponse:
    """Keep a crew's photo off the reporter's tracking page."""
    try:
        incident_services.task_photo_hide(
            photo_id=photo_id,
            by=request.user,  # type: ignore[arg-type]
            reason=request.POST.get("reason", "")[:200],
        )
    except ObjectDoesNotExist:
        raise Http404 from None
    messages.success(request, _("Photo hidden."))
    return redirect("report-moderation")
