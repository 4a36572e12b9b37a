"""Staff sessions end when idle or too old, and honour the second factor, on HTTP and sockets.

The login time and the last activity are kept in the session itself, so the rule holds
whichever process serves the next request. An expired session is logged out and sent
to the login page with a message; a WebSocket opened with it is treated as anonymous,
so its consumer refuses it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hypervisor.security import second_factor

LOGIN_AT = "staff_login_at"
SEEN_AT = "staff_seen_at"
# Activity is written back at most this often, not on every request.
SEEN_RESOLUTION_SECONDS = 60

IDLE = "idle"
ABSOLUTE = "absolute"
UNVERIFIED = "unverified"
NOT_ENROLLED = "not_enrolled"


def now() -> int:
    return int(time.time())


def session_expiry(session: Any, at: int) -> str | None:
    """`absolute` or `idle` when this session may no longer be used, else None."""
    login_at = session.get(LOGIN_AT)
    seen_at = session.get(SEEN_AT)
    if login_at is None or seen_at is None:
        return None
    if at - int(login_at) >= settings.SESSION_MAX_SECONDS:
        return ABSOLUTE
    if at - int(seen_at) >= settings.SESSION_IDLE_SECONDS:
        return IDLE
    return None


def session_problem(*, user: Any, session: Any, at: int) -> str | None:
    """Why an authenticated staff session may not be used now, or None."""
    expired = session_expiry(session, at)
    if expired:
        return expired
    if second_factor.session_verified(user, session):
        return None
    if second_factor.enrolled(user):
        return UNVERIFIED  # enrolled since this session opened: log in again with a code
    if second_factor.required_for(user):
        return NOT_ENROLLED
    return None


def stamp(session: Any, at: int) -> None:
    session[LOGIN_AT] = session.get(LOGIN_AT) or at
    session[SEEN_AT] = at


def _stamp_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    at = now()
    request.session[LOGIN_AT] = at
    request.session[SEEN_AT] = at


def connect() -> None:
    user_logged_in.connect(_stamp_login, dispatch_uid="hypervisor.security.stamp_login")


def _message(problem: str) -> str:
    if problem == IDLE:
        minutes = settings.SESSION_IDLE_SECONDS // 60
        return ngettext(
            "Your session ended after %(count)d minute without activity. Please log in again.",
            "Your session ended after %(count)d minutes without activity. Please log in again.",
            minutes,
        ) % {"count": minutes}
    if problem == ABSOLUTE:
        hours = settings.SESSION_MAX_SECONDS // 3600
        return ngettext(
            "Your session reached its maximum length of %(count)d hour. Please log in again.",
            "Your session reached its maximum length of %(count)d hours. Please log in again.",
            hours,
        ) % {"count": hours}
    return _("Two-factor authentication is on for your account: log in again with your code.")


class StaffSessionMiddleware:
    """Ends idle or too-old sessions; keeps users who must enrol a second factor on that page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        at = now()
        session = request.session
        if session.get(LOGIN_AT) is None:
            stamp(session, at)  # a session from before this control: its clock starts now
        problem = session_problem(user=user, session=session, at=at)
        if problem in (IDLE, ABSOLUTE, UNVERIFIED):
            logout(request)
            messages.info(request, _message(problem))
            return redirect_to_login(request.get_full_path())
        if problem == NOT_ENROLLED and request.path not in _enrolment_paths():
            return redirect("second-factor")
        if at - int(session.get(SEEN_AT, 0)) >= SEEN_RESOLUTION_SECONDS:
            session[SEEN_AT] = at
        return self.get_response(request)


def _enrolment_paths() -> set[str]:
    return {reverse("second-factor"), reverse("logout"), reverse("set_language")}


class StaffSessionWebSocketMiddleware(BaseMiddleware):
    """A socket opened with an expired or unverified session is anonymous to its consumer."""

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        scope = dict(scope)
        user = scope.get("user")
        session = scope.get("session")
        if user is not None and user.is_authenticated and session is not None:
            problem = await database_sync_to_async(_socket_problem)(user, session)
            if problem:
                scope["user"] = AnonymousUser()
        return await self.inner(scope, receive, send)


def _socket_problem(user: Any, session: Any) -> str | None:
    return session_problem(user=user, session=session, at=now())
