"""Supervisors' pages: the KPI board (with CSV export) and the audit log; the elected board."""

from __future__ import annotations

import csv
from datetime import date, timedelta

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from hypervisor import selectors, services
from hypervisor.access import requires
from hypervisor.forms import PERIODS, AuditFilterForm, KpiFilterForm
from hypervisor.registry import registry
from hypervisor.spreadsheet import defused_row


def _period(form: KpiFilterForm) -> tuple[date, date, str | None]:
    days = PERIODS.get(form.cleaned_data.get("period") or "30d", 30)
    end = timezone.localdate()
    commune = form.cleaned_data.get("commune")
    return end - timedelta(days=days - 1), end, commune.insee if commune else None


@require_safe
@requires("hypervisor.view_kpis")
def kpi_board(request: HttpRequest) -> HttpResponse:
    form = KpiFilterForm(request.GET or {"period": "30d"})
    form.is_valid()
    start, end, commune = _period(form)
    board = selectors.kpi_board(start=start, end=end, commune_insee=commune)
    return render(
        request,
        "hypervisor/kpis.html",
        {
            "form": form,
            "board": board,
            "start": start,
            "end": end,
            "query": request.GET.urlencode(),
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_safe
@requires("hypervisor.view_kpis")
def kpi_export(request: HttpRequest) -> HttpResponse:
    """The board as CSV (UTF-8, one row per figure); exports are audited."""
    form = KpiFilterForm(request.GET or {"period": "30d"})
    form.is_valid()
    start, end, commune = _period(form)
    board = selectors.kpi_board(start=start, end=end, commune_insee=commune)
    services.audit_record(
        actor=request.user,  # type: ignore[arg-type]
        action="export.kpis",
        target="kpis",
        summary=f"{start}..{end} {commune or '*'}",
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ondijon-kpis-{start}-{end}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["kpi", "label", "unit", "target", "period_start", "period_end", "commune", "key", "value"]
    )
    for kpi in board:
        base = [
            kpi["key"],
            str(kpi["label"]),
            kpi["unit"],
            kpi["target"],
            start,
            end,
            commune or "",
        ]
        # Every cell is defused: labels and names come from the apps and from the data.
        writer.writerow(defused_row([*base, "", kpi["value"]]))
        for name, value in kpi["by"].items():
            writer.writerow(defused_row([*base, str(name), value]))
        for label, value in kpi["series"]:
            writer.writerow(defused_row([*base, str(label), value]))
    return response


@require_safe
@requires("hypervisor.view_audit_log")
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.audit_entries(
        action=filters.get("action") or "",
        actor=filters.get("actor") or "",
        target=filters.get("target") or "",
        day=filters.get("day"),
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "hypervisor/audit.html",
        {
            "form": form,
            "page": page,
            "rows": selectors.audit_rows(page),
            "actions": selectors.audit_actions(),
            "query": query.urlencode(),
        },
    )


@require_safe
@requires("hypervisor.view_elected_board")
def elected_board(request: HttpRequest) -> HttpResponse:
    board = selectors.elected_board(user=request.user)  # type: ignore[arg-type]
    return render(
        request,
        "hypervisor/elected.html",
        {
            "board": board,
            "no_commune": _("No commune is attached to your account yet."),
            # The live rows arrive in the sender's language; the page relabels their codes
            # in its own, as the control room does (static/js/vocabulary.js).
            "vocabularies": {
                layer.name: layer.vocabulary()
                for layer in registry.layers()
                if hasattr(layer, "vocabulary")
            },
        },
    )
