"""The report form's address search on a phone: keyboard and touch choose a place."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

EXTRACT = Path(__file__).parent.parent / "hypervisor" / "data" / "adresses-21-extract.csv"


@pytest.fixture
def addresses(reference_configuration) -> None:  # type: ignore[no-untyped-def]
    call_command("load_addresses", str(EXTRACT), stdout=StringIO())


def test_the_keyboard_chooses_an_address_and_the_pin_is_placed_there(
    open_page, asgi_server, addresses
) -> None:
    phone = open_page(width=390, height=844, mobile=True)
    phone.goto(f"{asgi_server.url}/signaler/")
    box = phone.locator("#place-search")
    box.fill("rue monge")
    listbox = phone.get_by_role("listbox")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(listbox.get_by_role("option")).to_have_count(5)
    box.press("ArrowDown")
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", "place-option-1")
    expect(phone.locator("#place-option-1")).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    expect(listbox).to_be_hidden()
    expect(box).to_have_value("1 Rue Monge, Dijon")
    expect(phone.locator("input[name=lat]")).to_have_value("47.319520")
    expect(phone.locator("input[name=lon]")).to_have_value("5.036520")
    expect(phone.locator("#map-status")).to_have_attribute("data-state", "set")
    assert phone.url.endswith("/signaler/")  # Enter chose the place, it sent nothing


def test_a_tap_chooses_a_result_and_accents_do_not_matter(
    open_page, asgi_server, addresses
) -> None:
    phone = open_page(width=390, height=844, mobile=True)
    phone.goto(f"{asgi_server.url}/signaler/")
    phone.locator("#place-search").fill("liberte")
    street = phone.get_by_role("listbox").get_by_role("option").first
    expect(street).to_contain_text("Rue de la Liberté, Dijon")
    street.tap()
    expect(phone.locator("input[name=lat]")).to_have_value("47.322230")
