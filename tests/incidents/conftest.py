"""Fixtures for incidents: trades and crews beside the reference configuration."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import transaction

from hypervisor.roles import Role
from incidents import services
from incidents.models import Crew, CrewKind, Incident, Trade
from tests.hypervisor.factories import UserFactory
from tests.incidents.factories import CrewFactory, CrewMemberFactory

DIJON_CENTRE = (47.3220, 5.0415)  # place François Rude
DARCY = (47.3225, 5.0317)


@pytest.fixture
def electrician(reference_configuration) -> Trade:
    return Trade.objects.get(code="electricien")


@pytest.fixture
def lighting_crew(electrician, field_agent) -> Crew:
    """The field agent's crew: electricians two hundred metres from the Darcy square."""
    crew = CrewFactory(
        code="eclairage-test", name="Éclairage A", trades=[electrician], lat=47.3240, lon=5.0330
    )
    CrewMemberFactory(user=field_agent, crew=crew)
    return crew


@pytest.fixture
def other_agent(db):  # type: ignore[no-untyped-def]
    return UserFactory(username="bertrand", roles=[Role.FIELD_AGENT])


@pytest.fixture
def other_crew(electrician, other_agent) -> Crew:
    """Another electricians' crew, three kilometres away, with its own agent."""
    crew = CrewFactory(
        code="eclairage-autre", name="Éclairage B", trades=[electrician], lat=47.3450, lon=5.0600
    )
    CrewMemberFactory(user=other_agent, crew=crew)
    return crew


@pytest.fixture
def open_incident(reference_configuration) -> Callable[..., Incident]:
    """Open an incident and let routing and dispatch run as they do after commit."""

    def opener(
        category_code: str = "eclairage-panne", at: tuple[float, float] = DARCY, **extra: object
    ) -> Incident:
        with transaction.atomic():
            incident = services.incident_open(
                category_code=category_code,
                description="Lampadaire éteint",
                lat=at[0],
                lon=at[1],
                source=services.Source.WEB,
                **extra,  # type: ignore[arg-type]
            )
        services.incident_route(incident_id=incident.pk)
        services.incident_dispatch(incident_id=incident.pk)
        incident.refresh_from_db()
        return incident

    return opener


@pytest.fixture
def patrol(reference_configuration) -> Crew:
    return CrewFactory(
        code="patrouille-test",
        name="Patrouille 1",
        kind=CrewKind.PATROL,
        trades=[Trade.objects.get(code="police")],
        lat=47.3230,
        lon=5.0350,
    )


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
