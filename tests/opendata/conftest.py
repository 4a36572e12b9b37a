"""Fixtures for open data: published equipment, incidents planted by citizens."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.utils import timezone

from citizens.services import report_submit
from hypervisor.models import Service
from incidents.models import Incident, Status
from lighting.models import MonthlyEnergy
from mobility.models import CarParkReading
from opendata import store
from tests.lighting.factories import LightPointFactory
from tests.mobility.factories import CarParkFactory
from tests.traffic.factories import BollardFactory, CameraFactory, CrossroadFactory

DARCY = (47.3225, 5.0317)
# Every (commune, month, category) cell is published from this many incidents.
K = 5
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


def spread(n: int) -> tuple[float, float]:
    """Places 330 m apart in Dijon, far enough not to be taken for duplicates."""
    return (round(47.3225 + n * 0.003, 5), 5.0317)


def finish(incident_id: int, *, status: str = Status.CLOSED, late: bool = False) -> None:
    """Resolve (and close) a lighting incident by or after its deadline, as crews would have."""
    now = timezone.now()
    due = now - timedelta(hours=1) if late else now + timedelta(hours=1)
    Incident.objects.filter(pk=incident_id).update(
        service=Service.objects.get(code="eclairage"),
        status=status,
        resolved_at=now if status in (Status.RESOLVED, Status.CLOSED) else None,
        closed_at=now if status == Status.CLOSED else None,
        due_at=due,
    )


@pytest.fixture
def every_dataset(light_points, report) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Rows in every dataset: equipment, a month of energy, open and closed incidents."""
    crossroad = CrossroadFactory(reference="CAR-OD-001")
    CameraFactory(reference="CAM-OD-001")
    BollardFactory(reference="BOR-OD-001")
    car_park = CarParkFactory(reference="darcy", occupancy_percent=61.0, observed_at=timezone.now())
    CarParkReading.objects.create(car_park=car_park, observed_at=timezone.now(), value_percent=61.0)
    MonthlyEnergy.objects.create(
        cabinet=light_points[0].cabinet,  # type: ignore[attr-defined]
        month=timezone.localdate().replace(day=1),
        estimated_kwh=120.0,
        baseline_kwh=400.0,
    )
    reports = [report(at=spread(n)) for n in range(K + 1)]
    for position, planted in enumerate(reports[:3]):
        finish(planted.incident_id, late=position == 0)  # type: ignore[attr-defined]
    return {"crossroad": crossroad, "reports": reports}
