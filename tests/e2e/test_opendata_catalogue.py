"""A visitor browses the open-data catalogue on a phone and gets an API key."""

from __future__ import annotations

import pytest

from opendata import store
from opendata.datasets.catalogue import ALL
from tests.lighting.factories import LightPointFactory

pytestmark = pytest.mark.e2e


def test_a_visitor_on_a_phone_sees_every_dataset_and_downloads_a_csv(
    open_page, asgi_server, territory
):  # type: ignore[no-untyped-def]
    LightPointFactory(reference="LP-E2E-001")
    page = open_page(width=390, height=844, mobile=True)
    page.goto(f"{asgi_server.url}/opendata/")
    assert page.locator("h1").inner_text() == "Données ouvertes de la métropole"
    assert page.locator(".od-dataset").count() == len(ALL)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page must not scroll sideways on a phone"
    with page.expect_download() as download:
        page.locator("#light-points a", has_text="CSV").click()
    assert download.value.suggested_filename == "light-points.csv"


def test_a_visitor_requests_an_api_key_and_sees_it_once(open_page, asgi_server, db):  # type: ignore[no-untyped-def]
    page = open_page(width=1280, height=900)
    page.goto(f"{asgi_server.url}/opendata/")
    page.get_by_role("link", name="Demander une clé d'API").click()
    page.fill("input[name=name]", "Carto libre")
    page.fill("input[name=email]", "dev@example.org")
    page.get_by_role("button", name="Obtenir ma clé").click()
    key = page.locator(".od-key").inner_text()
    assert len(key) > 30


def test_a_visitor_opens_a_dataset_page_from_the_catalogue(open_page, asgi_server, territory):  # type: ignore[no-untyped-def]
    LightPointFactory(reference="LP-E2E-001", street="rue Musette")
    store.forget()  # tables held from an earlier test of this process are not this one's
    page = open_page(width=390, height=844, mobile=True)
    page.goto(f"{asgi_server.url}/opendata/")
    page.get_by_role("link", name="Points lumineux de l'éclairage public").click()
    assert page.locator("h1").inner_text().startswith("Points lumineux")
    assert page.locator(".od-preview tbody tr").count() == 1
    assert "rue Musette" in page.locator(".od-preview").inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "wide tables scroll inside their card, not the page"
