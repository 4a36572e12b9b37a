"""Reopening: the same incident comes back to work when its fix did not hold."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from hypervisor.models import Event, Notification
from incidents import selectors, services
from incidents.models import Incident, SlaState, Status, TaskStatus


def _act(user, task, kind: str, **extra):  # type: ignore[no-untyped-def]
    return services.field_action_apply(
        action_id=uuid.uuid4(), user=user, task_id=task.pk, kind=kind, **extra
    )


@pytest.fixture
def resolved(open_incident, lighting_crew, field_agent) -> Incident:
    """An incident whose crew finished its task."""
    incident = open_incident()
    _act(field_agent, incident.tasks.get(), "done", note="Lampe changée")
    incident.refresh_from_db()
    assert incident.status == Status.RESOLVED
    return incident


def test_a_reopened_incident_keeps_its_reference_and_history(resolved) -> None:
    reference = resolved.reference
    services.incident_reopen(incident_id=resolved.pk, by=None, note="Toujours éteint")
    resolved.refresh_from_db()
    assert resolved.reference == reference
    assert Incident.objects.count() == 1
    steps = list(resolved.transitions.values_list("from_status", "to_status", "note"))
    assert steps[-2][1] == Status.RESOLVED
    assert steps[-1] == (Status.RESOLVED, Status.ROUTED, "Toujours éteint")


def test_a_reopened_incident_goes_back_to_its_service_and_a_crew_gets_a_new_task(
    resolved, django_capture_on_commit_callbacks
) -> None:
    service_id = resolved.service_id
    with django_capture_on_commit_callbacks(execute=True):
        services.incident_reopen(incident_id=resolved.pk, by=None, note="Toujours éteint")
    resolved.refresh_from_db()
    assert resolved.service_id == service_id
    assert resolved.status == Status.ASSIGNED
    assert resolved.resolved_at is None
    tasks = list(resolved.tasks.order_by("pk").values_list("status", flat=True))
    assert tasks == [TaskStatus.DONE, TaskStatus.ASSIGNED]


def test_the_deadline_restarts_from_the_reopening(resolved) -> None:
    later = timezone.now() + timedelta(days=3)
    with time_machine.travel(later, tick=False):
        services.incident_reopen(incident_id=resolved.pk, by=None, note="")
    resolved.refresh_from_db()
    assert resolved.reopened_at == later
    assert resolved.due_at == later + timedelta(minutes=resolved.category.sla_minutes)
    assert resolved.sla_state == SlaState.OK


def test_a_reopened_incident_is_at_risk_by_its_new_deadline_not_its_first(resolved) -> None:
    services.incident_reopen(incident_id=resolved.pk, by=None, note="")
    resolved.refresh_from_db()
    allowed = resolved.due_at - resolved.reopened_at
    assert services.sla_state_at(incident=resolved, now=resolved.reopened_at) == SlaState.OK
    at_risk = resolved.reopened_at + allowed * 0.8
    assert services.sla_state_at(incident=resolved, now=at_risk) == SlaState.AT_RISK


def test_a_missed_new_deadline_is_escalated_again(
    open_incident, lighting_crew, field_agent, supervisor
) -> None:
    incident = open_incident()
    with time_machine.travel(incident.due_at + timedelta(minutes=1), tick=False):
        services.sla_watch()  # the first deadline is missed and escalated
        _act(field_agent, incident.tasks.get(), "done", note="Lampe changée")
        services.incident_reopen(incident_id=incident.pk, by=None, note="")
    incident.refresh_from_db()
    with time_machine.travel(incident.due_at + timedelta(minutes=1), tick=False):
        services.sla_watch()
    incident.refresh_from_db()
    assert incident.sla_state == SlaState.BREACHED
    breaches = Notification.objects.filter(
        recipient=supervisor, channel="push", dedup_key__contains="breached"
    )
    assert breaches.count() == 2


@pytest.mark.parametrize("status", [Status.ROUTED, Status.CLOSED])
def test_only_a_resolved_incident_can_be_reopened(open_incident, operator, status) -> None:
    incident = open_incident()
    if status == Status.CLOSED:
        Incident.objects.filter(pk=incident.pk).update(status=Status.CLOSED)
    with pytest.raises(services.TransitionRefused):
        services.incident_reopen(incident_id=incident.pk, by=operator, note="")


def test_reopening_twice_has_no_second_effect(resolved) -> None:
    services.incident_reopen(incident_id=resolved.pk, by=None, note="Toujours éteint")
    services.incident_reopen(incident_id=resolved.pk, by=None, note="Toujours éteint")
    resolved.refresh_from_db()
    assert resolved.reopen_count == 1
    assert resolved.transitions.filter(from_status=Status.RESOLVED).count() == 1
    assert Event.objects.filter(kind="incident.reopened").count() == 1


def test_reopening_publishes_an_event_and_the_incident_is_back_on_the_map(resolved) -> None:
    assert selectors.incident_map_feature(incident_id=str(resolved.pk)) is None
    services.incident_reopen(incident_id=resolved.pk, by=None, note="Toujours éteint")
    event = Event.objects.get(kind="incident.reopened")
    assert event.asset_id == str(resolved.pk)
    assert "incident.reopened" in selectors.IncidentLayer.event_kinds
    feature = selectors.incident_map_feature(incident_id=str(resolved.pk))
    assert feature is not None
    assert feature["reopened"] is True


def test_the_operator_who_reopens_is_recorded(resolved, operator) -> None:
    services.incident_reopen(incident_id=resolved.pk, by=operator, note="Appel du riverain")
    step = resolved.transitions.get(from_status=Status.RESOLVED)
    assert step.by == operator


def test_the_public_history_calls_the_step_a_reopening(english, resolved) -> None:
    services.incident_reopen(incident_id=resolved.pk, by=None, note="Toujours éteint")
    history = selectors.incident_public_view(incident_id=resolved.pk)["history"]
    assert [step["status"] for step in history][-3:] == ["assigned", "resolved", "reopened"]
    assert history[-1]["label"] == "Reopened"


def test_the_public_closes_a_resolved_incident_without_a_staff_author(resolved) -> None:
    services.incident_close(incident_id=resolved.pk, by=None, note="Confirmé")
    step = resolved.transitions.get(to_status=Status.CLOSED)
    assert step.by is None
