"""A shift's workflows in Chromium at the operator's 1920×1080: the signal procedure's
accident branch to its end, a crisis seen on another screen, today's incidents on the KPIs."""

from __future__ import annotations

import importlib
import time
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.utils import timezone
from playwright.sync_api import expect

from hypervisor.models import Alarm, Commune, Procedure, StaffProfile
from incidents.models import Incident, Task, Trade
from tests.incidents.factories import CrewFactory

pytestmark = pytest.mark.e2e

DARCY = (47.3225, 5.0317)


def _signal_procedure() -> None:
    """The seeded procedure, as its migrations write it (a flushed test database has none)."""
    if Procedure.objects.filter(code="traffic-signal-fault").exists():
        return
    for name, function in (
        ("0007_traffic_signal_procedure", "create"),
        ("0010_signal_procedure_warns_police", "forward"),
    ):
        module = importlib.import_module(f"hypervisor.migrations.{name}")
        getattr(module, function)(django_apps, None)


def _wait_for(condition, timeout: float = 15.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.2)


def _login(open_page, server, user, path: str):  # type: ignore[no-untyped-def]
    page = open_page(width=1920, height=1080, username=user.username)
    page.goto(f"{server.url}{path}")
    return page


def test_the_accident_branch_ends_with_a_crew_dispatched_and_the_alarm_acknowledged(
    real_services,
    celery_worker,
    reference_configuration,
    operator,
    police_officer,
    elected_official,
    open_page,
    asgi_server,
) -> None:
    from traffic import services as traffic_services
    from traffic.models import Crossroad

    _signal_procedure()
    StaffProfile.objects.create(
        user=elected_official, commune=Commune.objects.get(insee="21231"), phone="+33639980001"
    )
    StaffProfile.objects.create(user=police_officer, phone="+33639980017")
    crew = CrewFactory(
        code="signalisation-e2e",
        name="Signalisation 1",
        trades=[Trade.objects.get(code="signalisation")],
        lat=47.3230,
        lon=5.0340,
    )
    crossroad = Crossroad.objects.create(
        reference="CRF-E2E",
        name="Place Darcy / Boulevard de Sévigné",
        commune_insee="21231",
        lat=DARCY[0],
        lon=DARCY[1],
        controller_id="CTRL-E2E",
    )
    page = _login(open_page, asgi_server, operator, "/controle/")
    expect(page.locator("#live-status")).to_have_attribute("data-state", "live")
    traffic_services.crossroad_state_set(crossroad=crossroad, state="dark", fault_code="E40")
    row = page.locator(".alarm-item", has_text="Place Darcy")
    expect(row).to_be_visible()
    expect(row.get_by_test_id("alarm-place")).to_contain_text("Dijon")

    row.locator("[data-action=procedure]").click()
    drawer = page.locator("#procedure-drawer")
    expect(drawer).to_be_visible()
    done = page.locator("#procedure-done li")
    # Start; the works question answers itself, then: accident? yes; call the referee;
    # text the elected official; warn the police; dispatch the signalling crew.
    for expected_done in (1, 2, 3, 4, 5, 7):  # the last click records the step and the end
        page.locator("#procedure-current button").first.click()
        expect(done).to_have_count(expected_done)
    expect(page.locator(".step-finished")).to_be_visible()
    expect(row).to_have_attribute("data-state", "acknowledged")

    alarm = Alarm.objects.get(asset_id="CRF-E2E")
    assert alarm.state == "acknowledged"
    assert alarm.acknowledged_by == operator
    incident = Incident.objects.get(category__code="signalisation-feu")
    _wait_for(lambda: Task.objects.filter(incident=incident, crew=crew).exists())


def test_a_crisis_activated_on_one_screen_appears_on_another(
    real_services, territory, supervisor, operator, open_page, asgi_server
) -> None:
    room = _login(open_page, asgi_server, operator, "/controle/")
    expect(room.locator("#live-status")).to_have_attribute("data-state", "live")
    banner = room.locator("#crisis-banner")
    expect(banner).to_be_hidden()

    cell = _login(open_page, asgi_server, supervisor, "/controle/crise/")
    cell.fill("input[name=title]", "Crue de l'Ouche")
    cell.locator("label", has_text="Dijon").first.click()
    cell.locator("#crisis-form button[type=submit]").click()
    expect(cell.locator("h1")).to_contain_text("Crue de l'Ouche")

    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Crue de l'Ouche")
    expect(room.locator("[data-crisis-link]")).to_have_class("crisis-link")

    cell.fill("textarea[name=summary]", "Décrue, réouverture des quais.")
    cell.locator("form[action$='/cloture/'] button[type=submit]").click()
    expect(banner).to_be_hidden()


def test_the_kpi_board_counts_an_incident_reported_a_minute_ago(
    real_services, reference_configuration, supervisor, open_page, asgi_server
) -> None:
    from incidents import services as incident_services

    incident = incident_services.incident_open(
        category_code="voirie-nid-de-poule",
        description="Nid-de-poule rue Monge",
        lat=47.3195,
        lon=5.0370,
        source=incident_services.Source.PHONE,
    )
    Incident.objects.filter(pk=incident.pk).update(created_at=timezone.now() - timedelta(minutes=1))
    page = _login(open_page, asgi_server, supervisor, "/controle/kpis/?period=7d")
    figure = page.locator("[data-kpi='incidents.per_commune'] .kpi-value")
    expect(figure).to_have_text("1")
