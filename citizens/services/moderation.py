"""Moderation (hiding a photo or personal details, audited) and retention of contacts."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from citizens.models import CallLog, CitizenMessage, Follower, Report, ReportPhoto, StagedPhoto
from hypervisor import services as hypervisor_services
from incidents import selectors as incident_selectors

FINISHED_STATUSES = {"closed", "rejected", "cancelled", "duplicate"}


@transaction.atomic
def report_photo_hide(*, photo_id: int, by: User, reason: str = "") -> ReportPhoto:
    """Hide a photo (a face, a licence plate): it leaves every public page and Open311."""
    photo = ReportPhoto.objects.select_for_update().get(pk=photo_id)
    if not photo.hidden:
        photo.hidden = True
        photo.full_clean()
        photo.save()
        hypervisor_services.audit_record(
            actor=by,
            action="citizens.photo_hidden",
            target=f"report:{photo.report_id}",
            summary=reason or f"photo {photo.pk}",
            before={"hidden": False},
            after={"hidden": True},
        )
    return photo


@transaction.atomic
def report_contact_hide(*, report_id: int, by: User, reason: str = "") -> Report:
    """Hide the reporter's personal details from staff screens (the admin); audited."""
    report = Report.objects.select_for_update().get(pk=report_id)
    if not report.contact_hidden:
        report.contact_hidden = True
        report.full_clean()
        report.save()
        hypervisor_services.audit_record(
            actor=by,
            action="citizens.contact_hidden",
            target=f"report:{report.pk}",
            summary=reason,
            before={"contact_hidden": False},
            after={"contact_hidden": True},
        )
    return report


def _finished_before(incident_id: int, cutoff_days: int) -> bool:
    view = incident_selectors.incident_public_view(incident_id=incident_id)
    if view is None or view["status"] not in FINISHED_STATUSES or not view["history"]:
        return False
    finished_at = view["history"][-1]["at"]
    return bool(finished_at <= timezone.now() - timedelta(days=cutoff_days))


@transaction.atomic
def contacts_purge_expired() -> int:
    """Erase contacts of reports whose incident finished longer ago than the retention.

    Idempotent: purged reports are skipped. Messages already sent lose their address too.
    """
    days = settings.CITIZENS_CONTACT_RETENTION_DAYS
    now = timezone.now()
    purged = 0
    candidates = Report.objects.filter(contact_purged_at__isnull=True).filter(
        Q(contact_consent_at__isnull=False)
        | ~Q(contact_email="")
        | ~Q(contact_phone="")
        | ~Q(contact_name="")
    )
    for report in candidates.filter(created_at__lte=now - timedelta(days=days)).iterator():
        if not _finished_before(report.master_incident_id or report.incident_id, days):
            continue
        Report.objects.filter(pk=report.pk).update(
            contact_name="", contact_email="", contact_phone="", contact_purged_at=now
        )
        CitizenMessage.objects.filter(related=f"incident:{report.incident_id}").update(address="")
        report.calls.update(caller_number="")
        purged += 1
    for follower in Follower.objects.filter(created_at__lte=now - timedelta(days=days)):
        if _finished_before(follower.incident_id, days):
            follower.delete()
            purged += 1
    CallLog.objects.filter(at__lte=now - timedelta(days=days)).exclude(caller_number="").update(
        caller_number=""
    )
    return purged


@transaction.atomic
def staged_photos_sweep() -> int:
    """Remove photos of forms never completed, with their files."""
    cutoff = timezone.now() - timedelta(hours=settings.CITIZENS_STAGING_HOURS)
    count = 0
    for staged in StagedPhoto.objects.filter(created_at__lt=cutoff):
        staged.image.delete(save=False)
        staged.delete()
        count += 1
    return count + _orphan_photos_sweep(cutoff)


def _orphan_photos_sweep(cutoff: datetime) -> int:
    """Delete photo files no row refers to (a crash between a file and its row), once old."""
    referenced = set(StagedPhoto.objects.values_list("image", flat=True))
    referenced |= set(ReportPhoto.objects.values_list("image", flat=True))
    removed = 0
    for name in _files_under("staging") + _files_under("reports"):
        if name in referenced:
            continue
        try:
            if default_storage.get_modified_time(name) >= cutoff:
                continue  # perhaps a row about to be committed
            default_storage.delete(name)
        except FileNotFoundError:
            continue
        removed += 1
    return removed


def _files_under(folder: str) -> list[str]:
    try:
        directories, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [f"{folder}/{name}" for name in files]
    for directory in directories:
        names += _files_under(f"{folder}/{directory}")
    return names
