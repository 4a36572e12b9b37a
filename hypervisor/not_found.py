"""An unknown id in a command's URL is a 404, not a server error.

Services look their objects up by id and raise `DoesNotExist` when there is none (a stale
page, a forged request). Views that take an id wrap themselves in `missing_is_404`: JSON
endpoints answer a JSON 404, pages Django's 404 page.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

View = TypeVar("View", bound=Callable[..., HttpResponse])


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "") or (
        request.content_type == "application/json"
    )


def missing_is_404(*, json: bool | None = None) -> Callable[[View], View]:
    """`json=True` always answers JSON, `None` as the request asks (Accept)."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                return view(request, *args, **kwargs)
            except ObjectDoesNotExist:
                if json or (json is None and _wants_json(request)):
                    return JsonResponse({"error": _("Not found.")}, status=404)
                raise Http404 from None

        return wrapper  # type: ignore[return-value]

    return decorate
