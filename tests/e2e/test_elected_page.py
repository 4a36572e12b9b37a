"""The elected official's page in English: the live rows relabelled in the page's language."""

from __future__ import annotations

import pytest
from django.conf import settings
from playwright.sync_api import expect

from citizens import services as citizen_services
from hypervisor.models import Commune, StaffProfile

pytestmark = pytest.mark.e2e


def test_the_elected_page_in_english_lists_incidents_in_english(
    real_services, reference_configuration, elected_official, open_page, asgi_server
) -> None:
    StaffProfile.objects.create(user=elected_official, commune=Commune.objects.get(insee="21231"))
    citizen_services.report_submit(
        category_code="eclairage-panne",
        description="Lampadaire éteint rue Monge",
        lat=47.3195,
        lon=5.0370,
        link_duplicates=False,
    )
    page = open_page(width=1920, height=1080, username=elected_official.username)
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": asgi_server.url}]
    )
    page.goto(f"{asgi_server.url}/elus/")
    row = page.locator("#elected-incidents tr[data-incident-id]")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Street light out")
    expect(row).not_to_contain_text("Lampadaire éteint")
