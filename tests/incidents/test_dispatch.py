from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from incidents import selectors, services
from incidents.models import Availability, Crew, Status, TaskStatus
from tests.incidents.conftest import DARCY
from tests.incidents.factories import CrewFactory


def test_the_nearest_available_crew_with_the_trade_gets_the_task(
    open_incident, lighting_crew, other_crew
) -> None:
    incident = open_incident()
    task = incident.tasks.get()
    assert task.crew == lighting_crew
    assert task.status == TaskStatus.ASSIGNED
    assert incident.status == Status.ASSIGNED


def test_a_nearer_crew_without_the_trade_is_passed_over(
    open_incident, lighting_crew, reference_configuration
) -> None:
    CrewFactory(code="voirie-1", trades=[], lat=DARCY[0], lon=DARCY[1])
    assert open_incident().tasks.get().crew == lighting_crew


def test_a_crew_off_shift_is_not_dispatched(open_incident, electrician, lighting_crew) -> None:
    near = CrewFactory(code="off", trades=[electrician], lat=DARCY[0], lon=DARCY[1], on_shift=False)
    assert open_incident().tasks.get().crew != near


def test_a_stale_position_counts_against_a_crew(open_incident, electrician, other_crew) -> None:
    stale = CrewFactory(
        code="stale",
        trades=[electrician],
        lat=DARCY[0],
        lon=DARCY[1],
        position_at=timezone.now() - timedelta(hours=2),
    )
    ranking = selectors.crew_candidates(lat=DARCY[0], lon=DARCY[1], trade_code="electricien")
    assert [c.crew_id for c in ranking] == [other_crew.pk, stale.pk]
    assert ranking[1].stale


def test_crews_are_ranked_by_great_circle_distance(electrician) -> None:
    far = CrewFactory(code="far", trades=[electrician], lat=47.36, lon=5.10)
    near = CrewFactory(code="near", trades=[electrician], lat=47.323, lon=5.033)
    middle = CrewFactory(code="middle", trades=[electrician], lat=47.33, lon=5.05)
    ranking = selectors.crew_candidates(lat=DARCY[0], lon=DARCY[1], trade_code="electricien")
    assert [c.crew_id for c in ranking] == [near.pk, middle.pk, far.pk]
    assert ranking[0].distance_m < ranking[1].distance_m < ranking[2].distance_m


def test_a_crew_outside_the_dispatch_radius_is_not_proposed(electrician, settings) -> None:
    settings.INCIDENTS_DISPATCH_RADIUS_M = 1000
    CrewFactory(code="far", trades=[electrician], lat=47.36, lon=5.10)
    assert selectors.crew_candidates(lat=DARCY[0], lon=DARCY[1], trade_code="electricien") == []


def test_with_no_crew_the_task_waits_for_an_operator_with_the_reason(
    english, open_incident
) -> None:
    incident = open_incident()
    task = incident.tasks.get()
    assert task.crew is None
    assert task.needs_operator
    assert "No available crew" in task.operator_note
    assert incident.status == Status.ROUTED
    assert selectors.operator_queue()["tasks"][0]["id"] == task.pk


def test_dispatching_twice_creates_no_second_task(open_incident, lighting_crew) -> None:
    incident = open_incident()
    services.incident_dispatch(incident_id=incident.pk)
    assert incident.tasks.count() == 1


def test_an_urgent_safety_incident_also_gets_the_nearest_patrol(
    open_incident, lighting_crew, patrol
) -> None:
    incident = open_incident("eclairage-cable")
    crews = {task.trade.code: task.crew for task in incident.tasks.all()}
    assert crews == {"electricien": lighting_crew, "police": patrol}


def test_an_ordinary_incident_does_not_call_the_police(
    open_incident, lighting_crew, patrol
) -> None:
    incident = open_incident("eclairage-panne")
    assert not incident.tasks.filter(crew=patrol).exists()


def test_the_operator_can_override_dispatch(open_incident, lighting_crew, other_crew, operator):
    task = open_incident().tasks.get()
    services.task_assign(task_id=task.pk, crew_id=other_crew.pk, by=operator)
    task.refresh_from_db()
    assert task.crew == other_crew
    assert task.assignment_no == 2
    assert task.steps.filter(kind="assigned", by=operator).exists()


def test_assigning_a_crew_that_went_off_shift_is_a_clear_conflict(
    english, open_incident, lighting_crew, other_crew, operator
) -> None:
    task = open_incident().tasks.get()
    services.shift_end_now(crew_id=other_crew.pk)
    with pytest.raises(services.CrewOffShift, match="off shift since"):
        services.task_assign(task_id=task.pk, crew_id=other_crew.pk, by=operator)
    task.refresh_from_db()
    assert task.crew == lighting_crew


def test_a_crew_on_a_break_is_not_dispatched(open_incident, lighting_crew, other_crew) -> None:
    Crew.objects.filter(pk=lighting_crew.pk).update(availability=Availability.BREAK)
    assert open_incident().tasks.get().crew == other_crew
