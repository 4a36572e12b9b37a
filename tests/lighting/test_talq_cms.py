"""/talq/: the CMS API a vendor's gateway talks to, checked against the published file."""

from __future__ import annotations

import uuid

import pytest

from lighting.models import TalqDevice, TalqGateway
from lighting.talq.services import talq_gateway_register, talq_gateway_revoke
from tests.lighting.talq_factories import cabinet_device, lamp_device
from tests.lighting.talq_support import TalqGatewayClient


def test_announcing_services_is_accepted_and_kept(talq) -> None:
    response = talq.call(
        "post", "services", [{"name": "ControlService"}, {"name": "DataCollectService"}]
    )
    assert response.status_code == 201
    names = [service["name"] for service in TalqGateway.objects.get().services]
    assert names == ["ControlService", "DataCollectService"]


def test_a_request_without_credentials_is_refused(client, talq) -> None:
    response = client.get(
        f"/talq/devices?clientAddress={talq.address}", HTTP_TALQ_API_VERSION="2.7.1"
    )
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Basic")


def test_a_wrong_secret_is_refused(client, talq) -> None:
    impostor = TalqGatewayClient(client, address=talq.address, secret="not-the-secret")
    assert impostor.call("get", "devices").status_code == 401


def test_a_revoked_gateway_is_refused_at_once(talq) -> None:
    assert talq.call("get", "devices").status_code == 200
    talq_gateway_revoke(gateway=TalqGateway.objects.get())
    response = talq.call("get", "devices")
    assert response.status_code == 401
    assert response.json()[0]["key"] == "genericError"


def test_a_bearer_secret_is_accepted_as_well_as_basic(client, talq) -> None:
    bearer = TalqGatewayClient(client, address=talq.address, secret=talq.secret, basic=False)
    assert bearer.call("get", "devices").status_code == 200


def test_a_missing_api_version_header_is_a_talq_error(talq) -> None:
    response = talq.call("get", "devices", headers={"talq-api-version": ""})
    # An empty header is still a header; a foreign major version is refused by name.
    assert response.status_code == 400
    talq.validate = False
    del_version = talq.client.get(
        f"/talq/devices?clientAddress={talq.address}", HTTP_AUTHORIZATION=talq.authorization()
    )
    assert del_version.status_code == 400
    assert del_version.json()[0]["key"] == "headerMissing"


def test_a_gateway_cannot_speak_for_another_gateway(talq) -> None:
    other, _secret = talq_gateway_register(name="passerelle-ouest")
    response = talq.call("get", "devices", query={"clientAddress": str(other.address)})
    assert response.status_code == 400
    assert response.json()[0]["key"] == "parameterValueNotValid"


def test_a_device_named_after_a_light_point_is_matched_to_it(talq, lamps) -> None:
    response = talq.call("post", "devices", [lamp_device(lamps[0].reference)])
    assert response.status_code == 201
    assert TalqDevice.objects.get().light_point == lamps[0]


def test_a_device_carrying_an_asset_identifier_is_matched_by_it(talq, lamps) -> None:
    talq.call("post", "devices", [lamp_device("LC-8842", asset_id=lamps[1].reference)])
    assert TalqDevice.objects.get().light_point == lamps[1]


def test_a_cabinet_controller_is_matched_to_its_cabinet(talq, cabinet) -> None:
    talq.call("post", "devices", [cabinet_device(cabinet.reference)])
    assert TalqDevice.objects.get().cabinet == cabinet


def test_an_unknown_device_waits_in_the_reconciliation_list(talq, lamps) -> None:
    talq.call("post", "devices", [lamp_device("LC-UNKNOWN-1"), lamp_device(lamps[0].reference)])
    from lighting.talq.selectors import reconciliation_list

    assert [device.name for device in reconciliation_list()] == ["LC-UNKNOWN-1"]


def test_declaring_a_device_twice_is_a_conflict(talq) -> None:
    device = lamp_device("LC-1")
    talq.call("post", "devices", [device])
    response = talq.call("post", "devices", [device])
    assert response.status_code == 409
    assert response.json()[0]["key"] == "resourceConflict"


def test_devices_are_listed_by_page_with_the_pagination_headers(talq) -> None:
    talq.call("post", "devices", [lamp_device(f"LC-{n}") for n in range(5)])
    response = talq.call("get", "devices", query={"offset": 1, "limit": 2})
    assert [device["name"] for device in response.json()] == ["LC-1", "LC-2"]
    assert response["pagination-totalCount"] == "5"
    assert response["pagination-count"] == "2"


def test_a_device_its_function_and_attribute_are_read_back(talq) -> None:
    device = lamp_device("LC-9")
    talq.call("post", "devices", [device])
    address = device["address"]
    assert talq.call("get", f"devices/{address}").json()["name"] == "LC-9"
    assert talq.call("get", f"devices/{address}/monitor").json()["type"] == "LampMonitorFunction"
    attribute = talq.call("get", f"devices/{address}/monitor/operatingHours").json()
    assert attribute == {"type": "AttributeFloat", "value": 1234.5}


def test_an_unknown_device_address_is_not_found(talq) -> None:
    response = talq.call("get", f"devices/{uuid.uuid4()}")
    assert response.status_code == 404
    assert response.json()[0]["key"] == "resourceNotFound"


def test_a_device_is_replaced_patched_and_deleted(talq) -> None:
    device = lamp_device("LC-7")
    talq.call("post", "devices", [device])
    address = device["address"]
    renamed = talq.call("put", f"devices/{address}", {**device, "name": "LC-7b"})
    assert renamed.json()["name"] == "LC-7b"
    hours_2000 = {"type": "AttributeFloat", "value": 2000.0}
    monitor = {"id": "monitor", "type": "LampMonitorFunction", "operatingHours": hours_2000}
    patch = {"address": address, "name": "LC-7", "class": device["class"], "functions": [monitor]}
    assert talq.call("patch", "devices", [patch]).status_code == 200
    hours = talq.call("get", f"devices/{address}/monitor/operatingHours").json()
    assert hours["value"] == 2000.0
    assert talq.call("delete", f"devices/{address}").status_code == 200
    assert not TalqDevice.objects.exists()


def test_lamp_types_are_kept_counted_replaced_and_deleted(talq) -> None:
    lamp_type = {"address": "led-50", "name": "LED 50 W", "controlType": "DALI", "wattage": 50}
    assert talq.call("post", "lamp-types", [lamp_type]).status_code == 201
    assert talq.call("get", "lamp-types/count").json() == 1
    assert (
        talq.call("put", "lamp-types/led-50", {**lamp_type, "wattage": 40}).json()["wattage"] == 40
    )
    assert talq.call("get", "lamp-types").json()[0]["wattage"] == 40
    assert talq.call("delete", "lamp-types/led-50").status_code == 200
    assert talq.call("get", "lamp-types/count").json() == 0


def test_luminaire_types_and_device_classes_are_kept(talq) -> None:
    assert (
        talq.call("post", "luminaire-types", [{"address": "lum-1", "name": "Lanterne"}]).status_code
        == 201
    )
    assert talq.call("get", "luminaire-types/lum-1").json()["name"] == "Lanterne"
    device_class = {"name": "LuminaireController", "functions": []}
    assert talq.call("post", "device-classes", [device_class]).status_code == 201
    assert talq.call("put", "device-classes/LuminaireController", device_class).status_code == 200
    assert talq.call("delete", "device-classes/LuminaireController").status_code == 200


@pytest.mark.parametrize("address", ["ondijon-hourly-energy", "ondijon-failure-events"])
def test_the_logger_configurations_are_served(talq, address) -> None:
    response = talq.call("get", f"logger-configs/{address}")
    assert response.status_code == 200
    assert response.json()["address"] == address


def test_an_unknown_logger_configuration_is_not_found(talq) -> None:
    assert talq.call("get", "logger-configs/nothing").status_code == 404


def test_a_gateway_sending_too_fast_gets_429_with_retry_after(talq, settings) -> None:
    settings.TALQ_GATEWAY_RATE = "3/min"
    from django.core.cache import cache

    cache.clear()
    codes = [talq.call("get", "devices").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = talq.call("get", "devices")
    assert int(response["Retry-After"]) > 0
    assert response.json()[0]["description"]


@pytest.mark.parametrize(
    "name", ["talq-api-cms-2-7-1-online.json", "talq-data-model-2-7-1-online.json", "LICENSE"]
)
def test_the_files_the_product_checks_bodies_against_are_the_published_ones(name) -> None:
    from lighting.talq.published import PUBLISHED
    from tests.lighting.talq_support import TALQ_DIR, require_talq_files

    require_talq_files()
    assert (PUBLISHED / name).read_bytes() == (TALQ_DIR / name).read_bytes()
