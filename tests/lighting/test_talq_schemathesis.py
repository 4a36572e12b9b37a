"""Schemathesis against /talq/ with the PUBLISHED TALQ 2.7.1 CMS API file as the schema.

Not the project's own schema: the file the TALQ consortium publishes, so that OnDijon and a
vendor's gateway cannot agree on a private dialect. The operations run are those of the
lighting profile OnDijon implements (the others are listed in docs/equipment.md).
Checks: no server error, only documented status codes, bodies and content types as the
file declares them, invalid requests refused.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config._checks import PositiveDataAcceptanceConfig

from tests.lighting.talq_support import CMS_API, require_talq_files

IMPLEMENTED = [
    "announceServices",
    *("getDevices", "addDevices", "updateDevices", "partialUpdateDevices"),
    *("getDevice", "updateDevice", "partialUpdateDevice", "deleteDevice"),
    *("getDeviceFunction", "getDeviceAttribute"),
    *("addDeviceClasses", "updateDeviceClasses", "updateDeviceClass", "deleteDeviceClass"),
    *("getLampTypes", "addLampTypes", "updateLampTypes", "getLampTypesCount"),
    *("getLampType", "updateLampType", "deleteLampType"),
    *("getLuminaireTypes", "addLuminaireTypes", "updateLuminaireTypes"),
    *("getLuminaireTypesCount", "getLuminaireType", "updateLuminaireType"),
    "deleteLuminaireType",
    *("sendLogReport", "getLoggerConfig"),
]


def _published_schema() -> Any:
    # Loaded at collection (schemathesis' lazy fixture loader does not run on this pytest).
    schema = schemathesis.openapi.from_path(CMS_API)
    schema.app = get_wsgi_application()
    schema.config.update(base_url="http://testserver/talq")
    # A NUL character is refused before any view runs (ondijon.errors.HostileInputMiddleware,
    # docs/security.md); a string schema cannot say so, so none is generated.
    schema.config.generation.update(allow_x00=False)
    # The file itself defines 422 as "well-formed but unable to be followed due to semantic
    # errors" (an undeclared device, an empty name): schema-valid data may get it, never a 400.
    accepted = schema.config.checks.positive_data_acceptance.expected_statuses
    schema.config.checks.positive_data_acceptance = PositiveDataAcceptanceConfig(
        expected_statuses=[*accepted, "422"]
    )
    return schema.include(operation_id=IMPLEMENTED)


@pytest.fixture(autouse=True)
def _one_connection_for_the_test(db) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """The requests share the test's transaction (see tests/security/test_api_schema.py)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def gateway_login(talq_gateway, settings) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    settings.TALQ_GATEWAY_RATE = "100000/min"
    gateway, secret = talq_gateway
    pair = base64.b64encode(f"{gateway.address}:{secret}".encode()).decode()
    return {"address": str(gateway.address), "authorization": f"Basic {pair}"}


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


if not CMS_API.exists():

    def test_talq_keeps_to_the_published_cms_api() -> None:
        require_talq_files()

else:
    schema = _published_schema()

    @schema.parametrize()
    @settings(
        max_examples=6,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def test_talq_keeps_to_the_published_cms_api(
        case: schemathesis.Case, gateway_login: dict[str, Any]
    ) -> None:
        # A well-formed clientAddress is the authenticated gateway's own, so that the requests
        # reach past the parameter check; malformed ones are left for the refusal checks.
        if case.query and _is_uuid(case.query.get("clientAddress")):
            case.query["clientAddress"] = gateway_login["address"]
        headers = {"Authorization": gateway_login["authorization"], "Accept-Encoding": "identity"}
        if case.headers and isinstance(case.headers.get("talq-api-version"), str):
            case.headers["talq-api-version"] = "2.7.1"
        case.call_and_validate(headers=headers)
