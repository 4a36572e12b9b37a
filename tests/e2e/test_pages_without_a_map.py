"""A page with no map to draw runs no map script: no "Map container not found" error."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


def _errors_on(page, url: str) -> list[str]:  # type: ignore[no-untyped-def]
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    response = page.goto(url)
    assert response is not None
    assert response.status == 200
    page.wait_for_timeout(1000)  # module scripts run after load
    return errors


def test_the_tablet_of_an_agent_without_a_crew_runs_no_map_script(
    open_page, asgi_server, field_agent
) -> None:
    tablet = open_page(width=800, height=1280, username=field_agent.username, mobile=True)
    assert _errors_on(tablet, f"{asgi_server.url}/terrain/") == []
    assert tablet.locator(".field-empty").is_visible()


def test_the_crisis_page_without_a_crisis_runs_no_map_script(
    open_page, asgi_server, operator, reference_configuration
) -> None:
    desk = open_page(width=1920, height=1080, username=operator.username)
    assert _errors_on(desk, f"{asgi_server.url}/controle/crise/") == []
    assert desk.locator("#crisis-map").count() == 0


def test_the_check_sees_a_page_error(open_page, asgi_server, db) -> None:
    # Positive control: a script error on a page is caught by the listener above.
    page = open_page(width=800, height=600)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{asgi_server.url}/connexion/")
    page.evaluate("setTimeout(() => { throw new Error('Map container not found.'); }, 0)")
    page.wait_for_timeout(300)
    assert any("Map container not found" in error for error in errors)
