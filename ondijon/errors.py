"""A database that cannot be reached is answered with 503 and a request to retry.

A PostgreSQL connection lost in the middle of a request (a restart, a failover, a killed
backend) raises `OperationalError` or `InterfaceError`. The transaction it was in is rolled
back by PostgreSQL, so nothing of the request was written; the client is told so, in its
language, with a 503 and `Retry-After`, rather than with a generic server error. The next
request gets a fresh connection (`CONN_HEALTH_CHECKS` replaces a dead persistent one).
The answer is rendered without the database: no context processors, no session, no user.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith(("/api/", "/open311/")) or "json" in request.headers.get(
        "Accept", ""
    )


def database_unavailable(request: HttpRequest, error: BaseException) -> HttpResponse:
    """503 saying that nothing was recorded and that the client may retry shortly."""
    logger.warning("Database unavailable during %s %s: %s", request.method, request.path, error)
    message = _(
        "The service is briefly unavailable and nothing was recorded. "
        "Please try again in a few seconds."
    )
    response: HttpResponse
    if _wants_json(request):
        response = JsonResponse({"error": message}, status=503)
    else:
        response = HttpResponse(render_to_string("503.html", {"message": message}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """Turns a database error raised by a view into the 503 above."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_ERRORS):
            return database_unavailable(request, exception)
        return None


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database error raised outside a view (a middleware) is a 503 too."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS):
        return database_unavailable(request, error)
    return defaults.server_error(request)


# Exceptions Django turns into a 4xx answer of its own (404, 403, 400).
CLIENT_ERRORS = (Http404, PermissionDenied, BadRequest, SuspiciousOperation, MultiPartParserError)

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _holds_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    values = [item for key, items in request.GET.lists() for item in (key, *items)]
    if request.method == "POST" and request.content_type in FORM_TYPES:
        values += [item for key, items in request.POST.lists() for item in (key, *items)]
    return any("\x00" in value for value in values)


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"error": message}, status=400)
    return HttpResponse(message, content_type="text/plain; charset=utf-8", status=400)


class HostileInputMiddleware:
    """A NUL character in the path, the query or a form is a 400 before any view runs.

    No text field can hold one (PostgreSQL refuses it with an error Django does not
    expect), and no real client sends one. In debug mode (the embedded mode), a server
    error shows its traceback only to staff: anonymous visitors get the ordinary 500 page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _holds_nul(request):
            return bad_request(request, _("The request holds a NUL character."))
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.conf import settings

        if not settings.DEBUG or isinstance(exception, (*DATABASE_ERRORS, *CLIENT_ERRORS)):
            return None  # not a server error: Django answers 4xx itself
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            return None  # the developer's traceback page
        logging.getLogger("django.request").error(
            "Internal Server Error: %s", request.path, exc_info=exception
        )
        if _wants_json(request):
            return JsonResponse({"error": _("Server error.")}, status=500)
        return defaults.server_error(request)
