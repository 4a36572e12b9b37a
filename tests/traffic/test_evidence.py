"""The evidence register: who files, who decides, retention, append-only entries."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from traffic import selectors, services
from traffic.models import RegisterEntry

SHA = hashlib.sha256(b"export").hexdigest()


def _extract(request, by, camera, **changes):  # type: ignore[no-untyped-def]
    fields = {
        "request": request, "by": by, "cameras": [camera],
        "range_start": request.starts_at, "range_end": request.ends_at, "sha256": SHA,
        "medium": "clé USB chiffrée", "recipient": "OPJ Martin", "delivered_at": timezone.now(),
    }  # fmt: skip
    return services.evidence_extraction_record(**{**fields, **changes})


def test_a_police_officer_files_a_request_and_the_register_records_it(filed_request) -> None:
    assert selectors.evidence_request_status(request=filed_request) == RegisterEntry.Kind.FILED
    assert filed_request.entries.get().kind == RegisterEntry.Kind.FILED


def test_an_operator_may_not_file_a_request(operator, camera) -> None:
    now = timezone.now()
    with pytest.raises(PermissionDenied):
        services.evidence_request_file(
            by=operator, procedure_reference="x", authority="y", cameras=[camera],
            starts_at=now - timedelta(hours=2), ends_at=now - timedelta(hours=1), motive="z",
        )  # fmt: skip


def test_footage_older_than_the_retention_is_refused_with_the_reason(
    police_officer, camera
) -> None:
    now = timezone.now()
    with pytest.raises(ValidationError) as refused:
        services.evidence_request_file(
            by=police_officer, procedure_reference="PV 1", authority="Parquet", cameras=[camera],
            starts_at=now - timedelta(days=20), ends_at=now - timedelta(days=19), motive="Rixe",
        )  # fmt: skip
    assert "15" in refused.value.messages[0]
    assert "CAM-001" in refused.value.messages[0]


def test_footage_past_retention_may_be_requested_while_the_camera_is_under_legal_hold(
    police_officer, camera
) -> None:
    camera.legal_hold = True
    camera.save()
    now = timezone.now()
    request = services.evidence_request_file(
        by=police_officer, procedure_reference="PV 2", authority="Parquet", cameras=[camera],
        starts_at=now - timedelta(days=20), ends_at=now - timedelta(days=19), motive="Enquête",
    )  # fmt: skip
    assert request.pk is not None


def test_a_supervisor_approves_a_request(approved_request) -> None:
    assert selectors.evidence_request_status(request=approved_request) == "approved"


def test_a_police_officer_may_not_approve_a_request(filed_request, police_officer) -> None:
    with pytest.raises(PermissionDenied):
        services.evidence_request_decide(request=filed_request, by=police_officer, approve=True)


def test_a_refusal_needs_a_reason(filed_request, supervisor) -> None:
    with pytest.raises(ValidationError):
        services.evidence_request_decide(request=filed_request, by=supervisor, approve=False)


def test_a_request_is_decided_only_once(approved_request, supervisor) -> None:
    with pytest.raises(ValidationError):
        services.evidence_request_decide(
            request=approved_request, by=supervisor, approve=False, reason="revirement"
        )


def test_an_extraction_is_recorded_with_its_fingerprint(
    approved_request, supervisor, camera
) -> None:
    entry = _extract(approved_request, supervisor, camera)
    assert entry.kind == RegisterEntry.Kind.EXTRACTED
    assert entry.sha256 == SHA
    assert entry.cameras == "CAM-001"


def test_an_extraction_before_approval_is_refused(filed_request, supervisor, camera) -> None:
    with pytest.raises(ValidationError):
        _extract(filed_request, supervisor, camera)


def test_an_extraction_outside_the_requested_window_is_refused(
    approved_request, supervisor, camera
) -> None:
    with pytest.raises(ValidationError):
        _extract(approved_request, supervisor, camera, range_end=timezone.now())


def test_a_register_entry_cannot_be_edited(approved_request) -> None:
    entry = approved_request.entries.first()
    entry.note = "rewritten"
    with pytest.raises(PermissionError):
        entry.save()


def test_a_register_entry_cannot_be_deleted(approved_request) -> None:
    with pytest.raises(PermissionError):
        approved_request.entries.first().delete()


def test_a_correction_is_a_new_entry_naming_the_one_it_corrects(
    approved_request, supervisor, camera
) -> None:
    first = _extract(approved_request, supervisor, camera)
    correction = _extract(
        approved_request, supervisor, camera, corrects=first, recipient="OPJ Moreau"
    )
    assert correction.kind == RegisterEntry.Kind.CORRECTION
    assert correction.corrects == first
    assert RegisterEntry.objects.get(pk=first.pk).recipient == "OPJ Martin"


def test_the_register_exports_every_entry_for_a_legal_audit(
    approved_request, supervisor, camera
) -> None:
    _extract(approved_request, supervisor, camera)
    lines = selectors.evidence_register_csv().strip().splitlines()
    assert len(lines) == 1 + 3
    assert SHA in lines[-1]


def test_retention_expiry_is_recorded_for_cameras_not_under_legal_hold(camera) -> None:
    from tests.traffic.factories import CameraFactory

    CameraFactory(legal_hold=True)
    assert services.camera_retention_record() == 1
    assert camera.expiries.count() == 1
