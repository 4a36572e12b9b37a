from __future__ import annotations

import csv
import io

import pytest
from shapely.geometry import box, mapping

from hypervisor.models import AuditEntry, Commune, Crisis, StaffProfile
from hypervisor.services import CrisisError, crisis_activate, crisis_close, crisis_log


def test_a_supervisor_activates_a_crisis_on_chosen_communes(client, supervisor, territory) -> None:
    client.force_login(supervisor)
    dijon = Commune.objects.get(insee="21231")
    response = client.post(
        "/controle/crise/activer/",
        {"title": "Inondation", "severity": "critical", "communes": [dijon.pk]},
    )
    assert response.status_code == 302
    crisis = Crisis.objects.get()
    assert list(crisis.communes.all()) == [dijon]
    assert supervisor in crisis.members.all()
    assert AuditEntry.objects.filter(action="crisis.activate").exists()


def test_a_crisis_zone_drawn_on_the_map_is_kept(supervisor, territory) -> None:
    zone = mapping(box(5.02, 47.31, 5.05, 47.33))
    crisis = crisis_activate(
        title="Tempête", severity="major", commune_ids=[], zone=zone, by=supervisor
    )
    assert crisis.zone["type"] == "Polygon"


def test_a_crisis_needs_a_zone_or_communes(supervisor, territory, english) -> None:
    with pytest.raises(CrisisError, match="Draw the crisis zone"):
        crisis_activate(title="Rien", severity="major", commune_ids=[], zone=None, by=supervisor)


def test_only_one_crisis_is_active_at_a_time(supervisor, territory, english) -> None:
    ids = [Commune.objects.first().pk]
    crisis_activate(title="Un", severity="major", commune_ids=ids, zone=None, by=supervisor)
    with pytest.raises(CrisisError, match="already active"):
        crisis_activate(title="Deux", severity="major", commune_ids=ids, zone=None, by=supervisor)


def test_an_operator_cannot_activate_a_crisis(client, operator, territory) -> None:
    client.force_login(operator)
    response = client.post("/controle/crise/activer/", {"title": "X", "severity": "major"})
    assert response.status_code == 403
    assert not Crisis.objects.exists()


def test_closing_needs_a_summary_and_keeps_the_log(supervisor, territory, english) -> None:
    crisis = crisis_activate(
        title="Inondation",
        severity="critical",
        commune_ids=[Commune.objects.first().pk],
        zone=None,
        by=supervisor,
    )
    crisis_log(crisis_id=crisis.pk, kind="decision", text="Fermeture du pont", by=supervisor)
    with pytest.raises(CrisisError, match="summary"):
        crisis_close(crisis_id=crisis.pk, summary=" ", by=supervisor)
    closed = crisis_close(crisis_id=crisis.pk, summary="Décrue, réouverture", by=supervisor)
    assert closed.state == Crisis.State.CLOSED
    assert [entry.kind for entry in closed.log.all()] == ["system", "decision", "system"]
    with pytest.raises(CrisisError):
        crisis_log(crisis_id=crisis.pk, kind="message", text="trop tard", by=supervisor)


def test_an_operator_may_log_messages_but_not_decisions(
    client, operator, supervisor, territory
) -> None:
    crisis = crisis_activate(
        title="Inondation",
        severity="critical",
        commune_ids=[Commune.objects.first().pk],
        zone=None,
        by=supervisor,
    )
    client.force_login(operator)
    client.post(
        f"/controle/crise/{crisis.pk}/journal/", {"kind": "message", "text": "Route barrée"}
    )
    client.post(f"/controle/crise/{crisis.pk}/journal/", {"kind": "decision", "text": "Évacuer"})
    assert list(crisis.log.values_list("kind", flat=True)) == ["system", "message"]


def test_the_kpi_board_is_for_supervisors(client, operator, supervisor) -> None:
    client.force_login(operator)
    assert client.get("/controle/kpis/").status_code == 403
    client.force_login(supervisor)
    assert client.get("/controle/kpis/").status_code == 200


def test_the_kpi_export_is_csv_and_audited(client, supervisor) -> None:
    client.force_login(supervisor)
    response = client.get("/controle/kpis/export.csv?period=7d")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["kpi", "label", "unit"]
    assert {row[0] for row in rows[1:]} >= {"alarm-mtta", "alarms-per-day"}
    assert AuditEntry.objects.filter(action="export.kpis", actor=supervisor).exists()


def test_the_audit_log_is_for_supervisors_and_filters_by_action(
    client, supervisor, operator
) -> None:
    from hypervisor.services import audit_record

    audit_record(actor=operator, action="alarm.acknowledge", target="alarm:1", summary="A")
    audit_record(actor=operator, action="crisis.activate", target="crisis:1", summary="B")
    client.force_login(operator)
    assert client.get("/controle/journal/").status_code == 403
    client.force_login(supervisor)
    page = client.get("/controle/journal/?action=crisis").content.decode()
    assert "crisis:1" in page
    assert "alarm:1" not in page


def test_the_audit_log_lists_an_action_the_system_took_without_a_person(client, supervisor) -> None:
    from hypervisor.services import audit_record

    audit_record(actor=None, action="retention.purge", target="events", summary="Purge")
    client.force_login(supervisor)
    response = client.get("/controle/journal/")
    assert response.status_code == 200
    assert "retention.purge" in response.content.decode()


def test_an_elected_official_sees_their_commune_and_the_sms_they_were_sent(
    client, elected_official, territory
) -> None:
    from hypervisor.services import notify

    StaffProfile.objects.create(
        user=elected_official, commune=Commune.objects.get(insee="21231"), phone="+33600000042"
    )
    notify(users=[elected_official], channels=["sms"], subject="S", body="Feu en panne rue Monge")
    client.force_login(elected_official)
    page = client.get("/elus/").content.decode()
    assert "Dijon" in page
    assert "Feu en panne rue Monge" in page


def test_the_elected_board_is_refused_to_operators(client, operator) -> None:
    client.force_login(operator)
    assert client.get("/elus/").status_code == 403


def test_a_role_given_in_the_admin_is_audited_with_who_gave_it(client, db, operator) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    admin = get_user_model().objects.create_superuser("root", "root@example.org", "x" * 20)
    client.force_login(admin)
    supervisors = Group.objects.get(name="supervisor")
    response = client.post(
        f"/admin/auth/user/{operator.pk}/change/",
        {
            "username": operator.username,
            "first_name": operator.first_name,
            "last_name": operator.last_name,
            "email": "",
            "is_active": "on",
            "groups": [Group.objects.get(name="operator").pk, supervisors.pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "initial-date_joined_0": "2026-01-01",
            "initial-date_joined_1": "00:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(
        action="permissions.change", target=f"user:{operator.pk}", actor=admin
    )
    assert entry.after == {"added": ["supervisor"]}


def test_the_audit_log_shows_entries_made_by_the_system(client, supervisor) -> None:
    from hypervisor.services import audit_record

    audit_record(actor=None, action="roles.sync", target="group:operator", summary="S")
    client.force_login(supervisor)
    response = client.get("/controle/journal/")
    assert response.status_code == 200
    assert "roles.sync" in response.content.decode()
