"""Deny by default: every route × every role × every method, against the route's declared rule.

The routes are walked from the URL configuration, so a new route joins the matrix by
itself; one that declares no rule, or whose parameters the matrix cannot fill, fails it.

For each route the expectation is computed from its declared rule and each role's real
permissions, never from a hand-written table of who may go where:

- `requires(...)`: anonymous visitors are sent to the login page, a role without the
  permissions gets a 403, a role with them is not refused (400, 404, 405 or 409 are all
  fine: the object may be missing or the method wrong, but the door was open);
- `public`: nobody is refused or sent to log in;
- a machine `credential`: every user session is refused;
- a method the view does not handle answers 405 (function views handle none of PUT, PATCH,
  DELETE and OPTIONS), and nothing answers 5xx.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from rest_framework.views import APIView

from hypervisor.access import FollowsAccessRule
from hypervisor.roles import Role
from tests.security.routes import (
    FILLERS,
    Route,
    admin_routes,
    fillable,
    project_routes,
    url_of,
)
from tests.security.world import ROLES, World

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
NOT_HANDLED_BY_FUNCTION_VIEWS = {"PUT", "PATCH", "DELETE", "OPTIONS"}

# Public routes that refuse one method on purpose, and why.
REFUSED_BY_DESIGN = {
    ("open311-requests", "POST"): "posting a request needs an Open311 application key",
    **{
        ("login-code", method): "the code step follows a password; without one it sends to login"
        for method in ("GET", "HEAD", "POST")
    },
    **{
        ("admin-login", method): "the administration signs in through the site's login page"
        for method in ("GET", "HEAD")
    },
}

# Opening a route to everyone is a decision: a route joins this list in review, never by
# default. Citizens' pages are reached by an unguessable token (the address search reads
# the public national address base); open data is public by law.
REVIEWED_PUBLIC = {
    *("healthz", "readyz", "set_language", "home", "login", "logout"),
    *("login-code", "admin-login"),
    "api-index",
    *("api-schema", "api-docs", "field-service-worker", "field-manifest"),
    *("report", "report-place-search", "report-tracking", "report-fix-answer"),
    *("open311", "open311-discovery", "open311-services", "open311-service"),
    *("open311-requests", "open311-request", "open311-token"),
    *("opendata:catalogue", "opendata:catalogue-jsonld", "opendata:catalogue-turtle"),
    "opendata:dataset",
    *("opendata:api-key", "opendata:api-list", "opendata:api-detail", "opendata:api-records"),
    *("opendata:api-geojson", "opendata:api-csv", "opendata:api-schema"),
    *("opendata:ogc-landing", "opendata:ogc-conformance", "opendata:ogc-collections"),
    *("opendata:ogc-collection", "opendata:ogc-items", "opendata:ogc-item"),
    *("report-photo", "report-staged-photo"),  # access-checked: a hidden photo is a 404
    *("opendata:ogc-not-found", "accessibility"),
    "media/<path:path>",  # development only (DEBUG): uploaded files under random names
}

ROUTES = project_routes()
# The project's own packages, as the import-linter contracts list them.
PACKAGES = set(
    tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())["tool"][
        "importlinter"
    ]["root_packages"]
)


def _id(route: Route) -> str:
    return route.name or route.pattern


def _login_redirect(response) -> bool:  # type: ignore[no-untyped-def]
    return response.status_code == 302 and response["Location"].startswith(
        resolve_url(settings.LOGIN_URL)
    )


def _refused(response) -> bool:  # type: ignore[no-untyped-def]
    return response.status_code in (401, 403) or _login_redirect(response)


def _handles(route: Route, method: str) -> bool | None:
    """Whether the view handles the method; None when only its answer can tell."""
    view_class = route.view_class
    if view_class is None:
        return False if method in NOT_HANDLED_BY_FUNCTION_VIEWS else None
    if method == "HEAD":
        return hasattr(view_class, "get") or hasattr(view_class, "head")
    return hasattr(view_class, method.lower())


def _clients(world: World) -> dict[str, Client]:
    clients = {}
    for role in ROLES:
        # A server error is an answer to report, not an exception stopping the walk.
        client = Client(raise_request_exception=False)
        if role != "anonymous":
            client.force_login(world.users[role])
        clients[role] = client
    return clients


def _verdict(route: Route, method: str, role: str, response, world: World) -> str:  # type: ignore[no-untyped-def]
    """What is wrong with this answer, or "" when it keeps the declared rule."""
    rule = route.rule
    assert rule is not None
    status = response.status_code
    if status >= 500:
        return "server error"
    if _handles(route, method) is False and status != 405:
        if rule.public or not _refused(response):
            return "a method the view does not handle must answer 405"
        return ""
    if rule.public:
        refused = _refused(response) and (route.name, method) not in REFUSED_BY_DESIGN
        return "a public route must not refuse anyone" if refused else ""
    if rule.credential:
        return "" if status in (401, 403, 405) else f"only a {rule.credential} opens this route"
    if rule.allows(world.users[role]):
        return f"this role holds {rule.permissions} yet is refused" if _refused(response) else ""
    if role == "anonymous":
        ok = _login_redirect(response) or status == 405
        return "" if ok else "anonymous visitors must be sent to log in"
    return "" if status in (403, 405) else f"this role lacks {rule.permissions}: 403 expected"


def _problems(route: Route, world: World) -> list[str]:
    """Wrong answers, grouped: "METHOD url → status for role, role: why"."""
    assert route.rule is not None, f"{_id(route)} declares no access rule"
    url = url_of(route, world)
    clients = _clients(world)
    wrong: dict[tuple[str, int, str], list[str]] = {}
    for method in METHODS:
        for role in ROLES:
            response = clients[role].generic(
                method, url, content_type="application/x-www-form-urlencoded"
            )
            verdict = _verdict(route, method, role, response, world)
            if verdict:
                wrong.setdefault((method, response.status_code, verdict), []).append(role)
    return [
        f"{method} {url} → {status} for {', '.join(roles)}: {verdict}"
        for (method, status, verdict), roles in wrong.items()
    ]


def test_the_public_routes_are_the_reviewed_ones() -> None:
    public = {_id(route) for route in ROUTES if route.rule and route.rule.public}
    assert public - REVIEWED_PUBLIC == set()


def test_every_route_is_named_declares_a_rule_and_can_be_filled() -> None:
    missing = [
        f"{route.pattern}: {reason}"
        for route in ROUTES
        for reason in [
            "declares no access rule (hypervisor.access.public / requires / credential)"
            if route.rule is None
            else fillable(route)
        ]
        if reason
    ]
    assert missing == []


def test_the_tables_of_fillers_name_only_existing_routes() -> None:
    names = {route.name for route in ROUTES}
    assert set(FILLERS) - names == set()


@pytest.mark.parametrize("route", ROUTES, ids=_id)
def test_the_route_answers_each_role_and_method_as_its_rule_declares(
    route: Route, world: World, db
) -> None:
    assert fillable(route) is None, fillable(route)
    problems = _problems(route, world)
    assert not problems, "\n".join(["", *problems])


def test_every_guarded_route_is_open_to_at_least_one_role(world: World, db) -> None:
    """A route no role may use is dead, or its permission was never granted to anyone."""
    roles = [world.users[role.value] for role in Role if role is not Role.ADMIN]
    dead = [
        _id(route)
        for route in ROUTES
        if route.rule
        and not route.rule.public
        and not route.rule.credential
        and not any(route.rule.allows(user) for user in roles)
    ]
    assert dead == []


def test_the_project_api_views_take_their_permission_from_the_access_rule() -> None:
    views = {
        route.view_class
        for route in ROUTES
        if route.view_class
        and issubclass(route.view_class, APIView)
        and route.view_class.__module__.split(".")[0] in PACKAGES
    }
    assert views, "the project has DRF views"
    unruled = [
        view.__name__
        for view in views
        if not any(issubclass(p, FollowsAccessRule) for p in view.permission_classes)
    ]
    assert unruled == []


def test_machine_routes_open_to_their_credential(world: World, db) -> None:
    response = Client().post(
        "/api/v1/telemetry/",
        "[{}]",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {world.gateway_token}",
    )
    assert response.status_code not in (401, 403)


@pytest.mark.parametrize("role", [role for role in ROLES if role != Role.ADMIN.value])
def test_the_admin_sends_every_role_but_staff_to_its_own_login(role: str, world: World, db) -> None:
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    pages = [
        "/" + route
        for route, pattern in admin_routes()
        # Pages without parameters show the gate; the login and logout pages are the gate.
        if not pattern.pattern.regex.groupindex
        and pattern.name not in ("login", "logout", "admin-login")
    ]
    assert len(pages) > 10
    opened = []
    for page in pages:
        response = client.get(page)
        if not (response.status_code == 302 and response["Location"].startswith("/admin/login/")):
            opened.append(f"{page} → {response.status_code}")
    assert opened == []


def test_the_administrator_opens_the_admin(world: World, db) -> None:
    client = Client()
    client.force_login(world.users[Role.ADMIN.value])
    assert client.get("/admin/").status_code == 200
