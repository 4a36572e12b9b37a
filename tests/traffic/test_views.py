"""Traffic pages: the register for police and supervisors only; the right role per action."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from traffic.models import EvidenceRequest


def test_a_police_officer_opens_the_evidence_register(client, police_officer) -> None:
    client.force_login(police_officer)
    assert client.get("/cameras/registre/").status_code == 200


def test_an_operator_may_not_open_the_evidence_register(client, operator) -> None:
    client.force_login(operator)
    assert client.get("/cameras/registre/").status_code == 403


def test_a_police_officer_files_a_request_from_the_register_page(
    client, police_officer, camera
) -> None:
    client.force_login(police_officer)
    start = timezone.localtime() - timedelta(days=1)
    response = client.post(
        "/cameras/registre/demande/",
        {
            "procedure_reference": "PV 2026/77",
            "authority": "Police nationale",
            "cameras": ["CAM-001"],
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "motive": "Cambriolage",
        },
    )
    assert response.status_code == 302
    assert EvidenceRequest.objects.filter(procedure_reference="PV 2026/77").exists()


def test_a_supervisor_may_not_file_a_request(client, supervisor, camera) -> None:
    client.force_login(supervisor)
    assert client.post("/cameras/registre/demande/", {}).status_code == 403


def test_a_police_officer_may_not_approve_a_request(client, police_officer, filed_request) -> None:
    client.force_login(police_officer)
    url = f"/cameras/registre/{filed_request.pk}/decision/"
    assert client.post(url, {"approve": "on"}).status_code == 403


def test_a_supervisor_approves_from_the_register_page(client, supervisor, filed_request) -> None:
    client.force_login(supervisor)
    client.post(f"/cameras/registre/{filed_request.pk}/decision/", {"approve": "on"})
    assert filed_request.entries.filter(kind="approved").exists()


def test_the_register_export_is_a_csv_file(client, supervisor, filed_request) -> None:
    client.force_login(supervisor)
    response = client.get("/cameras/registre/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert filed_request.reference in response.content.decode()


def test_an_operator_sees_signal_availability(client, operator, crossroad) -> None:
    client.force_login(operator)
    page = client.get("/signalisation/")
    assert page.status_code == 200
    assert "100 %" in page.content.decode()


def test_an_elected_official_may_not_command_a_bollard(client, elected_official, db) -> None:
    from tests.traffic.factories import BollardFactory

    bollard = BollardFactory()
    client.force_login(elected_official)
    url = f"/signalisation/bornes/{bollard.reference}/commande/"
    assert client.post(url, {"lower": "on", "reason": "x"}).status_code == 403
