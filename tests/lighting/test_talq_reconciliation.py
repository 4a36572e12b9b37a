"""Operators match the devices a gateway declared that the inventory does not know."""

from __future__ import annotations

import uuid

import pytest

from hypervisor.models import AuditEntry
from lighting.models import TalqDevice
from lighting.talq.services import talq_devices_declare
from tests.lighting.talq_factories import lamp_device


@pytest.fixture
def unknown_device(talq_gateway):  # type: ignore[no-untyped-def]
    gateway, _secret = talq_gateway
    devices, _refused = talq_devices_declare(
        gateway=gateway, devices=[lamp_device("LC-4711", address=uuid.uuid4())]
    )
    return devices[0]


def test_the_reconciliation_list_shows_unmatched_devices_to_the_operator(
    client, operator, unknown_device
) -> None:
    client.force_login(operator)
    response = client.get("/eclairage/passerelles/rapprochement/")
    assert response.status_code == 200
    assert "LC-4711" in response.content.decode()


def test_an_operator_matches_a_device_to_a_light_point(
    client, operator, unknown_device, lamps
) -> None:
    client.force_login(operator)
    response = client.post(
        f"/eclairage/passerelles/rapprochement/{unknown_device.pk}/",
        {"reference": lamps[0].reference},
    )
    assert response.status_code == 302
    assert TalqDevice.objects.get().light_point == lamps[0]
    assert AuditEntry.objects.filter(action="talq.device_reconcile").exists()


def test_a_reference_the_inventory_lacks_is_refused_with_a_message(
    client, operator, unknown_device
) -> None:
    client.force_login(operator)
    response = client.post(
        f"/eclairage/passerelles/rapprochement/{unknown_device.pk}/",
        {"reference": "LP-NOWHERE"},
        follow=True,
    )
    assert "LP-NOWHERE" in response.content.decode()
    assert not TalqDevice.objects.get().matched


def test_a_field_agent_cannot_reconcile_devices(client, field_agent, unknown_device, lamps) -> None:
    client.force_login(field_agent)
    response = client.post(
        f"/eclairage/passerelles/rapprochement/{unknown_device.pk}/",
        {"reference": lamps[0].reference},
    )
    assert response.status_code == 403
    assert not TalqDevice.objects.get().matched


def test_the_lighting_board_points_operators_to_devices_awaiting_reconciliation(
    client, operator, unknown_device
) -> None:
    client.force_login(operator)
    page = client.get("/eclairage/").content.decode()
    assert "/eclairage/passerelles/rapprochement/" in page
    unknown_device.delete()
    assert "/eclairage/passerelles/rapprochement/" not in client.get("/eclairage/").content.decode()
