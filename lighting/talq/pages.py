"""The operators' reconciliation list: devices a gateway declared that the inventory lacks."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from hypervisor import access
from lighting.forms import ReconcileForm
from lighting.models import Cabinet, LightPoint
from lighting.talq import selectors, services
from lighting.talq.models import TalqDevice


@require_safe
@access.requires("lighting.command_lighting")
def reconciliation(request: HttpRequest) -> HttpResponse:
    devices = list(selectors.reconciliation_list()[:500])
    return render(
        request,
        "lighting/talq_reconciliation.html",
        {"devices": devices, "form": ReconcileForm()},
    )


@require_POST
@access.requires("lighting.command_lighting")
def reconcile(request: HttpRequest, device_id: int) -> HttpResponse:
    device = get_object_or_404(TalqDevice, pk=device_id)
    form = ReconcileForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reference of a light point or a cabinet."))
        return redirect("talq-reconciliation")
    reference = form.cleaned_data["reference"].strip()
    point = LightPoint.objects.filter(reference=reference).first()
    cabinet = None if point else Cabinet.objects.filter(reference=reference).first()
    if point is None and cabinet is None:
        messages.error(
            request,
            _("No light point or cabinet has the reference %(reference)s.")
            % {"reference": reference},
        )
        return redirect("talq-reconciliation")
    services.talq_device_reconcile(
        device=device, by=request.user, light_point=point, cabinet=cabinet
    )
    messages.success(
        request,
        _("%(device)s now reports as %(reference)s.")
        % {"device": device.name, "reference": reference},
    )
    return redirect("talq-reconciliation")
