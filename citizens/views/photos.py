"""Citizens' photos, served by the application so that moderation can hide them.

A photo hidden by moderation answers 404 to everyone but moderators, at the very address
Open311 already published; the proxy serves no media (README.md, deployment).
"""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_safe

from citizens import selectors
from hypervisor.access import public
from hypervisor.photos import stored_photo_response

MODERATION_PERMISSION = "citizens.moderate_report"


def _served(request: HttpRequest, stored: str) -> FileResponse:
    may_see_hidden = request.user.has_perm(MODERATION_PERMISSION)
    if not selectors.citizen_photo_servable(name=stored, include_hidden=may_see_hidden):
        raise Http404(stored)
    return stored_photo_response(stored)


@require_safe
@public  # a visible photo of a report is public (Open311 media_url); hidden ones are not
def report_photo(request: HttpRequest, name: str) -> FileResponse:
    return _served(request, f"reports/{name}")


@require_safe
@public  # a form's photos under random names, then its report's (moderation applies)
def staged_photo(request: HttpRequest, name: str) -> FileResponse:
    return _served(request, f"staging/{name}")
