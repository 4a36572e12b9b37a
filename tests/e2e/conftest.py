"""Browser tests: Playwright drives Debian's Chromium against the live ASGI server."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.hypervisor.factories import PASSWORD
from tests.services import CHROMIUM, CHROMIUM_FLAGS, require_chromium


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One Chromium per module; stopped afterwards so its event loop leaves the test thread."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()


@pytest.fixture(autouse=True)
def _orm_beside_playwright(monkeypatch: pytest.MonkeyPatch) -> None:
    # Sync Playwright runs an event loop in the test thread; the ORM calls the test makes
    # between page actions are still plain synchronous calls.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def open_page(browser, asgi_server) -> Iterator[Callable[..., object]]:  # type: ignore[no-untyped-def]
    contexts = []

    def opener(*, width: int, height: int, username: str | None = None, mobile: bool = False):  # type: ignore[no-untyped-def]
        context = browser.new_context(
            viewport={"width": width, "height": height},
            locale="fr-FR",
            is_mobile=mobile,
            has_touch=mobile,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        if username:
            page.goto(f"{asgi_server.url}/connexion/")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{asgi_server.url}/**")
        return page

    yield opener
    for context in contexts:
        context.close()
