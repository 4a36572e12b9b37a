"""The operator's side of dispatch: the queue of what needs a person, and the override."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hypervisor.access import requires
from hypervisor.not_found import missing_is_404
from incidents import selectors, services

DISPATCH = "incidents.dispatch_incident"


@require_GET
@requires(DISPATCH)
def queue(request: HttpRequest) -> HttpResponse:
    return render(request, "incidents/queue.html", {"queue": selectors.operator_queue()})


@require_POST
@requires(DISPATCH)
@missing_is_404(json=None)
def assign(request: HttpRequest, task_id: int) -> HttpResponse:
    """Give a task to the crew the operator chose; an off-shift crew is a 409 conflict."""
    wants_json = "application/json" in request.headers.get("Accept", "")
    crew_id = request.POST.get("crew_id", "")
    try:
        if not crew_id.isdigit():
            raise services.TaskClosed(_("Choose a crew."))
        services.task_assign(task_id=task_id, crew_id=int(crew_id), by=request.user)
    except (services.CrewOffShift, services.TaskClosed) as refused:
        message = str(refused)
        if wants_json:
            return JsonResponse({"error": message}, status=409)
        messages.error(request, message)
        return redirect("dispatch-queue")
    if wants_json:
        return JsonResponse({"ok": True})
    messages.success(request, _("The task is assigned."))
    return redirect("dispatch-queue")


@require_POST
@requires(DISPATCH)
def incident_action(request: HttpRequest, incident_id: str, action: str) -> JsonResponse:
    """Reject, cancel, close, reopen or mark as duplicate, with the reason (note) or master."""
    reason = request.POST.get("reason", "")
    try:
        if action == "reject":
            services.incident_reject(incident_id=int(incident_id), by=request.user, reason=reason)
        elif action == "cancel":
            services.incident_cancel(incident_id=int(incident_id), by=request.user, reason=reason)
        elif action == "close":
            services.incident_close(incident_id=int(incident_id), by=request.user, note=reason)
        elif action == "reopen":
            services.incident_reopen(incident_id=int(incident_id), by=request.user, note=reason)
        else:
            master_id = request.POST.get("master_id", "")
            if not master_id.isdigit():
                raise services.TransitionRefused(_("Name the master incident."))
            services.incident_mark_duplicate(
                incident_id=int(incident_id), master_id=int(master_id), by=request.user
            )
    except services.TransitionRefused as refused:
        return JsonResponse({"error": str(refused)}, status=409)
    except ObjectDoesNotExist:
        return JsonResponse({"error": _("No such incident.")}, status=404)
    return JsonResponse({"ok": True})
