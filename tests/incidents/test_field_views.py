"""The tablet's pages and API: who may use them, and what each agent sees."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from incidents.models import TaskStatus


@pytest.fixture
def task(open_incident, lighting_crew):  # type: ignore[no-untyped-def]
    return open_incident().tasks.get()


def _action(client, task, kind: str = "done", action_id: str | None = None, **extra):  # type: ignore[no-untyped-def]
    data = {"action_id": action_id or str(uuid.uuid4()), "task_id": task.pk, "kind": kind, **extra}
    return client.post(reverse("field-task-action"), data)


def test_an_agent_sees_the_crews_tasks_on_the_tablet(client, field_agent, task) -> None:
    client.force_login(field_agent)
    page = client.get("/terrain/")
    assert page.status_code == 200
    assert task.incident.reference in page.content.decode()
    assert 'rel="manifest"' in page.content.decode()


def test_an_operator_is_refused_the_tablet(client, operator) -> None:
    client.force_login(operator)
    assert client.get("/terrain/").status_code == 403


def test_a_visitor_is_sent_to_the_login_page(client, db) -> None:
    response = client.get("/terrain/")
    assert response.status_code == 302
    assert "/connexion/" in response["Location"]


def test_an_agent_of_another_crew_cannot_see_the_task(client, other_agent, other_crew, task):
    client.force_login(other_agent)
    assert client.get(reverse("field-task-detail", args=[task.pk])).status_code == 403
    listed = client.get(reverse("field-task-list")).json()["tasks"]
    assert listed == []


def test_an_agent_of_another_crew_cannot_complete_the_task(client, other_agent, other_crew, task):
    client.force_login(other_agent)
    response = _action(client, task, note="Pas à moi")
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.status == TaskStatus.ASSIGNED


def test_the_same_action_sent_twice_is_applied_once(client, field_agent, task) -> None:
    client.force_login(field_agent)
    action_id = str(uuid.uuid4())
    first = _action(client, task, action_id=action_id, note="Fait")
    second = _action(client, task, action_id=action_id, note="Fait")
    assert first.status_code == second.status_code == 200
    assert second.json()["replayed"] is True
    assert task.steps.filter(kind="done").count() == 1


def test_completing_twice_answers_with_a_clear_conflict(client, field_agent, task) -> None:
    client.force_login(field_agent)
    _action(client, task, note="Fait")
    again = _action(client, task, note="Fait")
    assert again.status_code == 409
    assert "déjà" in again.json()["error"]


def test_a_refused_photo_says_why_and_records_nothing(client, field_agent, task) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(field_agent)
    fake = SimpleUploadedFile("photo.jpg", b"not an image", content_type="image/jpeg")
    response = _action(client, task, note="Note", photos=fake)
    assert response.status_code == 400
    assert "image" in response.json()["error"]
    task.refresh_from_db()
    assert task.status == TaskStatus.ASSIGNED


def test_a_malformed_action_is_refused(client, field_agent, task) -> None:
    client.force_login(field_agent)
    assert client.post(reverse("field-task-action"), {"task_id": task.pk}).status_code == 400


def test_the_tablet_position_moves_the_crew(client, field_agent, lighting_crew) -> None:
    client.force_login(field_agent)
    response = client.post(reverse("field-position"), {"lat": "47.33", "lon": "5.04"})
    assert response.status_code == 200
    lighting_crew.refresh_from_db()
    assert (lighting_crew.lat, lighting_crew.lon) == (47.33, 5.04)


def test_an_impossible_position_is_refused(client, field_agent, lighting_crew) -> None:
    client.force_login(field_agent)
    assert client.post(reverse("field-position"), {"lat": "123", "lon": "5"}).status_code == 400


def test_the_service_worker_controls_the_tablet_pages(client, db) -> None:
    response = client.get("/terrain/sw.js")
    assert response.status_code == 200
    assert response["Service-Worker-Allowed"] == "/terrain/"
    assert "/terrain/" in response.content.decode()


def test_the_web_app_manifest_makes_the_tablet_installable(client, db) -> None:
    manifest = client.get("/terrain/manifest.webmanifest").json()
    assert manifest["start_url"] == "/terrain/"
    assert manifest["display"] == "standalone"


def test_the_operator_assigns_from_the_queue(client, operator, open_incident, lighting_crew):
    from incidents import services

    task = open_incident().tasks.get()
    services.field_action_apply(
        action_id=uuid.uuid4(),
        user=lighting_crew.members.get().user,
        task_id=task.pk,
        kind="cannot_do",
        reason="Nacelle",
    )
    client.force_login(operator)
    assert task.incident.reference in client.get("/interventions/").content.decode()
    response = client.post(reverse("task-assign", args=[task.pk]), {"crew_id": lighting_crew.pk})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.crew == lighting_crew


def test_assigning_an_off_shift_crew_answers_with_a_conflict(
    client, operator, task, other_crew
) -> None:
    from incidents import services

    services.shift_end_now(crew_id=other_crew.pk)
    client.force_login(operator)
    response = client.post(
        reverse("task-assign", args=[task.pk]),
        {"crew_id": other_crew.pk},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 409
    assert other_crew.name in response.json()["error"]


def test_a_field_agent_is_refused_the_dispatch_queue(client, field_agent) -> None:
    client.force_login(field_agent)
    assert client.get("/interventions/").status_code == 403


def test_the_operator_rejects_an_incident_and_the_reporter_is_told_why(
    client, operator, open_incident
) -> None:
    from incidents import selectors

    incident = open_incident()
    client.force_login(operator)
    response = client.post(
        reverse("incident-action", args=[incident.pk, "reject"]), {"reason": "Voie privée"}
    )
    assert response.status_code == 200
    assert selectors.incident_public_view(incident_id=incident.pk)["reason"] == "Voie privée"


def test_a_rejection_without_reason_is_a_conflict_with_the_message(client, operator, open_incident):
    incident = open_incident()
    client.force_login(operator)
    response = client.post(reverse("incident-action", args=[incident.pk, "reject"]), {})
    assert response.status_code == 409
    assert response.json()["error"]


def test_the_operator_marks_a_duplicate(client, operator, open_incident) -> None:
    master, second = open_incident(), open_incident()
    client.force_login(operator)
    response = client.post(
        reverse("incident-action", args=[second.pk, "duplicate"]), {"master_id": master.pk}
    )
    assert response.status_code == 200
    second.refresh_from_db()
    assert second.master == master


def test_a_field_agent_cannot_reject_an_incident(client, field_agent, open_incident) -> None:
    incident = open_incident()
    client.force_login(field_agent)
    response = client.post(
        reverse("incident-action", args=[incident.pk, "reject"]), {"reason": "Non"}
    )
    assert response.status_code == 403


def test_the_operator_reopens_a_resolved_incident_with_a_note(
    client, operator, open_incident
) -> None:
    from incidents.models import Incident, Status

    incident = open_incident()
    Incident.objects.filter(pk=incident.pk).update(status=Status.RESOLVED)
    client.force_login(operator)
    response = client.post(
        reverse("incident-action", args=[incident.pk, "reopen"]), {"reason": "Rappel du riverain"}
    )
    assert response.status_code == 200
    step = incident.transitions.last()
    assert (step.to_status, step.note, step.by) == (Status.ROUTED, "Rappel du riverain", operator)


def test_reopening_an_open_incident_is_a_conflict(client, operator, open_incident) -> None:
    incident = open_incident()
    client.force_login(operator)
    response = client.post(reverse("incident-action", args=[incident.pk, "reopen"]), {})
    assert response.status_code == 409


def test_a_task_names_the_nearest_address_of_the_gazetteer(open_incident, lighting_crew) -> None:
    from hypervisor import services as hypervisor_services
    from hypervisor.places import StreetRecord
    from incidents.selectors import crew_task_list

    hypervisor_services.places_set_demo_streets(
        streets=[StreetRecord(commune_insee="21231", street="Place Darcy", lat=47.3226, lon=5.0318)]
    )
    open_incident()
    assert [task["address"] for task in crew_task_list(crew=lighting_crew)] == [
        "Place Darcy, Dijon"
    ]
