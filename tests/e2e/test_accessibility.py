"""Accessibility in the browser: axe-core (WCAG 2.1 A and AA rules) on every page each role
reaches, and the citizen's form and the tablet's main actions done with the keyboard alone.

axe-core comes from npm (tests/a11y/package.json, installed by `npm ci --prefix tests/a11y`)
and is evaluated in the page through the DevTools protocol, so the pages keep their
Content-Security-Policy while they are checked.
"""

from __future__ import annotations

import re
from collections import deque
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from citizens import services as citizen_services
from tests.e2e.test_field_tablet import assigned_task  # noqa: F401 (a fixture)
from tests.services import unavailable

pytestmark = pytest.mark.e2e

AXE = Path(__file__).parents[1] / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
# Not pages of the product: downloads, machine APIs, the third-party API explorer and
# Django's admin (docs/citizens.md, "Accessibility", says so); logging out ends the walk.
NOT_PAGES = re.compile(
    r"^/(api|ogcapi|open311|admin|static|media|i18n)/|/deconnexion/|\.(csv|ttl|jsonld|js|"
    r"webmanifest)$|/export"
)
MAX_PAGES_PER_ROLE = 40
SCREENS = {"citizen": (390, 844), "field_agent": (800, 1280)}
EXTRACT = Path(__file__).parents[1] / "hypervisor" / "data" / "adresses-21-extract.csv"


def _axe_source() -> str:
    if not AXE.exists():
        unavailable(f"needs axe-core at {AXE} (npm ci --prefix tests/a11y)")
    return AXE.read_text(encoding="utf-8")


def axe_violations(page: Any, source: str) -> list[str]:
    """Serious and critical WCAG 2.1 A/AA violations of the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(source)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        f"{violation['id']} ({violation['impact']}) at {node['target']}"
        for violation in result["violations"]
        if violation["impact"] in BLOCKING
        for node in violation["nodes"]
    ]


def walk(page: Any, base: str, start: list[str], source: str) -> dict[str, list[str]]:
    """Breadth-first over the same-site links the role is offered: violations per page."""
    found: dict[str, list[str]] = {}
    queue, seen = deque(start), set(start)
    while queue and len(found) < MAX_PAGES_PER_ROLE:
        path = queue.popleft()
        response = page.goto(base + path, wait_until="load")
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        assert response.status < 500, f"{path} answered {response.status}"
        found[path] = axe_violations(page, source)
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            link = urlsplit(urljoin(page.url, href))
            if link.netloc != urlsplit(base).netloc or link.path in seen:
                continue
            if NOT_PAGES.search(link.path):
                continue
            seen.add(link.path)
            queue.append(link.path)
    return found


@pytest.fixture
def city(real_services, reference_configuration) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """A citizen's report (for the tracking page) and the address gazetteer."""
    from io import StringIO

    call_command("load_addresses", str(EXTRACT), stdout=StringIO())
    report = citizen_services.report_submit(
        category_code="eclairage-panne",
        description="Lampadaire éteint devant le 12",
        lat=47.3220,
        lon=5.0415,
        link_duplicates=False,
    )
    return {"tracking": f"/suivi/{report.token}/"}


def test_axe_reports_what_it_is_given_to_find(open_page) -> None:
    """Positive control: the harness sees a blocking violation on a page that has one."""
    page = open_page(width=800, height=600)
    page.set_content('<html lang="fr"><title>t</title><main><img src="x.png"></main></html>')
    assert any(v.startswith("image-alt (critical)") for v in axe_violations(page, _axe_source()))


PERSONAS = [
    "citizen",
    "operator",
    "supervisor",
    "field_agent",
    "teleoperator",
    "police_officer",
    "elected_official",
    "mobility_operator",
]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_a_role_reaches_has_no_serious_or_critical_violation(
    persona, request, city, open_page, asgi_server
) -> None:
    source = _axe_source()
    width, height = SCREENS.get(persona, (1920, 1080))
    if persona == "citizen":
        page = open_page(width=width, height=height, mobile=True)
        start = ["/", "/signaler/", "/opendata/", city["tracking"], "/accessibilite/"]
    else:
        user = request.getfixturevalue(persona)
        page = open_page(width=width, height=height, username=user.username)
        start = ["/", "/accessibilite/"]
    found = walk(page, asgi_server.url, start, source)
    assert len(found) >= len(start)
    problems = {path: violations for path, violations in found.items() if violations}
    assert problems == {}, f"{persona}: {problems}"


def test_the_crossroads_pages_are_legible_in_every_controller_state(
    supervisor, open_page, asgi_server
) -> None:
    """The status badges (fault, flashing, normal…) keep 4.5:1 on their tinted background."""
    from tests.traffic.factories import CrossroadFactory
    from traffic.models import ControllerState

    references = [CrossroadFactory(state=state).reference for state in ControllerState.values]
    source = _axe_source()
    page = open_page(width=1920, height=1080, username=supervisor.username)
    assert page.goto(asgi_server.url + "/signalisation/").status == 200
    assert page.locator('.badge[data-status="fault"]').count() == 1
    found = {"/signalisation/": axe_violations(page, source)}
    for path in (f"/signalisation/carrefours/{reference}/" for reference in references):
        assert page.goto(asgi_server.url + path).status == 200
        found[path] = axe_violations(page, source)
    assert {path: v for path, v in found.items() if v} == {}


def _tab_to(page: Any, selector: str, limit: int = 120) -> None:
    """Press Tab until the element has the focus: it is reachable by keyboard."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement?.matches(s) ?? false", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never received the focus from the keyboard")


def test_a_citizen_sends_a_report_with_the_keyboard_alone(city, open_page, asgi_server) -> None:
    page = open_page(width=390, height=844, mobile=True)
    page.goto(f"{asgi_server.url}/signaler/")
    _tab_to(page, "input[name=category]")
    # In a radio group the arrows move the choice; the chosen one takes the focus.
    for _ in range(12):
        if page.evaluate("document.activeElement.value") == "eclairage-panne":
            break
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Space")
    expect(page.locator("#category-eclairage-panne")).to_be_checked()
    _tab_to(page, "#place-search")
    page.keyboard.type("rue monge")
    expect(page.get_by_role("listbox")).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator("#map-status")).to_have_attribute("data-state", "set")
    _tab_to(page, "textarea[name=description]")
    page.keyboard.type("Lampadaire éteint devant l'école, depuis hier soir")
    _tab_to(page, "#report-form button[type=submit]:not([name])")
    page.keyboard.press("Enter")
    page.wait_for_url("**/suivi/**")
    # The thanks; the page's other status region only announces later changes.
    expect(page.get_by_role("status").filter(has_text="Merci")).to_be_visible()
    assert axe_violations(page, _axe_source()) == []


def test_an_agent_works_a_task_from_the_tablet_with_the_keyboard_alone(
    real_services,
    celery_worker,
    assigned_task,  # noqa: F811 (the fixture imported above)
    field_agent,
    open_page,
    asgi_server,
) -> None:
    tablet = open_page(width=800, height=1280, username=field_agent.username)
    tablet.goto(f"{asgi_server.url}/terrain/")
    _tab_to(tablet, f'.task-item[data-task-id="{assigned_task.pk}"]')
    tablet.keyboard.press("Enter")
    _tab_to(tablet, ".field-action[data-kind=start]")
    tablet.keyboard.press("Enter")
    expect(tablet.locator(".field-action[data-kind=pause]")).to_be_visible()
    _tab_to(tablet, ".field-action[data-kind=done]")
    tablet.keyboard.press("Enter")
    expect(tablet.locator("#done-note")).to_be_focused()
    tablet.keyboard.type("Ampoule remplacée")
    _tab_to(tablet, "button[type=submit]:enabled")
    tablet.keyboard.press("Enter")
    expect(tablet.locator(f'.task-item[data-task-id="{assigned_task.pk}"]')).to_have_count(0)
    assigned_task.refresh_from_db()
    assert assigned_task.status == "done"
