"""The operator's incident pages: search, one incident in full (page or control-room panel),
and its actions. Every action goes through a service; a refusal answers 409 with why."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hypervisor import selectors as hypervisor_selectors
from hypervisor.access import requires
from incidents import selectors, services
from incidents.models import Priority

VIEW = "incidents.view_incident"
DISPATCH = "incidents.dispatch_incident"


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.strip().isdigit() else None


@require_GET
@requires(VIEW)
def search(request: HttpRequest) -> HttpResponse:
    """Incidents by reference, street or words, and by commune, category, service, status."""
    query = request.GET
    filters = {
        "text": query.get("q", "")[:200],
        "commune_id": _int_or_none(query.get("commune")),
        "category_code": query.get("category", "")[:50],
        "service_id": _int_or_none(query.get("service")),
        "status": query.get("status", "")[:20],
        "overdue": query.get("overdue") == "1",
    }
    searched = any(value for value in filters.values())
    results = list(selectors.incident_search(**filters)) if searched else []  # type: ignore[arg-type]
    return render(
        request,
        "incidents/search.html",
        {
            "query": query,
            "choices": selectors.search_choices(),
            "results": results,
            "searched": searched,
            "to_locate": selectors.incidents_to_locate().count(),
        },
    )


def _detail_or_404(incident_id: int) -> dict[str, Any]:
    detail = selectors.incident_detail(incident_id=incident_id)
    if detail is None:
        raise Http404(_("No such incident."))
    return detail


def _context(request: HttpRequest, detail: dict[str, Any]) -> dict[str, Any]:
    return {
        "incident": detail,
        "can_act": request.user.has_perm(DISPATCH),
        "services": hypervisor_selectors.service_options(),
        "priorities": Priority.choices,
    }


@require_GET
@requires(VIEW)
def page(request: HttpRequest, incident_id: int) -> HttpResponse:
    detail = _detail_or_404(incident_id)
    context = _context(request, detail)
    # Outlines keep the small map readable where no tile server can be reached.
    context["communes"] = hypervisor_selectors.communes_geojson()
    return render(request, "incidents/incident_page.html", context)


@require_GET
@requires(VIEW)
def alarm_panel(request: HttpRequest, alarm_id: int) -> HttpResponse:
    """The panel of the incident an alarm opened; 204 when it opened none."""
    incident_id = selectors.incident_id_for_alarm(alarm_id=alarm_id)
    if incident_id is None:
        return HttpResponse(status=204)
    detail = _detail_or_404(incident_id)
    return render(request, "incidents/_incident_detail.html", _context(request, detail))


@require_GET
@requires(VIEW)
def to_locate_count(request: HttpRequest) -> JsonResponse:
    """How many open incidents wait for a position: the control room's reminder."""
    return JsonResponse({"count": selectors.incidents_to_locate().count()})


@require_GET
@requires(VIEW)
def places(request: HttpRequest) -> JsonResponse:
    """The gazetteer for placing an incident: communes, streets and addresses, ten at most."""
    query = request.GET.get("q", "")[:120]
    return JsonResponse({"results": hypervisor_selectors.place_search(query=query, limit=8)})


@require_GET
@requires(VIEW)
def panel(request: HttpRequest, incident_id: int) -> HttpResponse:
    """The same detail as a fragment, for the control room's side panel."""
    detail = _detail_or_404(incident_id)
    return render(request, "incidents/_incident_detail.html", _context(request, detail))


def _float(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise services.ActionRefused(_("Place the incident on the map.")) from None


def _master_id(reference: str) -> int:
    master_id = selectors.incident_id_by_reference(reference=reference)
    if master_id is None:
        raise services.ActionRefused(
            _("No incident has the reference %(ref)s.") % {"ref": reference.strip()}
        )
    return master_id


def _run(action: str, incident_id: int, data: Any, user: Any) -> str:
    """Call the action's service; returns what to tell the operator."""
    reason = data.get("reason", "")
    actions: dict[str, Callable[[], Any]] = {
        "reroute": lambda: services.incident_reroute(
            incident_id=incident_id,
            service_id=_int_or_none(data.get("service_id")) or 0,
            by=user,
            reason=reason,
        ),
        "priority": lambda: services.incident_priority_set(
            incident_id=incident_id, priority=data.get("priority", ""), by=user, reason=reason
        ),
        "assign": lambda: services.task_assign(
            task_id=selectors.task_of_incident(
                incident_id=incident_id, task_id=_int_or_none(data.get("task_id"))
            ),
            crew_id=_int_or_none(data.get("crew_id")) or 0,
            by=user,
            note=reason,
        ),
        "comment": lambda: services.incident_comment_add(
            incident_id=incident_id, by=user, text=data.get("text", "")
        ),
        "duplicate": lambda: services.incident_mark_duplicate(
            incident_id=incident_id, master_id=_master_id(data.get("master", "")), by=user
        ),
        "resolve": lambda: services.incident_resolve(incident_id=incident_id, by=user, note=reason),
        "close": lambda: services.incident_close(incident_id=incident_id, by=user, note=reason),
        "reopen": lambda: services.incident_reopen(incident_id=incident_id, by=user, note=reason),
        "locate": lambda: services.incident_locate(
            incident_id=incident_id,
            lat=_float(data.get("lat", "")),
            lon=_float(data.get("lon", "")),
            by=user,
        ),
    }
    actions[action]()
    return {
        "reroute": _("The incident goes to its new service."),
        "priority": _("The priority and the deadline are changed."),
        "assign": _("The task is assigned."),
        "comment": _("Comment added."),
        "duplicate": _("Merged as a duplicate."),
        "resolve": _("The incident is resolved."),
        "close": _("The incident is closed."),
        "reopen": _("The incident is reopened."),
        "locate": _("The incident is placed; dispatch follows."),
    }[action]


@require_POST
@requires(DISPATCH)
def act(request: HttpRequest, incident_id: int, action: str) -> HttpResponse:
    """One action on one incident; JSON for the control room, a redirect for the page."""
    wants_json = "application/json" in request.headers.get("Accept", "")
    status = 200
    try:
        message = _run(action, incident_id, request.POST, request.user)
    except (
        services.ActionRefused,
        services.TransitionRefused,
        services.CrewOffShift,
        services.TaskClosed,
    ) as refused:
        message, status = str(refused), 409
    except ValidationError as invalid:
        message, status = "; ".join(invalid.messages), 400
    except ObjectDoesNotExist:
        message, status = _("No such incident, task or crew."), 404
    if wants_json:
        key = "ok" if status == 200 else "error"
        return JsonResponse({key: message}, status=status)
    (messages.success if status == 200 else messages.error)(request, message)
    return redirect(reverse("incident-page", kwargs={"incident_id": incident_id}))
