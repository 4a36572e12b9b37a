"""The interface language: French unless the visitor chose another on the site.

A French public service speaks French first: a browser that asks for English
(Accept-Language) still gets French, until its user picks English in the language menu.
The choice is kept in the language cookie that Django's `set_language` view writes.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers


def chosen_language(request: HttpRequest) -> str:
    """The language chosen on the site (cookie), else the site's own language."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if chosen and chosen in dict(settings.LANGUAGES):
        return chosen
    return settings.LANGUAGE_CODE


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Django's locale middleware without reading the browser's Accept-Language."""

    def process_request(self, request: HttpRequest) -> None:
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        # The answer depends on the language cookie only, never on Accept-Language.
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
