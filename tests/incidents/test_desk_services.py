"""The control room's actions on one incident: each validated, audited, evented."""

from __future__ import annotations

import pytest
from django.utils import timezone

from hypervisor.models import AuditEntry, Event, Service
from hypervisor.places import AddressRecord
from hypervisor.services import places_load_addresses
from incidents import services
from incidents.models import (
    IncidentNote,
    LocatedBy,
    Priority,
    Shift,
    Status,
    Task,
    TaskStatus,
)
from tests.incidents.conftest import DARCY
from tests.incidents.factories import CrewFactory

pytestmark = pytest.mark.django_db


def _events(kind: str, incident_id: int) -> int:
    return Event.objects.filter(kind=kind, asset_id=str(incident_id)).count()


def test_rerouting_moves_the_incident_to_another_service_and_withdraws_its_tasks(
    open_incident, lighting_crew, operator
) -> None:
    incident = open_incident()
    task = Task.objects.get(incident=incident)
    assert task.crew == lighting_crew  # positive control: the first service's crew had it
    roads = Service.objects.get(code="voirie")
    services.incident_reroute(
        incident_id=incident.pk, service_id=roads.pk, by=operator, reason="Chaussée, pas éclairage"
    )
    incident.refresh_from_db()
    task.refresh_from_db()
    assert incident.service == roads
    assert incident.status == Status.ROUTED
    assert incident.dispatched_at is None  # dispatch runs again for the new service
    assert task.status == TaskStatus.CANCELLED
    assert _events("incident.rerouted", incident.pk) == 1
    assert AuditEntry.objects.filter(action="incident.reroute", actor=operator).exists()
    assert IncidentNote.objects.get(incident=incident).kind == IncidentNote.Kind.SERVICE


def test_rerouting_without_a_reason_is_refused(open_incident, operator) -> None:
    incident = open_incident()
    with pytest.raises(services.ActionRefused):
        services.incident_reroute(
            incident_id=incident.pk,
            service_id=Service.objects.get(code="voirie").pk,
            by=operator,
            reason="  ",
        )
    incident.refresh_from_db()
    assert incident.service.code == "eclairage"


def test_raising_the_priority_brings_the_deadline_forward(open_incident, operator) -> None:
    incident = open_incident()
    before = incident.due_at
    services.incident_priority_set(
        incident_id=incident.pk, priority=Priority.EMERGENCY, by=operator, reason="Carrefour"
    )
    incident.refresh_from_db()
    assert incident.priority == Priority.EMERGENCY
    assert incident.due_at < before
    assert (incident.due_at - incident.created_at).total_seconds() == 3600
    assert _events("incident.priority_changed", incident.pk) == 1
    assert AuditEntry.objects.filter(action="incident.priority").exists()


def test_an_internal_comment_is_recorded_with_its_author(open_incident, operator) -> None:
    incident = open_incident()
    services.incident_comment_add(incident_id=incident.pk, by=operator, text="Riverain rappelé")
    note = IncidentNote.objects.get(incident=incident)
    assert (note.kind, note.text, note.by) == ("comment", "Riverain rappelé", operator)
    assert _events("incident.commented", incident.pk) == 1


def test_an_empty_comment_is_refused(open_incident, operator) -> None:
    incident = open_incident()
    with pytest.raises(services.ActionRefused):
        services.incident_comment_add(incident_id=incident.pk, by=operator, text=" ")
    assert not IncidentNote.objects.exists()


def test_an_operator_resolves_with_a_note_and_the_crew_loses_the_task(
    open_incident, lighting_crew, operator
) -> None:
    incident = open_incident()
    services.incident_resolve(incident_id=incident.pk, by=operator, note="Réparé par Enedis")
    incident.refresh_from_db()
    assert incident.status == Status.RESOLVED
    assert Task.objects.get(incident=incident).status == TaskStatus.CANCELLED
    assert AuditEntry.objects.filter(action="incident.resolved", actor=operator).exists()


def test_acting_on_a_closed_incident_is_refused(open_incident, operator) -> None:
    incident = open_incident()
    services.incident_resolve(incident_id=incident.pk, by=operator, note="fait")
    services.incident_close(incident_id=incident.pk, by=operator)
    with pytest.raises(services.ActionRefused):
        services.incident_priority_set(
            incident_id=incident.pk, priority=Priority.HIGH, by=operator, reason="trop tard"
        )


def test_reassigning_to_a_crew_far_away_of_the_trade_is_allowed(
    open_incident, lighting_crew, operator, electrician
) -> None:
    incident = open_incident()
    task = Task.objects.get(incident=incident)
    far = CrewFactory(code="loin", name="Éclairage Sud", trades=[electrician], lat=47.25, lon=5.0)
    services.task_assign(task_id=task.pk, crew_id=far.pk, by=operator, note="renfort")
    task.refresh_from_db()
    assert task.crew == far
    assert Event.objects.filter(kind="task.changed", asset_id=str(task.pk)).exists()
    assert AuditEntry.objects.filter(action="task.assign", actor=operator).exists()


def test_reassigning_to_an_off_shift_crew_is_refused(
    open_incident, lighting_crew, operator, electrician
) -> None:
    incident = open_incident()
    task = Task.objects.get(incident=incident)
    resting = CrewFactory(code="repos", name="Éclairage Nuit", trades=[electrician], on_shift=False)
    Shift.objects.create(
        crew=resting,
        starts_at=timezone.now() - timezone.timedelta(hours=9),
        ends_at=timezone.now() - timezone.timedelta(hours=1),
    )
    with pytest.raises(services.CrewOffShift):
        services.task_assign(task_id=task.pk, crew_id=resting.pk, by=operator)
    task.refresh_from_db()
    assert task.crew == lighting_crew


def _liberte() -> None:
    places_load_addresses(
        records=[
            AddressRecord(
                line=1,
                commune_insee="21231",
                street="Rue de la Liberté",
                number=12,
                suffix="",
                postcode="21000",
                lat=47.32205,
                lon=5.03810,
            )
        ]
    )


def test_a_report_with_a_known_address_is_located_from_it(reference_configuration) -> None:
    _liberte()
    incident = services.incident_open(
        category_code="eclairage-panne",
        description="Lampe éteinte",
        lat=None,
        lon=None,
        address="12 rue de la Liberté",
        source=services.Source.PHONE,
    )
    assert (incident.lat, incident.lon) == (47.32205, 5.03810)
    assert incident.located_by == LocatedBy.ADDRESS


def test_a_report_naming_only_its_commune_is_placed_at_the_commune(
    reference_configuration,
) -> None:
    incident = services.incident_open(
        category_code="eclairage-panne",
        description="Lampe éteinte",
        lat=None,
        lon=None,
        address="impasse inconnue, Talant",
        source=services.Source.PHONE,
    )
    assert incident.lat is not None
    assert incident.located_by == LocatedBy.COMMUNE


def test_a_report_without_a_usable_address_waits_to_be_located(reference_configuration) -> None:
    incident = services.incident_open(
        category_code="eclairage-panne",
        description="Lampe éteinte",
        lat=None,
        lon=None,
        address="derrière chez ma tante",
        source=services.Source.PHONE,
    )
    assert incident.lat is None
    assert incident.located_by == LocatedBy.NOWHERE


def test_placing_an_incident_routes_and_dispatches_it_to_the_nearest_crew(
    reference_configuration, lighting_crew, operator, django_capture_on_commit_callbacks
) -> None:
    incident = services.incident_open(
        category_code="eclairage-panne",
        description="Lampe éteinte",
        lat=None,
        lon=None,
        source=services.Source.PHONE,
    )
    services.incident_route_and_dispatch(incident_id=incident.pk)
    incident.refresh_from_db()
    task = Task.objects.get(incident=incident)
    assert task.crew is None
    assert task.needs_operator
    services.incident_locate(incident_id=incident.pk, lat=DARCY[0], lon=DARCY[1], by=operator)
    incident.refresh_from_db()
    task.refresh_from_db()
    assert incident.located_by == LocatedBy.OPERATOR
    assert incident.commune.insee == "21231"  # Dijon
    assert task.crew == lighting_crew
    assert incident.status == Status.ASSIGNED
    assert _events("incident.located", incident.pk) == 1


def test_placing_a_new_incident_hands_it_to_routing_again(
    reference_configuration, operator
) -> None:
    incident = services.incident_open(
        category_code="eclairage-panne",
        description="Lampe éteinte",
        lat=None,
        lon=None,
        source=services.Source.PHONE,
    )
    incident.routed_at = timezone.now()
    incident.save()
    services.incident_locate(incident_id=incident.pk, lat=DARCY[0], lon=DARCY[1], by=operator)
    incident.refresh_from_db()
    assert incident.routed_at is None  # the relay sweep and the event route it again
    services.incident_route_and_dispatch(incident_id=incident.pk)
    incident.refresh_from_db()
    assert incident.status in (Status.ROUTED, Status.ASSIGNED)


def test_placing_outside_the_territory_is_refused(reference_configuration, operator) -> None:
    incident = services.incident_open(
        category_code="eclairage-panne",
        description="x",
        lat=None,
        lon=None,
        source=services.Source.PHONE,
    )
    with pytest.raises(services.ActionRefused):
        services.incident_locate(incident_id=incident.pk, lat=48.85, lon=2.35, by=operator)
