from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.traffic.factories import CameraFactory, CrossroadFactory
from traffic import services


@pytest.fixture
def camera(db):  # type: ignore[no-untyped-def]
    return CameraFactory(reference="CAM-001", retention_days=15)


@pytest.fixture
def crossroad(db):  # type: ignore[no-untyped-def]
    return CrossroadFactory(reference="CAR-001")


@pytest.fixture
def filed_request(camera, police_officer):  # type: ignore[no-untyped-def]
    now = timezone.now()
    return services.evidence_request_file(
        by=police_officer,
        procedure_reference="PV 2026/1234",
        authority="Commissariat central de Dijon",
        cameras=[camera],
        starts_at=now - timedelta(days=2),
        ends_at=now - timedelta(days=2) + timedelta(hours=1),
        motive="Vol à l'arraché",
    )


@pytest.fixture
def approved_request(filed_request, supervisor):  # type: ignore[no-untyped-def]
    services.evidence_request_decide(request=filed_request, by=supervisor, approve=True)
    return filed_request
