"""The evidence register: police requests, supervisors' decisions, recorded extractions.

Append-only: nothing is edited or deleted; a mistake is corrected by a new entry that
names the one it corrects. Footage older than a camera's retention is gone, so a request
for it is refused with the reason (unless the camera is under legal hold).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hypervisor import events
from hypervisor.services import audit_record
from traffic.events import EvidenceRequestFiled
from traffic.models import Camera, EvidenceRequest, RegisterEntry, RetentionExpiry
from traffic.selectors import evidence_request_status

SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _require(user: User, permission: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied(_("Your role does not allow this."))


def _check_retention(cameras: list[Camera], starts_at: datetime, now: datetime) -> None:
    for camera in cameras:
        oldest = now - timedelta(days=camera.retention_days)
        if starts_at < oldest and not camera.legal_hold:
            raise ValidationError(
                _(
                    "Footage of %(camera)s before %(date)s no longer exists: it is kept "
                    "%(days)d days."
                )
                % {
                    "camera": camera.reference,
                    "date": timezone.localtime(oldest).strftime("%d/%m/%Y %H:%M"),
                    "days": camera.retention_days,
                }
            )


def _entry(request: EvidenceRequest, kind: str, actor: User, **fields: object) -> RegisterEntry:
    entry = RegisterEntry(request=request, kind=kind, actor=actor, at=timezone.now(), **fields)
    entry.full_clean()
    entry.save()
    return entry


def _next_number() -> int:
    """The next request number, never handed out twice, even to concurrent filings.

    PostgreSQL draws it from a sequence (migration 0002); SQLite runs one writing
    transaction at a time (IMMEDIATE), so the highest number so far plus one is safe there.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval('traffic_evidence_reference_seq')")
            return int(cursor.fetchone()[0])
    return EvidenceRequest.objects.count() + 1


@transaction.atomic
def evidence_request_file(
    *,
    by: User,
    procedure_reference: str,
    authority: str,
    cameras: list[Camera],
    starts_at: datetime,
    ends_at: datetime,
    motive: str,
) -> EvidenceRequest:
    """Only the police file requests; footage past retention is refused with the reason."""
    _require(by, "traffic.file_evidence_request")
    now = timezone.now()
    if not cameras:
        raise ValidationError(_("Choose at least one camera."))
    if ends_at <= starts_at:
        raise ValidationError(_("The time window must end after it starts."))
    if starts_at > now:
        raise ValidationError(_("Footage cannot be requested for the future."))
    _check_retention(cameras, starts_at, now)
    number = _next_number()
    request = EvidenceRequest(
        reference=f"REQ-{now:%Y}-{number:05d}",
        procedure_reference=procedure_reference.strip(),
        authority=authority.strip(),
        starts_at=starts_at,
        ends_at=min(ends_at, now),
        motive=motive.strip(),
        filed_by=by,
        filed_at=now,
    )
    request.full_clean()
    request.save()
    request.cameras.set(cameras)
    _entry(request, RegisterEntry.Kind.FILED, by, note=request.motive)
    audit_record(actor=by, action="evidence.file", target=f"evidence:{request.reference}",
                 summary=request.procedure_reference)  # fmt: skip
    events.publish(EvidenceRequestFiled(asset_id=request.reference))
    return request


@transaction.atomic
def evidence_request_decide(
    *, request: EvidenceRequest, by: User, approve: bool, reason: str = ""
) -> RegisterEntry:
    """Only supervisors decide, once; footage expired meanwhile makes approval impossible."""
    _require(by, "traffic.decide_evidence_request")
    request = EvidenceRequest.objects.select_for_update().get(pk=request.pk)
    if evidence_request_status(request=request) != RegisterEntry.Kind.FILED:
        raise ValidationError(_("This request has already been decided."))
    if approve:
        _check_retention(list(request.cameras.all()), request.starts_at, timezone.now())
    elif not reason.strip():
        raise ValidationError(_("Give the reason for the refusal."))
    kind = RegisterEntry.Kind.APPROVED if approve else RegisterEntry.Kind.REFUSED
    entry = _entry(request, kind, by, note=reason.strip())
    audit_record(actor=by, action=f"evidence.{kind}", target=f"evidence:{request.reference}",
                 summary=reason.strip())  # fmt: skip
    return entry


@transaction.atomic
def evidence_extraction_record(
    *,
    request: EvidenceRequest,
    by: User,
    cameras: list[Camera],
    range_start: datetime,
    range_end: datetime,
    sha256: str,
    medium: str,
    recipient: str,
    delivered_at: datetime,
    corrects: RegisterEntry | None = None,
    note: str = "",
) -> RegisterEntry:
    """Who extracted what, its fingerprint, and to whom it went; a correction is a new entry."""
    _require(by, "traffic.record_extraction")
    status = evidence_request_status(request=request)
    if status not in {RegisterEntry.Kind.APPROVED, RegisterEntry.Kind.EXTRACTED}:
        raise ValidationError(_("Only an approved request can be extracted."))
    if not SHA256.match(sha256.lower()):
        raise ValidationError(_("The SHA-256 must be 64 hexadecimal characters."))
    allowed = set(request.cameras.values_list("pk", flat=True))
    if any(camera.pk not in allowed for camera in cameras) or not cameras:
        raise ValidationError(_("Extract only cameras named in the request."))
    if range_start < request.starts_at or range_end > request.ends_at or range_end <= range_start:
        raise ValidationError(_("The extracted range must lie within the requested window."))
    if corrects is not None and corrects.request_id != request.pk:
        raise ValidationError(_("A correction must concern the same request."))
    entry = _entry(
        request,
        RegisterEntry.Kind.CORRECTION if corrects else RegisterEntry.Kind.EXTRACTED,
        by,
        corrects=corrects,
        note=note.strip(),
        cameras=", ".join(sorted(camera.reference for camera in cameras)),
        range_start=range_start,
        range_end=range_end,
        sha256=sha256.lower(),
        medium=medium.strip(),
        recipient=recipient.strip(),
        delivered_at=delivered_at,
    )
    audit_record(actor=by, action="evidence.extract", target=f"evidence:{request.reference}",
                 summary=sha256.lower())  # fmt: skip
    return entry


@transaction.atomic
def camera_retention_record(*, now: datetime | None = None) -> int:
    """Record, per camera not under legal hold, that footage past retention is deleted."""
    now = now or timezone.now()
    rows = [
        RetentionExpiry(
            camera=camera,
            expired_before=now - timedelta(days=camera.retention_days),
            recorded_at=now,
        )
        for camera in Camera.objects.filter(legal_hold=False)
    ]
    RetentionExpiry.objects.bulk_create(rows)
    return len(rows)
