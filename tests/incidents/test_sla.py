"""The deadline watchdog, with frozen time."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from hypervisor.models import Notification, StaffProfile
from incidents import services
from incidents.models import SlaState


@pytest.fixture
def emergency(open_incident):  # type: ignore[no-untyped-def]
    return open_incident("signalisation-feu")


def test_an_incident_on_time_stays_ok(emergency) -> None:
    services.sla_watch(now=emergency.created_at + timedelta(minutes=10))
    emergency.refresh_from_db()
    assert emergency.sla_state == SlaState.OK


def test_an_incident_three_quarters_through_its_time_is_at_risk(emergency, supervisor) -> None:
    with time_machine.travel(emergency.created_at + timedelta(minutes=50), tick=False):
        services.sla_watch()
    emergency.refresh_from_db()
    assert emergency.sla_state == SlaState.AT_RISK
    assert Notification.objects.filter(recipient=supervisor, channel="push").count() == 1


def test_a_breach_escalates_to_the_supervisor_once(emergency, supervisor) -> None:
    with time_machine.travel(emergency.due_at + timedelta(minutes=1), tick=False):
        assert services.sla_watch() == 1
        assert services.sla_watch() == 0
    emergency.refresh_from_db()
    assert emergency.sla_state == SlaState.BREACHED
    assert (
        Notification.objects.filter(recipient=supervisor, dedup_key__contains="breached").count()
        == 1
    )


def test_a_breached_emergency_is_texted_to_the_communes_elected_official(
    emergency, elected_official
) -> None:
    StaffProfile.objects.update_or_create(
        user=elected_official, defaults={"phone": "+33600000001", "commune": emergency.commune}
    )
    with time_machine.travel(emergency.due_at + timedelta(minutes=1), tick=False):
        services.sla_watch()
    sms = Notification.objects.get(recipient=elected_official)
    assert sms.channel == "sms"
    assert emergency.reference in sms.body


def test_an_ordinary_breach_is_not_texted_to_elected_officials(
    open_incident, elected_official
) -> None:
    incident = open_incident("proprete-tag")
    StaffProfile.objects.update_or_create(
        user=elected_official, defaults={"phone": "+33600000001", "commune": incident.commune}
    )
    with time_machine.travel(incident.due_at + timedelta(minutes=1), tick=False):
        services.sla_watch()
    assert not Notification.objects.filter(recipient=elected_official).exists()


def test_an_emergency_is_due_within_the_hour_whatever_its_category(
    reference_configuration,
) -> None:
    incident = services.incident_open(
        category_code="proprete-tag",
        description="Tag injurieux devant l'école",
        lat=47.32,
        lon=5.04,
        source=services.Source.OPERATOR,
        priority=services.Priority.EMERGENCY,
    )
    assert incident.due_at - incident.created_at <= timedelta(hours=1)


def test_resolving_in_time_records_the_deadline_as_met(open_incident, lighting_crew, field_agent):
    incident = open_incident()
    services.field_action_apply(
        action_id=uuid.uuid4(), user=field_agent, task_id=incident.tasks.get().pk, kind="done"
    )
    incident.refresh_from_db()
    assert incident.sla_state == SlaState.MET
    assert services.sla_state_at(incident=incident, now=timezone.now()) == SlaState.MET
