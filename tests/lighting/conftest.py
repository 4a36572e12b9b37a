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
