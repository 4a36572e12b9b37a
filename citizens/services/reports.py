"""Filing a report with its photos, following an incident, confirming or reopening a fix."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citizens import selectors
from citizens.models import Follower, Report, ReportPhoto, StagedPhoto
from citizens.photos import photo_clean
from incidents import selectors as incident_selectors
from incidents import services as incident_services
from incidents.services import Priority, Source


class FixAnswerRefused(ValueError):
    """The fix can no longer be confirmed or disputed (not resolved, or too late)."""


def _token() -> str:
    return secrets.token_urlsafe(18)


@transaction.atomic
def photos_stage(
    *, form_token: str, uploads: Iterable[UploadedFile], read_position: bool = False
) -> list[StagedPhoto]:
    """Check, clean and keep photos under the form's token until the report is valid.

    Raises PhotoRefused (nothing of this batch is kept) for the first unacceptable file.
    """
    already = StagedPhoto.objects.filter(form_token=form_token).count()
    staged: list[StagedPhoto] = []
    try:
        for upload in uploads:
            if already + len(staged) >= settings.CITIZENS_MAX_PHOTOS:
                raise ValidationError(
                    _("At most %(count)d photos per report.")
                    % {"count": settings.CITIZENS_MAX_PHOTOS}
                )
            clean = photo_clean(upload, read_position=read_position)
            photo = StagedPhoto(
                form_token=form_token,
                image=clean.content,
                original_name=(upload.name or "photo")[:200],
                suggested_lat=clean.suggested_lat,
                suggested_lon=clean.suggested_lon,
            )
            photo.full_clean()
            photo.save()
            staged.append(photo)
    except BaseException:
        # The rows roll back with the transaction; their files must go too.
        for photo in staged:
            photo.image.delete(save=False)
        raise
    return staged


@transaction.atomic
def report_submit(
    *,
    category_code: str,
    description: str,
    lat: float | None,
    lon: float | None,
    source: Source = Source.WEB,
    priority: Priority | None = None,
    form_token: str = "",
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    contact_consent: bool = False,
    link_duplicates: bool = True,
    address: str = "",
) -> Report:
    """Store the report, its incident and its photos together: all of them, or none.

    With `link_duplicates` (the citizen channels: web form, phone portal, Open311), a
    report of the same category within the category's radius and the time window of an
    open incident, whatever opened it, is linked to that incident as a duplicate; its
    reporter follows the master. Programmatic callers (the simulator, imports) pass False
    and keep every report as its own incident.
    """
    if (contact_email or contact_phone) and not contact_consent:
        raise ValidationError(_("Contact details are kept only with the reporter's consent."))
    # Looked up before this report's own incident exists, so it cannot find itself.
    master_id = (
        selectors.duplicate_master_for(category_code=category_code, lat=lat, lon=lon)
        if link_duplicates
        else None
    )
    incident = incident_services.incident_open(
        category_code=category_code,
        description=description,
        lat=lat,
        lon=lon,
        source=source,
        priority=priority,
        address=address,
    )
    # The position found from the address, if any, is the report's too.
    lat, lon = incident.lat, incident.lon
    report = Report(
        token=_token(),
        incident_id=incident.pk,
        reference=incident.reference,
        source={
            Source.PHONE: Report.Source.PHONE,
            Source.OPEN311: Report.Source.OPEN311,
        }.get(source, Report.Source.WEB),
        category_code=category_code,
        lat=lat,
        lon=lon,
        contact_name=contact_name.strip() if contact_consent else "",
        contact_email=contact_email.strip() if contact_consent else "",
        contact_phone=contact_phone.strip() if contact_consent else "",
        contact_consent_at=timezone.now() if contact_consent else None,
        master_incident_id=master_id,
    )
    report.full_clean()
    report.save()
    if form_token:
        for staged in StagedPhoto.objects.select_for_update().filter(form_token=form_token):
            photo = ReportPhoto(report=report, image=staged.image.name)
            photo.full_clean()
            photo.save()
            staged.delete()
    if master_id is not None:
        incident_services.incident_mark_duplicate(
            incident_id=incident.pk, master_id=master_id, by=None
        )
    return report


@transaction.atomic
def incident_follow(
    *, incident_id: int, contact_email: str = "", contact_phone: str = ""
) -> Follower:
    """Follow an incident already reported instead of filing it again."""
    if (
        incident_selectors.incident_status_of(incident_id=incident_id)
        not in selectors.OPEN_STATUSES
    ):
        raise ValidationError(_("This incident is no longer open."))
    follower = Follower(
        incident_id=incident_id,
        token=_token(),
        contact_email=contact_email.strip(),
        contact_phone=contact_phone.strip(),
    )
    follower.full_clean()
    follower.save()
    return follower


def _answerable(report: Report) -> int:
    tracking = selectors.report_tracking(token=report.token)
    if tracking is None or not tracking["can_answer_fix"]:
        raise FixAnswerRefused(
            _("This report can only be confirmed or reopened within %(days)d days of the fix.")
            % {"days": settings.CITIZENS_REOPEN_DAYS}
        )
    return report.master_incident_id or report.incident_id


@transaction.atomic
def report_confirm_fix(*, token: str) -> Report:
    """The reporter says the problem is gone: the incident is closed."""
    report = Report.objects.select_for_update().get(token=token)
    incident_id = _answerable(report)
    incident_services.incident_close(
        incident_id=incident_id, by=None, note=_("Fix confirmed by the reporter")
    )
    report.confirmed_fixed_at = timezone.now()
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def report_reopen(*, token: str, description: str) -> Report:
    """The problem is back: the same incident (reference, history) goes back to work.

    A report linked as a duplicate reopens its master, where the work is followed. The
    reporter's words go to the staff history only: other reporters and followers are told
    that it was reopened, not what this one wrote.
    """
    report = Report.objects.select_for_update().get(token=token)
    incident_id = _answerable(report)
    text = description.strip()
    note = (
        _("Reopened by the reporter: %(text)s") % {"text": text}
        if text
        else _("Reopened by the reporter: the problem is back.")
    )
    incident_services.incident_reopen(incident_id=incident_id, by=None, note=note)
    return report
