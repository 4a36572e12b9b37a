"""Tasks at one place are worked in trade order: a task waits for its predecessor."""

from __future__ import annotations

import uuid

import pytest

from incidents import selectors, services
from incidents.models import Trade
from tests.incidents.conftest import DARCY
from tests.incidents.factories import CrewFactory, CrewMemberFactory


@pytest.fixture
def tree_crew(reference_configuration, supervisor):  # type: ignore[no-untyped-def]
    crew = CrewFactory(
        code="elagage", trades=[Trade.objects.get(code="elagueur")], lat=47.323, lon=5.031
    )
    CrewMemberFactory(user=supervisor, crew=crew)  # any user stands in for its agent here
    return crew


def _act(user, task, kind: str, **extra):  # type: ignore[no-untyped-def]
    return services.field_action_apply(
        action_id=uuid.uuid4(), user=user, task_id=task.pk, kind=kind, **extra
    )


def test_a_fallen_tree_needs_a_patrol_an_electrician_then_a_tree_surgeon(
    open_incident, lighting_crew, tree_crew
) -> None:
    incident = open_incident("espaces-verts-arbre")
    trades = [task.trade.code for task in incident.tasks.order_by("trade__precedence")]
    assert trades == ["police", "electricien", "elagueur"]
    assert len({task.site_key for task in incident.tasks.all()}) == 1


def test_the_later_trade_is_blocked_until_its_predecessor_is_done(
    english, open_incident, lighting_crew, tree_crew, field_agent, supervisor
) -> None:
    incident = open_incident("espaces-verts-arbre")
    electric = incident.tasks.get(trade__code="electricien")
    tree = incident.tasks.get(trade__code="elagueur")
    assert selectors.task_blocker(task=tree) == electric
    with pytest.raises(services.TaskBlocked, match="Electrician"):
        _act(supervisor, tree, "start")
    _act(field_agent, electric, "done", note="Ligne consignée")
    assert selectors.task_blocker(task=tree) is None
    assert _act(supervisor, tree, "start").body["status"] == "in_progress"


def test_tasks_of_separate_incidents_at_the_same_place_form_one_site(
    open_incident, lighting_crew, reference_configuration
) -> None:
    carpenter = CrewFactory(code="menuiserie", trades=[Trade.objects.get(code="menuisier")])
    bench = open_incident("mobilier-degrade", at=(DARCY[0] + 0.0001, DARCY[1]))
    light = open_incident("eclairage-panne", at=DARCY)
    bench_task, light_task = bench.tasks.get(), light.tasks.get()
    assert bench_task.site_key == light_task.site_key
    assert bench_task.crew == carpenter
    assert selectors.task_blocker(task=bench_task) == light_task


def test_tasks_far_apart_do_not_wait_for_each_other(
    open_incident, lighting_crew, reference_configuration
) -> None:
    CrewFactory(code="menuiserie", trades=[Trade.objects.get(code="menuisier")])
    bench = open_incident("mobilier-degrade", at=(47.3300, 5.0500))
    open_incident("eclairage-panne", at=DARCY)
    assert selectors.task_blocker(task=bench.tasks.get()) is None


def test_the_tablet_lists_a_blocked_task_after_the_ones_that_can_be_done(
    open_incident, lighting_crew, tree_crew, field_agent
) -> None:
    open_incident("espaces-verts-arbre")
    listed = selectors.crew_task_list(crew=tree_crew)
    assert listed[0]["blocked_by"]["reference"]
