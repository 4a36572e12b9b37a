"""The equipment pages as their users see them, in a real browser."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lighting.models import MonthlyEnergy
from tests.lighting.factories import CabinetFactory
from tests.traffic.factories import CameraFactory

pytestmark = pytest.mark.e2e


def test_a_supervisor_sees_the_energy_chart_and_the_savings_target(
    real_services, open_page, asgi_server, supervisor
) -> None:
    month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    MonthlyEnergy.objects.create(
        cabinet=CabinetFactory(), month=month, measured_kwh=30, estimated_kwh=30, baseline_kwh=100
    )
    page = open_page(width=1280, height=900, username=supervisor.username)
    page.goto(f"{asgi_server.url}/eclairage/")
    assert page.get_by_test_id("savings").inner_text().count("−70,0 %") == 1
    # Chart.js drew into the canvas: it has a rendered size.
    assert page.locator("#energy-chart").bounding_box()["height"] > 50


def test_a_police_officer_files_an_evidence_request_in_french(
    real_services, open_page, asgi_server, police_officer
) -> None:
    CameraFactory(reference="CAM-042", name="place Darcy")
    page = open_page(width=1280, height=900, username=police_officer.username)
    page.goto(f"{asgi_server.url}/cameras/registre/")
    start = timezone.localtime() - timedelta(days=1)
    page.fill("input[name=procedure_reference]", "PV 2026/314")
    page.fill("input[name=authority]", "Commissariat central")
    page.select_option("select[name=cameras]", ["CAM-042"])
    page.fill("input[name=starts_at]", start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=ends_at]", (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("textarea[name=motive]", "Vol avec violence")
    page.get_by_role("button", name="Déposer la demande").click()
    page.wait_for_load_state()
    assert "En attente de décision" in page.content()
    assert "PV 2026/314" in page.content()
