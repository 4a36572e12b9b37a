"""Every route declares who may use it, and the wrong role is refused."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from hypervisor.access import rule_of


def walk(patterns, prefix=""):  # type: ignore[no-untyped-def]
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def test_every_route_outside_the_admin_declares_an_access_rule() -> None:
    undeclared = [
        route
        for route, pattern in walk(get_resolver().url_patterns)
        if not route.startswith("admin/") and rule_of(pattern.callback) is None
    ]
    assert undeclared == []


@pytest.mark.parametrize("url", ["/", "/signaler/", "/healthz", "/readyz", "/connexion/"])
def test_public_pages_open_to_citizens(client, url: str, reference_configuration) -> None:
    assert client.get(url).status_code == 200


def test_an_anonymous_visitor_is_sent_to_the_login_page_from_the_control_room(client) -> None:
    response = client.get("/controle/")
    assert response.status_code == 302
    assert response.url.startswith("/connexion/?next=/controle/")


@pytest.mark.parametrize(
    "persona", ["field_agent", "teleoperator", "police_officer", "elected_official"]
)
def test_the_control_room_refuses_roles_that_do_not_watch_it(client, request, persona: str) -> None:
    client.force_login(request.getfixturevalue(persona))
    response = client.get("/controle/")
    assert response.status_code == 403
    assert (
        "Accès refusé" in response.content.decode() or "Access refused" in response.content.decode()
    )


@pytest.mark.parametrize("persona", ["operator", "supervisor"])
def test_operators_and_supervisors_open_the_control_room(
    client, request, persona: str, territory
) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/controle/").status_code == 200


def test_the_home_page_offers_the_control_room_to_operators_only(
    client, operator, field_agent
) -> None:
    client.force_login(field_agent)
    assert "/controle/" not in client.get("/").content.decode()
    client.force_login(operator)
    assert "/controle/" in client.get("/").content.decode()
