"""Every view declares who may use it.

A view is either `public` or `requires(...)` permissions. The declared rule is kept on the
view (`access_rule`) so a test can walk the URL configuration and refuse any route that
declares nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

View = TypeVar("View", bound=Callable[..., Any])


@dataclass(frozen=True)
class AccessRule:
    public: bool
    permissions: tuple[str, ...] = ()


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


def rule_of(view: Callable[..., Any]) -> AccessRule | None:
    """The access rule a resolved view declares, looking through class-based wrappers."""
    rule = getattr(view, "access_rule", None)
    if rule is None and hasattr(view, "view_class"):
        rule = getattr(view.view_class, "access_rule", None)
    return rule
