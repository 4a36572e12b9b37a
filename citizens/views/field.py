"""The citizens' photos of a task's incident, for the crew holding the task on its tablet."""

from __future__ import annotations

from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from citizens import selectors
from hypervisor.access import requires
from incidents import selectors as incident_selectors

TABLET = "incidents.use_field_tablet"


@require_GET
@requires(TABLET)
def task_citizen_photos(request: HttpRequest, task_id: int) -> JsonResponse:
    """Photos the reporters sent (moderation left visible); only the task's crew sees them."""
    crew = incident_selectors.crew_of_user(user=request.user)
    task = incident_selectors.task_for_crew(task_id=task_id, crew=crew) if crew else None
    if task is None:
        raise Http404(_("This task is not your crew's."))
    photos = selectors.citizen_photos_for_incident(incident_id=task.incident_id)
    return JsonResponse({"photos": photos})
