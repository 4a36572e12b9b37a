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

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
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
