from __future__ import annotations

import pytest

from hypervisor.telemetry.services import gateway_create


@pytest.fixture
def gateway_token(db):  # type: ignore[no-untyped-def]
    _gateway, token = gateway_create(name="passerelle-nord")
    return token


@pytest.fixture
def api(client, gateway_token):  # type: ignore[no-untyped-def]
    """POST a body to the telemetry endpoint with the gateway's token."""

    def post(body: str, content_type: str = "application/json", token: str | None = None):  # type: ignore[no-untyped-def]
        return client.post(
            "/api/v1/telemetry/",
            data=body,
            content_type=content_type,
            HTTP_AUTHORIZATION=f"Bearer {token or gateway_token}",
        )

    return post
