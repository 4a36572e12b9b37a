"""Every view, API endpoint and WebSocket consumer declares who may use it.

A route is `public`, `requires(...)` permissions (all of them), or is reserved to a machine
presenting a `credential` (a gateway token). The declared rule is kept on the view or the
consumer (`access_rule`) so that a test can walk the URL configuration and the WebSocket
routes, refuse any route that declares nothing, and check each role against the rule.

DRF views follow the same rule through `FollowsAccessRule`, the default permission class:
a DRF view that declares no rule refuses everyone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from rest_framework.permissions import BasePermission

View = TypeVar("View", bound=Callable[..., Any])


@dataclass(frozen=True)
class AccessRule:
    """Who may use a route.

    `permissions` are all required, or one of them suffices when `any_of` is set.
    `credential` names what a machine presents instead of a user session; such a route is
    refused to every user, whatever their permissions.
    """

    public: bool
    permissions: tuple[str, ...] = ()
    any_of: bool = False
    credential: str = ""

    def allows(self, user: Any) -> bool:
        """Whether this user (a session, never a machine credential) passes the rule."""
        if self.public:
            return True
        if self.credential or not (user.is_authenticated and user.is_active):
            return False
        if self.any_of:
            return any(user.has_perm(permission) for permission in self.permissions)
        return bool(user.has_perms(self.permissions))


def public(view: View) -> View:
    """Mark a view as open to everyone, citizens included."""
    view.access_rule = AccessRule(public=True)  # type: ignore[attr-defined]
    return view


def requires(*permissions: str) -> Callable[[View], View]:
    """Staff view: anonymous users go to the login page, the wrong role gets a 403."""
    if not permissions:
        raise ValueError("requires() needs at least one permission")

    def decorator(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perms(permissions):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        guarded.access_rule = AccessRule(public=False, permissions=permissions)  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return decorator


def credential(name: str) -> Callable[[View], View]:
    """A machine endpoint: refused to user sessions, open to who presents `name`.

    The credential itself is checked by the view's authentication class; this only
    declares it, so that the access matrix knows what to expect.
    """

    def decorator(view: View) -> View:
        view.access_rule = AccessRule(public=False, credential=name)  # type: ignore[attr-defined]
        return view

    return decorator


def rule_of(view: Callable[..., Any]) -> AccessRule | None:
    """The access rule a resolved view or WebSocket route declares.

    Looks through the wrappers Django (`view_class`), DRF (`cls`) and Channels
    (`consumer_class`) put around classes.
    """
    rule = getattr(view, "access_rule", None)
    for attribute in ("view_class", "cls", "consumer_class"):
        if rule is None and hasattr(view, attribute):
            rule = getattr(getattr(view, attribute), "access_rule", None)
    return rule


class FollowsAccessRule(BasePermission):
    """DRF permission derived from the view's declared rule; no rule, no access."""

    def has_permission(self, request: Any, view: Any) -> bool:
        rule = rule_of(view)
        if rule is None:
            match = getattr(request, "resolver_match", None)
            rule = rule_of(match.func) if match is not None else None
        if rule is None:
            return False
        if rule.credential:
            # Set by the view's authentication class once the credential was checked.
            return request.auth is not None
        return rule.allows(request.user)
