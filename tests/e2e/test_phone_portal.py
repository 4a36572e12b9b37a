"""The phone portal at the desk (1920×1080): filing by address, duplicates, search."""

from __future__ import annotations

import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from citizens.models import CallLog, Follower, Report
from tests.citizens.factories import submit_report

pytestmark = pytest.mark.e2e

EXTRACT = Path(__file__).parent.parent / "hypervisor" / "data" / "adresses-21-extract.csv"
SHOTS = os.environ.get("ONDIJON_SCREENSHOTS", "")


@pytest.fixture
def addresses(reference_configuration) -> None:  # type: ignore[no-untyped-def]
    call_command("load_addresses", str(EXTRACT), stdout=StringIO())


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_a_call_filed_by_address_is_warned_of_the_duplicate_and_the_caller_follows_it(
    open_page, asgi_server, addresses, teleoperator
) -> None:
    existing = submit_report(category_code="voirie-nid-de-poule", lat=47.31921, lon=5.03655)
    desk = open_page(width=1920, height=1080, username=teleoperator.username)
    desk.goto(f"{asgi_server.url}/portail/")
    form = desk.locator("#portal-report")
    form.get_by_label("Type de problème").select_option("voirie-nid-de-poule")
    form.get_by_label("Ce que décrit l'appelant").fill("Trou profond devant le 12")
    box = form.get_by_role("combobox", name="Adresse, rue ou lieu")
    box.fill("12 rue monge")
    option = desk.get_by_role("listbox").get_by_role("option").first
    expect(option).to_contain_text("12 bis Rue Monge, Dijon")
    box.press("Enter")
    expect(form.locator("input[name=lat]")).to_have_value("47.319210")
    form.get_by_role("button", name="Enregistrer le signalement").click()
    warning = desk.get_by_test_id("duplicate-warning")
    expect(warning).to_contain_text(existing.reference)
    _shot(desk, "portal-duplicate-1920")
    assert Report.objects.count() == 1  # nothing filed yet
    warning.get_by_role("button", name=existing.reference).click()
    expect(desk.locator(".messages, [role=status]").first).to_contain_text(existing.reference)
    assert Follower.objects.get().incident_id == existing.incident_id
    assert CallLog.objects.get().incident_id == existing.incident_id


def test_a_search_by_street_finds_the_incident_there(
    open_page, asgi_server, addresses, teleoperator
) -> None:
    there = submit_report(category_code="voirie-nid-de-poule", lat=47.31921, lon=5.03655)
    elsewhere = submit_report(category_code="voirie-nid-de-poule", lat=47.2913, lon=5.0063)
    desk = open_page(width=1920, height=1080, username=teleoperator.username)
    desk.goto(f"{asgi_server.url}/portail/")
    search = desk.get_by_test_id("incident-search")
    search.get_by_role("searchbox").fill("rue monje")
    search.get_by_role("button", name="Chercher").click()
    results = desk.get_by_test_id("search-results")
    expect(results).to_contain_text(there.reference)
    expect(results).to_contain_text("Rue Monge, Dijon")
    expect(results).not_to_contain_text(elsewhere.reference)
    _shot(desk, "portal-search-1920")
