"""The operator's alarm search: by words, severity and state, newest first."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from hypervisor import selectors
from hypervisor.access import requires
from hypervisor.events import Severity
from hypervisor.models import AlarmState
from hypervisor.registry import registry

WATCH = "hypervisor.view_control_room"


@require_GET
@requires(WATCH)
def alarm_search(request: HttpRequest) -> HttpResponse:
    query = request.GET
    severity = query.get("severity", "")
    state = query.get("state", "open")
    return render(
        request,
        "hypervisor/alarm_search.html",
        {
            "query": query,
            "state": state,
            "severities": Severity.choices,
            "states": AlarmState.choices,
            "results": selectors.alarm_search(
                text=query.get("q", "")[:200],
                severity=severity if severity in Severity.values else "",
                state=state if state == "open" or state in AlarmState.values else "",
            ),
            "room_links": [
                link
                for link in registry.room_links()
                if link.permission is None or request.user.has_perm(link.permission)
            ],
        },
    )
