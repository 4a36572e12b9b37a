"""Fixtures for open data: published equipment, incidents planted by citizens."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from citizens.services import report_submit
from opendata import store
from tests.lighting.factories import LightPointFactory

DARCY = (47.3225, 5.0317)
CANARY = {
    "name": "Hortense Canarivelli",
    "phone": "+33 6 12 34 56 78",
    "email": "hortense.canarivelli@example.net",
}


@pytest.fixture(autouse=True)
def _fresh_open_data(settings) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Each test sees its own tables and quotas: nothing from a previous test is cached."""
    settings.OPENDATA_RATE_ANONYMOUS = "1000/min"
    store.forget()
    cache.clear()
    yield
    store.forget()
    cache.clear()


@pytest.fixture
def api(db) -> Client:  # type: ignore[no-untyped-def]
    return Client()


@pytest.fixture
def light_points(db) -> list[object]:  # type: ignore[no-untyped-def]
    """Twelve points a hundred metres apart, going north-east from the Darcy square."""
    return [
        LightPointFactory(reference=f"LP-OD-{n:03d}", lat=47.32 + n * 1e-3, lon=5.04 + n * 1e-3)
        for n in range(12)
    ]


@pytest.fixture
def report(reference_configuration) -> Callable[..., object]:
    """A citizen report (with its incident), carrying the canary's personal data."""

    # The reporter's contact fields, wherever the report service has them.
    accepted = inspect.signature(report_submit).parameters
    planted = {
        "contact_name": CANARY["name"],
        "contact_email": CANARY["email"],
        "contact_phone": CANARY["phone"],
        "contact_consent": True,
    }
    contact = {name: value for name, value in planted.items() if name in accepted}

    def submit(category_code: str = "eclairage-panne", at: tuple[float, float] = DARCY) -> object:
        with transaction.atomic():
            return report_submit(
                category_code=category_code,
                description=(
                    f"Lampadaire éteint devant chez {CANARY['name']}, "
                    f"appelez le {CANARY['phone']} ou {CANARY['email']}"
                ),
                lat=at[0],
                lon=at[1],
                link_duplicates=False,  # several incidents at one place: the k-threshold
                **contact,
            )

    return submit
