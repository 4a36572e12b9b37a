"""The sections other apps add to the incident detail, in Chromium at 1920×1080: the phone
calls and the transit lines, on the incident's page and in the control room's panel, with no
CSP violation and no serious accessibility violation; the transport operator notified from
the panel."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from citizens.models import CallReason
from citizens.services import call_log
from hypervisor.models import Notification
from incidents.models import Incident, Source
from incidents.services import incident_open
from mobility.models import IncidentTransitImpact, TransportOperatorContact
from tests.e2e.test_accessibility import _axe_source, axe_violations
from tests.e2e.test_csp import RECORD_VIOLATIONS

pytestmark = pytest.mark.e2e

DARCY = (47.3225, 5.0317)


@pytest.fixture
def obstacle_at_darcy(real_services, reference_configuration, teleoperator) -> Incident:  # type: ignore[no-untyped-def]
    """A lorry across the road at Darcy: two calls about it, three lines nearby.

    Written in a thread of its own: the after-commit pushes must not run beside
    Playwright's event loop, which owns the test thread.
    """
    found: list[Incident] = []
    thread = threading.Thread(target=lambda: found.append(_seed(teleoperator)))
    thread.start()
    thread.join()
    return found[0]


def _seed(teleoperator) -> Incident:  # type: ignore[no-untyped-def]
    incident = incident_open(
        category_code="voirie-obstacle", description="Camion en travers de la chaussée",
        lat=DARCY[0], lon=DARCY[1], source=Source.PHONE,
    )  # fmt: skip
    TransportOperatorContact.objects.create(
        category_code="voirie-obstacle", recipient_name="PC Divia", email="pc@divia.example"
    )
    IncidentTransitImpact.objects.create(
        incident_id=incident.pk, reference=incident.reference, category_code="voirie-obstacle",
        lat=DARCY[0], lon=DARCY[1], found_at=timezone.now(),
        lines=[
            {"route_id": "T1", "name": "T1 Dijon Gare – Quetigny", "stops": ["Darcy"]},
            {"route_id": "T2", "name": "T2 Dijon Gare – Chenôve", "stops": ["Darcy"]},
            {"route_id": "CITY", "name": "Diviaciti", "stops": []},
        ],
    )  # fmt: skip
    teleoperator.first_name, teleoperator.last_name = "Théa", "Morel"
    teleoperator.save()
    call_log(reason=CallReason.NEW_REPORT, note="Camion en panne devant l'arrêt Darcy",
             incident_id=incident.pk, taken_by=teleoperator)  # fmt: skip
    call_log(reason=CallReason.FOLLOW_UP, note="Le tram est bloqué, quand est-ce dégagé ?",
             incident_id=incident.pk, taken_by=teleoperator)  # fmt: skip
    return incident


def test_the_incident_page_shows_the_calls_and_the_lines_without_violation(
    obstacle_at_darcy, operator, open_page, asgi_server, tmp_path: Path
) -> None:
    page = open_page(width=1920, height=1080, username=operator.username)
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(f"{asgi_server.url}/controle/incidents/{obstacle_at_darcy.pk}/")
    calls = page.locator('[data-section="citizen-calls"]')
    transit = page.locator('[data-section="transit-impact"]')
    expect(calls.get_by_role("heading", name="Appels téléphoniques")).to_be_visible()
    expect(calls.get_by_test_id("call-list").locator("li")).to_have_count(2)
    expect(calls).to_contain_text("pris par Théa Morel")
    expect(transit.get_by_role("heading", name="Transports en commun touchés")).to_be_visible()
    expect(transit.get_by_test_id("transit-lines")).to_contain_text("T1 Dijon Gare – Quetigny")
    notify = transit.get_by_role("button", name="Prévenir l'exploitant des transports")
    expect(notify).to_be_visible()
    transit.scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "incident-page.png"), full_page=True)
    assert page.evaluate("window.__cspViolations") == []
    assert axe_violations(page, _axe_source()) == []


def test_the_operator_notifies_the_transport_operator_from_the_control_room_panel(
    obstacle_at_darcy, operator, open_page, asgi_server, tmp_path: Path
) -> None:
    room = open_page(width=1920, height=1080, username=operator.username)
    room.add_init_script(RECORD_VIOLATIONS)
    room.goto(f"{asgi_server.url}/controle/")
    expect(room.locator("#live-status")).to_have_attribute("data-state", "live")
    room.evaluate(
        "id => document.dispatchEvent(new CustomEvent('ondijon:feature-open',"
        " {detail: {layer: 'incidents', id}}))",
        obstacle_at_darcy.pk,
    )
    panel = room.locator("#incident-desk")
    transit = panel.locator('[data-section="transit-impact"]')
    expect(panel.locator('[data-section="citizen-calls"] li')).to_have_count(2)
    button = transit.get_by_role("button", name="Prévenir l'exploitant des transports")
    button.scroll_into_view_if_needed()
    room.screenshot(path=str(tmp_path / "control-room-panel.png"))
    button.click()
    # The panel is read again: the notification says when, by whom and to whom.
    expect(transit.get_by_test_id("transport-notified")).to_contain_text("PC Divia")
    expect(transit.get_by_role("button")).to_have_count(0)
    room.screenshot(path=str(tmp_path / "control-room-panel-notified.png"))
    assert Notification.objects.filter(address="pc@divia.example").count() == 1
    assert room.evaluate("window.__cspViolations") == []
