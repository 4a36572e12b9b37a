"""Fields the server sets cannot be written by a client: sent anyway, they are ignored.

Every endpoint that accepts writes is sent, beside its real fields, the ones the server
decides (ids, references, tokens, statuses, sources, priorities, owners, dates), and the
stored record must show the server's values.
"""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from citizens.models import Report
from hypervisor.models import Alarm, Crisis, TelemetryReading
from incidents import services as incident_services
from incidents.models import Crew, Priority, Source, Status, TaskStatus, TaskStep, Transition
from opendata.models import ApiKey
from tests.incidents.factories import CrewFactory
from tests.security.world import World
from traffic.models import EvidenceRequest

LONG_AGO = "2001-01-01T00:00:00+00:00"


def _as(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def _recent(moment) -> bool:  # type: ignore[no-untyped-def]
    return abs(timezone.now() - moment) < timedelta(minutes=5)


def test_telemetry_ignores_a_reading_s_claims_about_its_gateway_and_reception(
    world: World, db
) -> None:
    other_gateway_id = world.gateway.pk + 1000
    reading = {
        "message_id": "forged-1",
        "asset_type": "crossroad",
        "asset_id": "CAR-MATRIX",
        "measured_at": timezone.now().isoformat(),
        "values": {"state": "normal"},
        "gateway": other_gateway_id,
        "gateway_id": other_gateway_id,
        "received_at": LONG_AGO,
        "id": 1,
    }
    response = Client().post(
        "/api/v1/telemetry/",
        json.dumps([reading]),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {world.gateway_token}",
    )
    assert response.json()["accepted"] == 1
    stored = TelemetryReading.objects.get(message_id="forged-1")
    assert stored.gateway_id == world.gateway.pk
    assert _recent(stored.received_at)


def test_open311_sets_the_reference_token_status_source_and_priority_itself(
    world: World, db, settings
) -> None:
    settings.OPEN311_API_KEYS = ["app-key"]
    response = Client().post(
        "/open311/v2/requests.json",
        {
            "api_key": "app-key",
            "service_code": "voirie-nid-de-poule",
            "lat": "47.3300",
            "long": "5.0500",
            "description": "Nid de poule profond",
            "service_request_id": "FORGED",
            "token": "forged-token",
            "status": "closed",
            "source": "operator",
            "priority": "emergency",
            "requested_datetime": LONG_AGO,
            "agency_responsible": "Nobody",
        },
    )
    created = response.json()[0]
    assert response.status_code == 201
    assert created["service_request_id"] != "FORGED"
    assert created["token"] != "forged-token"
    report = Report.objects.get(reference=created["service_request_id"])
    assert report.source == Source.OPEN311
    assert _recent(report.created_at)
    incident = report.incident
    assert incident.status in (Status.NEW, Status.ROUTED, Status.ASSIGNED)
    assert incident.priority != Priority.EMERGENCY


def test_the_citizen_form_sets_what_a_citizen_cannot_choose(world: World, db) -> None:
    response = Client().post(
        "/signaler/",
        {
            "category": "voirie-nid-de-poule",
            "description": "Nid de poule profond rue Monge",
            "lat": "47.3300",
            "lon": "5.0500",
            "submit_anyway": "1",
            "source": "operator",
            "priority": "emergency",
            "status": "closed",
            "reference": "FORGED",
            "token": "forged-token",
            "incident": str(world.incident.pk),
            "contact_hidden": "on",
            "created_at": LONG_AGO,
        },
    )
    assert response.status_code == 302
    report = Report.objects.latest("pk")
    assert (report.reference, report.token) != ("FORGED", "forged-token")
    assert report.source == Source.WEB
    assert report.incident_id != world.incident.pk
    assert not report.contact_hidden
    assert _recent(report.created_at)
    assert report.incident.priority != Priority.EMERGENCY


def test_the_phone_portal_files_reports_as_phone_calls(world: World, db) -> None:
    response = _as(world, "teleoperator").post(
        "/portail/",
        {
            "action": "report",
            "category": "voirie-nid-de-poule",
            "description": "Nid de poule signalé par téléphone",
            "place": "Dijon",
            "caller_number": "",
            "source": "web",
            "priority": "emergency",
        },
    )
    assert response.status_code == 302
    report = Report.objects.latest("pk")
    assert report.source == Source.PHONE
    assert report.incident.priority != Priority.EMERGENCY


def test_an_api_key_request_cannot_choose_its_key_state_or_date(world: World, db) -> None:
    response = Client().post(
        "/opendata/cle-api/",
        {
            "name": "Projet",
            "email": "dev@example.org",
            "purpose": "Carte",
            "prefix": "AAAAAAAA",
            "key_hash": "0" * 64,
            "active": "false",
            "created_at": LONG_AGO,
        },
    )
    assert response.status_code == 200
    key = ApiKey.objects.get(email="dev@example.org")
    assert key.prefix != "AAAAAAAA"
    assert key.key_hash != "0" * 64
    assert key.active
    assert _recent(key.created_at)


def test_a_tablet_action_is_recorded_for_its_agent_whatever_it_claims(world: World, db) -> None:
    operator = world.users["operator"]
    response = _as(world, "field_agent").post(
        "/api/v1/field/actions/",
        {
            "action_id": str(uuid.uuid4()),
            "task_id": str(world.task.pk),
            "kind": "start",
            "status": "done",
            "by": str(operator.pk),
            "user": str(operator.pk),
            "crew_id": "999",
            "at": LONG_AGO,
        },
    )
    assert response.status_code == 200
    world.task.refresh_from_db()
    assert world.task.status == TaskStatus.IN_PROGRESS
    step = TaskStep.objects.filter(task=world.task).latest("pk")
    assert step.by == world.users["field_agent"]
    assert _recent(step.at)


def test_a_tablet_moves_only_its_own_crew(world: World, db) -> None:
    other = CrewFactory(code="other-crew", lat=47.30, lon=5.00)
    response = _as(world, "field_agent").post(
        "/api/v1/field/position/", {"lat": "47.3300", "lon": "5.0500", "crew_id": str(other.pk)}
    )
    assert response.status_code == 200
    assert Crew.objects.get(pk=world.task.crew_id).lat == 47.33
    other.refresh_from_db()
    assert (other.lat, other.lon) == (47.30, 5.00)


def test_an_acknowledgement_is_the_operator_s_own_and_now(world: World, db) -> None:
    supervisor = world.users["supervisor"]
    response = _as(world, "operator").post(
        f"/controle/alarmes/{world.alarm.pk}/acquitter/",
        json.dumps(
            {
                "comment": "vu",
                "acknowledged_by": supervisor.pk,
                "acknowledged_at": LONG_AGO,
                "state": "cleared",
                "severity": "minor",
            }
        ),
        content_type="application/json",
    )
    assert response.json() == {"state": "acknowledged"}
    alarm = Alarm.objects.get(pk=world.alarm.pk)
    assert alarm.acknowledged_by == world.users["operator"]
    assert _recent(alarm.acknowledged_at)
    assert alarm.severity == world.alarm.severity


def test_an_evidence_request_is_filed_by_its_officer_with_a_reference_of_the_register(
    world: World, db
) -> None:
    starts = timezone.localtime() - timedelta(days=1)
    response = _as(world, "police").post(
        "/cameras/registre/demande/",
        {
            "procedure_reference": "PV 2026/0042",
            "authority": "Commissariat central",
            "cameras": ["CAM-MATRIX"],
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "motive": "Vol",
            "reference": "FORGED",
            "filed_by": str(world.users["supervisor"].pk),
            "filed_at": LONG_AGO,
        },
    )
    assert response.status_code == 302
    filed = EvidenceRequest.objects.get(procedure_reference="PV 2026/0042")
    assert filed.reference != "FORGED"
    assert filed.filed_by == world.users["police"]
    assert _recent(filed.filed_at)


def test_an_operator_s_decision_on_an_incident_is_recorded_as_theirs(world: World, db) -> None:
    incident = incident_services.incident_open(
        category_code="voirie-nid-de-poule",
        description="Signalement en double",
        lat=47.33,
        lon=5.05,
        source=Source.OPERATOR,
    )
    response = _as(world, "operator").post(
        f"/api/v1/incidents/{incident.pk}/reject/",
        {"reason": "Hors compétence", "by": str(world.users["supervisor"].pk), "to": "closed"},
    )
    assert response.status_code == 200
    transition = Transition.objects.filter(incident=incident).latest("pk")
    assert (transition.to_status, transition.by) == (Status.REJECTED, world.users["operator"])


def test_a_crisis_is_activated_by_the_supervisor_who_asks(world: World, db) -> None:
    Crisis.objects.update(state=Crisis.State.CLOSED, closed_at=timezone.now())
    response = _as(world, "supervisor").post(
        "/controle/crise/activer/",
        {
            "title": "Tempête",
            "severity": "major",
            "communes": [str(world.crisis.communes.first().pk)],
            "activated_by": str(world.users["operator"].pk),
            "activated_at": LONG_AGO,
        },
    )
    assert response.status_code == 302
    crisis = Crisis.objects.latest("pk")
    assert crisis.title == "Tempête"
    assert crisis.activated_by == world.users["supervisor"]
    assert _recent(crisis.activated_at)
