"""The reporter's tracking page, reached only through the report's unguessable token."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from citizens import selectors, services
from citizens.forms import FixAnswerForm
from hypervisor.access import public


def _private(response: HttpResponse) -> HttpResponse:
    # The token is the only key to this page: keep it out of other sites' referrers and out
    # of shared caches. Not "no-referrer": browsers then send "Origin: null" with the page's
    # own form, which the CSRF check refuses.
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@public
def report_tracking(request: HttpRequest, token: str) -> HttpResponse:
    tracking = selectors.report_tracking(token=token)
    if tracking is None:
        raise Http404
    return _private(render(request, "citizens/tracking.html", {"tracking": tracking}))


@public
@require_POST
def report_fix_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The reporter confirms the fix or says the problem is still there."""
    if selectors.report_by_token(token=token) is None:
        raise Http404
    form = FixAnswerForm(request.POST)
    if not form.is_valid():
        return redirect("report-tracking", token=token)
    try:
        if form.cleaned_data["answer"] == "confirm":
            services.report_confirm_fix(token=token)
            messages.success(request, _("Thank you for confirming the fix."))
        else:
            services.report_reopen(token=token, description=form.cleaned_data["description"])
            messages.success(request, _("Your report is open again; the service is alerted."))
    except services.FixAnswerRefused as error:
        messages.error(request, str(error))
    return _private(redirect("report-tracking", token=token))
