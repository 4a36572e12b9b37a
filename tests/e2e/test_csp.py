"""The Content Security Policy blocks nothing the pages need, in a real Chromium.

Each page is opened as the role that uses it; any violation the browser reports (the
`securitypolicyviolation` event or the console's "Content Security Policy" error) fails
the test with what was blocked. Map tiles do not load on a closed network: that is a
network error, not a violation, and is not counted.
"""

from __future__ import annotations

import pytest

from incidents.models import CrewMember, Trade
from tests.incidents.factories import CrewFactory

pytestmark = pytest.mark.e2e

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || "?"}:${event.lineNumber}`);
});
"""

# (persona fixture or None for a citizen, address, selector that shows the page is ready)
PAGES = [
    (None, "/", "main"),
    (None, "/signaler/", "#report-map .leaflet-container, #report-map"),
    (None, "/opendata/", "main"),
    (None, "/api/docs/", ".swagger-ui .info"),
    (None, "/connexion/", "form"),
    ("operator", "/controle/", "#live-status[data-state=live]"),
    ("operator", "/controle/crise/", "main"),
    ("operator", "/compte/double-authentification/", "svg.qr-code"),
    ("supervisor", "/controle/kpis/", "canvas"),
    ("supervisor", "/controle/journal/", "main"),
    ("field_agent", "/terrain/", "#field-app"),
    ("operator", "/eclairage/", "main"),
    ("operator", "/signalisation/", "main"),
    ("teleoperator", "/portail/", "main"),
    ("elected_official", "/elus/", "main"),
    ("operator", "/mobilite/", "#mobility-map[data-drawn]"),
]


@pytest.fixture
def field_crew(reference_configuration, field_agent) -> None:  # type: ignore[no-untyped-def]
    crew = CrewFactory(
        code="csp-e2e", trades=[Trade.objects.get(code="electricien")], lat=47.324, lon=5.033
    )
    CrewMember.objects.create(user=field_agent, crew=crew)


@pytest.mark.parametrize(("persona", "path", "ready"), PAGES, ids=[page[1] for page in PAGES])
def test_the_page_runs_without_a_content_security_policy_violation(
    request, open_page, asgi_server, real_services, field_crew, persona, path: str, ready: str
) -> None:
    user = request.getfixturevalue(persona) if persona else None
    page = open_page(width=1440, height=900, username=user.username if user else None)
    page.add_init_script(RECORD_VIOLATIONS)
    console: list[str] = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    response = page.goto(f"{asgi_server.url}{path}")
    assert response is not None
    assert response.status == 200
    assert "script-src 'self'" in (response.headers.get("content-security-policy") or "")
    page.wait_for_selector(ready, state="attached")
    page.wait_for_timeout(1500)  # scripts that run after load: maps, charts, sockets
    violations = page.evaluate("window.__cspViolations")
    assert violations == []
    assert console == []


def test_the_check_sees_a_violation(open_page, asgi_server, db) -> None:
    # Guards the test above: an inline script on a page under the policy is reported.
    page = open_page(width=800, height=600)
    page.add_init_script(RECORD_VIOLATIONS)
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(f"{asgi_server.url}/")
    page.evaluate(
        """() => { const s = document.createElement("script");
        s.textContent = "window.__ran = true"; document.body.appendChild(s); }"""
    )
    page.wait_for_timeout(300)
    assert page.evaluate("window.__ran") is None
    assert page.evaluate("window.__cspViolations") != []
    assert any("Content Security Policy" in text for text in console)
