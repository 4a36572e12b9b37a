"""The lighting board: who may see it and what it shows."""

from __future__ import annotations

from datetime import date, timedelta

from hypervisor.models import AuditEntry
from lighting.models import LightPoint, MonthlyEnergy
from tests.lighting.factories import CabinetFactory


def test_a_supervisor_sees_the_energy_savings_against_the_target(client, supervisor) -> None:
    cabinet = CabinetFactory()
    MonthlyEnergy.objects.create(
        cabinet=cabinet, month=(date.today().replace(day=1) - timedelta(days=1)).replace(day=1),
        measured_kwh=40, estimated_kwh=40, baseline_kwh=100,
    )  # fmt: skip
    client.force_login(supervisor)
    page = client.get("/eclairage/")
    assert page.status_code == 200
    assert "−60,0 %" in page.content.decode()


def test_a_field_agent_may_not_see_the_lighting_board(client, field_agent) -> None:
    client.force_login(field_agent)
    assert client.get("/eclairage/").status_code == 403


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, db) -> None:
    assert client.get("/eclairage/").status_code == 302


def test_an_operator_forces_the_lighting_of_a_commune(client, operator, lamps, territory) -> None:
    client.force_login(operator)
    response = client.post(
        "/eclairage/forcage/",
        {"commune_insee": "21231", "level": "100", "hours": "3", "reason": "Fête des Lumières"},
    )
    assert response.status_code == 302
    assert set(LightPoint.objects.values_list("level", flat=True)) == {100}
    assert AuditEntry.objects.filter(action="lighting.override").exists()


def test_an_elected_official_may_see_the_board_but_not_force_the_lighting(
    client, elected_official, territory
) -> None:
    client.force_login(elected_official)
    assert client.get("/eclairage/").status_code == 200
    response = client.post(
        "/eclairage/forcage/", {"commune_insee": "21231", "level": "0", "hours": "1", "reason": "x"}
    )
    assert response.status_code == 403
