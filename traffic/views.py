from __future__ import annotations

import math

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from hypervisor import access
from traffic import selectors, services
from traffic.forms import (
    BollardCommandForm,
    CommandConfirmationForm,
    DecisionForm,
    EvidenceRequestForm,
    ExtractionForm,
    SignalCommandForm,
)
from traffic.models import Bollard, Crossroad, EvidenceRequest, SignalCommand


@require_safe
@access.requires("traffic.view_signals")
def signals_board(request: HttpRequest) -> HttpResponse:
    """Availability of the signalised crossroads and bollards, what is not normal."""
    availability = selectors.availability()
    for share in availability.values():
        # Rounded down: one crossroad in fault out of a thousand must not read "100 %".
        share["percent"] = (
            None if share["share"] is None else math.floor(share["share"] * 1000) / 10
        )
    return render(
        request,
        "traffic/signals.html",
        {
            "availability": availability,
            "crossroads": selectors.crossroads_not_normal(),
            "bollards": selectors.bollards(),
            "awaiting": selectors.signal_commands_awaiting(),
            "unmapped_sites": selectors.rsmp_sites_to_reconcile(),
        },
    )


@require_POST
@access.requires("traffic.command_bollard")
def bollard_command(request: HttpRequest, reference: str) -> HttpResponse:
    bollard = get_object_or_404(Bollard, reference=reference)
    form = BollardCommandForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the bollard is moved (vehicle, emergency)."))
        return redirect("signals-board")
    try:
        services.bollard_command(
            bollard=bollard,
            lower=form.cleaned_data["lower"],
            by=request.user,  # type: ignore[arg-type]
            reason=form.cleaned_data["reason"],
        )
    except (services.BollardUnavailable, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("Command sent to %(ref)s.") % {"ref": bollard.reference})
    return redirect("signals-board")


@require_safe
@access.requires("traffic.view_cameras")
def cameras_board(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "traffic/cameras.html",
        {"availability": selectors.availability()["cameras"], "cameras": selectors.cameras()},
    )


@require_safe
@access.requires("traffic.view_evidence_register")
def evidence_register(request: HttpRequest) -> HttpResponse:
    """The register, for police and supervisors only; filing and decisions post from here."""
    return render(
        request,
        "traffic/register.html",
        {
            "requests": selectors.evidence_requests(),
            "entries": selectors.register_entries(),
            "request_form": EvidenceRequestForm(),
            "extraction_form": ExtractionForm(),
        },
    )


def _error(request: HttpRequest, error: ValidationError) -> HttpResponse:
    messages.error(request, " ".join(error.messages))
    return redirect("evidence-register")


@require_POST
@access.requires("traffic.file_evidence_request")
def evidence_request_file(request: HttpRequest) -> HttpResponse:
    form = EvidenceRequestForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "traffic/register.html",
            {
                "requests": selectors.evidence_requests(),
                "entries": selectors.register_entries(),
                "request_form": form,
                "extraction_form": ExtractionForm(),
            },
            status=400,
        )
    try:
        filed = services.evidence_request_file(by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
    except ValidationError as error:
        return _error(request, error)
    messages.success(request, _("Request %(ref)s filed.") % {"ref": filed.reference})
    return redirect("evidence-register")


@require_POST
@access.requires("traffic.decide_evidence_request")
def evidence_request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = get_object_or_404(EvidenceRequest, pk=pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    try:
        services.evidence_request_decide(
            request=evidence,
            by=request.user,  # type: ignore[arg-type]
            approve=form.cleaned_data.get("approve", False),
            reason=form.cleaned_data.get("reason", ""),
        )
    except ValidationError as error:
        return _error(request, error)
    return redirect("evidence-register")


@require_POST
@access.requires("traffic.record_extraction")
def evidence_extraction_record(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = get_object_or_404(EvidenceRequest, pk=pk)
    form = ExtractionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the extraction details: every field is required."))
        return redirect("evidence-register")
    try:
        services.evidence_extraction_record(
            request=evidence,
            by=request.user,  # type: ignore[arg-type]
            **{**form.cleaned_data, "cameras": list(form.cleaned_data["cameras"])},
        )
    except ValidationError as error:
        return _error(request, error)
    return redirect("evidence-register")


@require_safe
@access.requires("traffic.view_evidence_register")
def evidence_register_export(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        selectors.evidence_register_csv(), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="registre-extractions.csv"'
    return response


@require_safe
@access.requires("traffic.view_signals")
def crossroad_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """Everything the controller reports: modes, time plan, every signal group, alarms, commands."""
    crossroad = get_object_or_404(Crossroad, reference=reference)
    return render(
        request,
        "traffic/crossroad.html",
        {
            "crossroad": crossroad,
            "site": selectors.rsmp_site_of(crossroad=crossroad),
            "signal_groups": selectors.signal_groups_of(crossroad=crossroad),
            "aggregated": selectors.aggregated_status_of(crossroad=crossroad),
            "plan_source": selectors.time_plan_source_label(crossroad=crossroad),
            "alarms": selectors.rsmp_alarms_of(crossroad=crossroad),
            "commands": selectors.signal_commands_recent(crossroad=crossroad),
            "command_form": SignalCommandForm(),
        },
    )


@require_POST
@access.requires("traffic.command_signals")
def crossroad_command(request: HttpRequest, reference: str) -> HttpResponse:
    crossroad = get_object_or_404(Crossroad, reference=reference)
    form = SignalCommandForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the command: choose one and say why."))
        return redirect("crossroad-detail", reference=reference)
    try:
        command = services.signal_command_request(
            crossroad=crossroad,
            action=form.cleaned_data["action"],
            time_plan=form.cleaned_data.get("time_plan"),
            reason=form.cleaned_data.get("reason") or "",
            by=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if command.status == SignalCommand.Status.AWAITING_CONFIRMATION:
            messages.warning(
                request,
                _("A yellow flash on a main axis waits for a supervisor's confirmation."),
            )
        else:
            messages.success(request, _("Command sent; it closes once the controller confirms."))
    return redirect("crossroad-detail", reference=reference)


@require_POST
@access.requires("traffic.confirm_signal_command")
def signal_command_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    command = get_object_or_404(SignalCommand, pk=pk)
    form = CommandConfirmationForm(request.POST)
    form.is_valid()
    try:
        services.signal_command_confirm(
            command=command,
            by=request.user,  # type: ignore[arg-type]
            approve=form.cleaned_data.get("approve", False),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("crossroad-detail", reference=command.crossroad.reference)
