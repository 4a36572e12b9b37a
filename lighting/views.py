from __future__ import annotations

import math
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from hypervisor import access
from hypervisor import selectors as territory
from lighting import selectors, services
from lighting.energy import SAVINGS_TARGET
from lighting.forms import OverrideForm
from lighting.models import CabinetStatus, LampStatus
from lighting.talq import selectors as talq_selectors


@require_safe
@access.requires("lighting.view_lighting")
def board(request: HttpRequest) -> HttpResponse:
    """Energy against the baseline and the −65 % target, LED renovation, faults."""
    today = timezone.localdate()
    this_month = today.replace(day=1)
    start = (this_month - timedelta(days=365)).replace(day=1)
    end = this_month + timedelta(days=32)
    months = selectors.energy_figures(start=start, end=end.replace(day=1))
    names = territory.commune_names()
    year = selectors.energy_figures(start=start.replace(day=1), end=this_month)
    consumed = sum(f.consumed_kwh for f in year.values())
    baseline = sum(f.baseline_kwh for f in year.values())
    communes = [
        {
            "name": names.get(insee, insee),
            "consumed_mwh": figures.consumed_kwh / 1000,
            "baseline_mwh": figures.baseline_kwh / 1000,
            "savings": (figures.savings or 0) * 100,
            "reaches_target": figures.reaches_target,
        }
        for insee, figures in selectors.energy_by_commune(start=start, end=this_month).items()
    ]
    availability = selectors.availability()
    labels = dict(LampStatus.choices)
    cabinet_labels = dict(CabinetStatus.choices)
    renovation = selectors.renovation_progress()
    chart = {
        "months": [month.strftime("%Y-%m") for month in months],
        "consumed": [round(f.consumed_kwh / 1000, 1) for f in months.values()],
        "baseline": [round(f.baseline_kwh / 1000, 1) for f in months.values()],
        "renovation": renovation["series"],
    }
    return render(
        request,
        "lighting/board.html",
        {
            "savings": (1 - consumed / baseline) * 100 if baseline else None,
            "target": SAVINGS_TARGET * 100,
            "renovation": renovation,
            "led_percent": (renovation["share"] or 0) * 100,
            # Rounded down: one lamp out of 35,000 must not read "100.00 %".
            "lamps_available": math.floor((availability["lamps"] or 0) * 10_000) / 100,
            "cabinet_outages": [
                {**outage, "label": cabinet_labels[outage["status"]]}
                for outage in selectors.cabinet_outages()
            ],
            "faults": [
                {"status": status, "label": labels[status], "count": count}
                for status, count in sorted(selectors.lamp_status_counts().items())
                if status != LampStatus.OK
            ],
            "chart_labels": {
                "consumed": _("Consumed"),
                "baseline": _("Baseline (pre-renovation)"),
                "led": _("LED light points"),
            },
            "inventory": selectors.inventory_counts(),
            "communes": sorted(communes, key=lambda row: row["name"]),
            "chart": chart,
            "override_form": OverrideForm(communes=names),
            "overrides": selectors.overrides_in_force(now=timezone.now()),
            "devices_to_reconcile": talq_selectors.reconciliation_list().count(),
        },
    )


@require_POST
@access.requires("lighting.command_lighting")
def override(request: HttpRequest) -> HttpResponse:
    """Force a level on a commune for an event or a crisis, through the device adapter."""
    form = OverrideForm(request.POST, communes=territory.commune_names())
    if not form.is_valid():
        messages.error(request, _("Check the override: every field is required."))
        return redirect("lighting-board")
    now = timezone.now()
    try:
        done = services.lighting_override(
            level=form.cleaned_data["level"],
            starts_at=now,
            ends_at=now + timedelta(hours=form.cleaned_data["hours"]),
            reason=form.cleaned_data["reason"],
            by=request.user,  # type: ignore[arg-type]
            commune_insee=form.cleaned_data["commune_insee"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(points)d light points forced to %(level)d %%.")
            % {"points": done.points, "level": done.level},
        )
    return redirect("lighting-board")
