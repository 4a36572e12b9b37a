from __future__ import annotations

import pytest

from tests.lighting.factories import CabinetFactory, LightPointFactory


@pytest.fixture
def cabinet(db):  # type: ignore[no-untyped-def]
    return CabinetFactory(reference="ARM-21231-001")


@pytest.fixture
def lamps(cabinet):  # type: ignore[no-untyped-def]
    """Three LED lamps fed by the cabinet."""
    return [
        LightPointFactory(cabinet=cabinet, reference=f"LP-21231-001-{n:03d}") for n in (1, 2, 3)
    ]


@pytest.fixture
def talq_gateway(db):  # type: ignore[no-untyped-def]
    """A vendor's TALQ gateway registered by an admin, with the secret it was given."""
    from lighting.talq.services import talq_gateway_register

    gateway, secret = talq_gateway_register(name="passerelle-est", vendor="Lumo")
    return gateway, secret


@pytest.fixture
def talq(client, talq_gateway):  # type: ignore[no-untyped-def]
    """The gateway's side: requests to /talq/, each answer checked against the CMS file."""
    from tests.lighting.talq_support import TalqGatewayClient, require_talq_files

    require_talq_files()
    gateway, secret = talq_gateway
    return TalqGatewayClient(client, address=gateway.address, secret=secret)
