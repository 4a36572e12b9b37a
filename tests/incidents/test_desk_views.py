"""The operator's incident pages: search, detail (page and panel), actions, and who may."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from hypervisor.roles import Role
from incidents import selectors, services
from incidents.models import IncidentNote, Status, Task
from tests.hypervisor.factories import PASSWORD, UserFactory
from tests.incidents.conftest import DARCY

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_a_reference_typed_with_spaces_and_in_lower_case_is_found(open_incident) -> None:
    incident = open_incident()
    typed = f"{incident.reference[:3].lower()} {incident.reference[3:].lower()}"
    assert list(selectors.incident_search(text=typed)) == [incident]


def test_search_by_address_words_and_filters(open_incident) -> None:
    wanted = open_incident()
    wanted.address = "12 rue de la Liberté"
    wanted.save()
    other = open_incident(category_code="proprete-tag")
    assert list(selectors.incident_search(text="liberté")) == [wanted]
    assert list(selectors.incident_search(category_code="proprete-tag")) == [other]
    assert set(selectors.incident_search(status="open")) == {wanted, other}
    assert list(selectors.incident_search(service_id=other.service_id)) == [other]
    assert list(selectors.incident_search(commune_id=wanted.commune_id, text="liberte")) == []


def test_only_past_deadline_incidents_are_overdue(open_incident) -> None:
    late = open_incident()
    late.due_at = late.created_at.replace(year=late.created_at.year - 1)
    late.save()
    open_incident()
    assert list(selectors.incident_search(overdue=True)) == [late]


def test_the_detail_holds_history_tasks_and_crews(open_incident, lighting_crew, operator) -> None:
    incident = open_incident()
    services.incident_comment_add(incident_id=incident.pk, by=operator, text="Appel riverain")
    detail = selectors.incident_detail(incident_id=incident.pk)
    assert detail is not None
    assert detail["tasks"][0]["crew"] == lighting_crew.name
    assert [option.name for option in detail["tasks"][0]["options"]] == [lighting_crew.name]
    assert any(entry["note"] == "Appel riverain" for entry in detail["history"])
    assert detail["time_left"]["running"]
    assert not detail["time_left"]["overdue"]


def test_a_task_given_back_by_a_crew_asks_for_an_operator_with_its_reason(
    open_incident, lighting_crew, field_agent
) -> None:
    import uuid

    incident = open_incident()
    task = Task.objects.get(incident=incident)
    feature = selectors.incident_map_feature(incident_id=str(incident.pk))
    assert feature is not None
    assert feature["attention"] == ""
    services.field_action_apply(
        action_id=uuid.uuid4(),
        user=field_agent,
        task_id=task.pk,
        kind="cannot_do",
        reason="Nacelle en panne",
    )
    feature = selectors.incident_map_feature(incident_id=str(incident.pk))
    assert "Nacelle en panne" in feature["attention"]
    detail = selectors.incident_detail(incident_id=incident.pk)
    assert "Nacelle en panne" in detail["attention"][0]["operator_note"]


def test_every_crew_of_the_trade_is_offered_nearest_first(
    open_incident, lighting_crew, other_crew
) -> None:
    incident = open_incident()
    task = Task.objects.get(incident=incident)
    names = [option.name for option in selectors.crew_options(task=task)]
    assert names == [lighting_crew.name, other_crew.name]


def test_the_operator_opens_the_panel_and_sees_the_actions(open_incident, operator) -> None:
    incident = open_incident()
    response = _client(operator).get(reverse("incident-panel", args=[incident.pk]))
    assert response.status_code == 200
    assert incident.reference in response.content.decode()
    assert b"Re-route" in response.content or "Réorienter".encode() in response.content


def test_an_action_in_json_answers_ok_and_a_refusal_answers_409(open_incident, operator) -> None:
    incident = open_incident()
    client = _client(operator)
    url = reverse("incident-act", args=[incident.pk, "comment"])
    ok = client.post(url, {"text": "vu"}, HTTP_ACCEPT="application/json")
    refused = client.post(url, {"text": ""}, HTTP_ACCEPT="application/json")
    assert ok.status_code == 200
    assert refused.status_code == 409
    assert refused.json()["error"]
    assert IncidentNote.objects.filter(incident=incident).count() == 1


def test_merging_by_reference_typed_with_spaces(open_incident, operator) -> None:
    master = open_incident()
    second = open_incident(at=(47.33, 5.05))
    response = _client(operator).post(
        reverse("incident-act", args=[second.pk, "duplicate"]),
        {"master": f"{master.reference[:4]} {master.reference[4:]}"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200
    second.refresh_from_db()
    assert second.status == Status.DUPLICATE
    assert second.master == master


def test_a_task_of_another_incident_cannot_be_assigned_through_this_one(
    open_incident, lighting_crew, other_crew, operator
) -> None:
    first, second = open_incident(), open_incident(at=(47.33, 5.05))
    foreign = Task.objects.get(incident=second)
    response = _client(operator).post(
        reverse("incident-act", args=[first.pk, "assign"]),
        {"task_id": foreign.pk, "crew_id": other_crew.pk},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 404


def test_the_search_page_lists_what_it_found(open_incident, supervisor) -> None:
    incident = open_incident()
    response = _client(supervisor).get(reverse("incident-search"), {"q": incident.reference})
    assert response.status_code == 200
    assert f'data-incident-id="{incident.pk}"'.encode() in response.content


@pytest.mark.parametrize(
    "role", [Role.FIELD_AGENT, Role.TELEOPERATOR, Role.POLICE, Role.ELECTED_OFFICIAL]
)
def test_other_roles_cannot_act_on_an_incident(open_incident, role) -> None:
    incident = open_incident()
    user = UserFactory(username=f"u-{role.value}", roles=[role])
    response = _client(user).post(
        reverse("incident-act", args=[incident.pk, "comment"]), {"text": "x"}
    )
    assert response.status_code == 403
    assert not IncidentNote.objects.exists()


def test_a_field_agent_cannot_read_the_detail_or_search(open_incident, field_agent) -> None:
    incident = open_incident()
    client = _client(field_agent)
    assert client.get(reverse("incident-page", args=[incident.pk])).status_code == 403
    assert client.get(reverse("incident-search")).status_code == 403


def test_the_dispatch_queue_shows_reports_to_locate(reference_configuration, operator) -> None:
    incident = services.incident_open(
        category_code="eclairage-panne",
        description="x",
        lat=None,
        lon=None,
        address="quelque part",
        source=services.Source.PHONE,
    )
    response = _client(operator).get(reverse("dispatch-queue"))
    assert f'data-incident-id="{incident.pk}"'.encode() in response.content
    services.incident_locate(incident_id=incident.pk, lat=DARCY[0], lon=DARCY[1], by=operator)
    response = _client(operator).get(reverse("dispatch-queue"))
    assert f'data-incident-id="{incident.pk}"'.encode() not in response.content


def test_an_alarm_opens_the_panel_of_the_incident_it_opened(open_incident, operator) -> None:
    from tests.hypervisor.test_alarm_search import _alarm

    alarm = _alarm("Feu éteint carrefour Darcy")
    client = _client(operator)
    url = reverse("incident-panel-for-alarm", args=[alarm.pk])
    assert client.get(url).status_code == 204  # positive control: no incident yet
    incident = open_incident(alarm_id=alarm.pk)
    response = client.get(url)
    assert response.status_code == 200
    assert f'data-incident-id="{incident.pk}"'.encode() in response.content


def test_the_control_room_reads_how_many_incidents_wait_to_be_located(
    reference_configuration, operator
) -> None:
    client = _client(operator)
    url = reverse("incident-to-locate-count")
    assert client.get(url).json() == {"count": 0}  # positive control
    services.incident_open(
        category_code="eclairage-panne",
        description="x",
        lat=None,
        lon=None,
        source=services.Source.PHONE,
    )
    assert client.get(url).json() == {"count": 1}
