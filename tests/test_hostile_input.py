"""Hostile input on public pages: a 4xx, never a 500, and no traceback for the public.

Replays the review's attacks: `/suivi/%00/` was a server error (PostgreSQL refuses NUL),
and in the embedded mode (debug) an anonymous visitor saw the debug traceback.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from ondijon.errors import HostileInputMiddleware


def test_a_nul_in_a_tracking_link_is_a_400(client, db) -> None:
    assert client.get("/suivi/%00/").status_code == 400
    assert client.get("/suivi/unknown-token/").status_code == 404  # positive control


def test_a_nul_in_a_form_field_is_a_400(client, db) -> None:
    response = client.post("/signaler/", {"description": "trou\x00", "category": "x"})
    assert response.status_code == 400


def test_an_anonymous_visitor_never_sees_a_debug_traceback(settings) -> None:
    settings.DEBUG = True
    request = RequestFactory().get("/signaler/")
    request.user = AnonymousUser()
    middleware = HostileInputMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]
    response = middleware.process_exception(request, RuntimeError("secret detail"))
    assert response is not None
    assert response.status_code == 500
    assert b"secret detail" not in response.content
    assert b"Traceback" not in response.content


def test_staff_keep_the_debug_page_in_debug_mode(settings, admin_user) -> None:
    settings.DEBUG = True
    request = RequestFactory().get("/signaler/")
    request.user = admin_user
    middleware = HostileInputMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]
    assert middleware.process_exception(request, RuntimeError("detail")) is None


def test_a_404_stays_a_404_for_the_public_in_debug_mode(client, db, settings) -> None:
    from django.http import Http404

    settings.DEBUG = True
    request = RequestFactory().get("/nothing/")
    request.user = AnonymousUser()
    middleware = HostileInputMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]
    assert middleware.process_exception(request, Http404("absent")) is None
