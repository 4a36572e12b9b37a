"""The crisis cell page: activate, log decisions and messages, add members, close."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from hypervisor import selectors, services
from hypervisor.access import requires
from hypervisor.forms import CrisisActivationForm, CrisisCloseForm, CrisisLogForm, CrisisMemberForm
from hypervisor.not_found import missing_is_404

WATCH = "hypervisor.view_control_room"
MANAGE = "hypervisor.manage_crisis"


@require_safe
@requires(WATCH)
def crisis_page(request: HttpRequest) -> HttpResponse:
    crisis = selectors.crisis_active()
    context = {
        "communes": selectors.communes_geojson(),
        "can_manage": request.user.has_perm(MANAGE),
        "history": selectors.crisis_history(),
    }
    if crisis is None:
        context["form"] = CrisisActivationForm()
    else:
        context |= {
            "detail": selectors.crisis_detail(crisis_id=crisis.pk),
            "log_form": CrisisLogForm(),
            "member_form": CrisisMemberForm(),
            "close_form": CrisisCloseForm(),
        }
    return render(request, "hypervisor/crisis.html", context)


def _refused(request: HttpRequest, error: Exception) -> HttpResponse:
    messages.error(request, str(error))
    return redirect("crisis")


@require_POST
@requires(MANAGE)
def crisis_activate(request: HttpRequest) -> HttpResponse:
    form = CrisisActivationForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "hypervisor/crisis.html",
            {
                "form": form,
                "communes": selectors.communes_geojson(),
                "can_manage": True,
                "history": selectors.crisis_history(),
            },
            status=400,
        )
    try:
        services.crisis_activate(
            title=form.cleaned_data["title"],
            severity=form.cleaned_data["severity"],
            commune_ids=[commune.pk for commune in form.cleaned_data["communes"]],
            zone=form.cleaned_data["zone"],
            by=request.user,  # type: ignore[arg-type]
        )
    except services.CrisisError as error:
        return _refused(request, error)
    messages.success(request, _("Crisis cell activated."))
    return redirect("crisis")


@require_POST
@requires(WATCH)
@missing_is_404(json=False)
def crisis_log(request: HttpRequest, crisis_id: int) -> HttpResponse:
    form = CrisisLogForm(request.POST)
    if not form.is_valid():
        return _refused(request, services.CrisisError(_("Write the decision or message first.")))
    if form.cleaned_data["kind"] == "decision" and not request.user.has_perm(MANAGE):
        return _refused(
            request, services.CrisisError(_("Only the crisis managers record decisions."))
        )
    try:
        services.crisis_log(
            crisis_id=crisis_id,
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
            by=request.user,  # type: ignore[arg-type]
        )
    except services.CrisisError as error:
        return _refused(request, error)
    return redirect("crisis")


@require_POST
@requires(MANAGE)
@missing_is_404(json=False)
def crisis_member(request: HttpRequest, crisis_id: int) -> HttpResponse:
    form = CrisisMemberForm(request.POST)
    if not form.is_valid():
        return _refused(request, services.CrisisError(_("Choose a member to add.")))
    try:
        services.crisis_add_member(
            crisis_id=crisis_id,
            member=form.cleaned_data["member"],
            by=request.user,  # type: ignore[arg-type]
        )
    except services.CrisisError as error:
        return _refused(request, error)
    return redirect("crisis")


@require_POST
@requires(MANAGE)
@missing_is_404(json=False)
def crisis_close(request: HttpRequest, crisis_id: int) -> HttpResponse:
    form = CrisisCloseForm(request.POST)
    summary = form.cleaned_data["summary"] if form.is_valid() else ""
    try:
        services.crisis_close(crisis_id=crisis_id, summary=summary, by=request.user)  # type: ignore[arg-type]
    except services.CrisisError as error:
        return _refused(request, error)
    messages.success(request, _("Crisis cell closed."))
    return redirect("crisis")
