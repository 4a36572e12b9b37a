"""The phone portal's writes: calls taken and the quick-answer library."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from citizens.models import CallLog, CallReason, QuickAnswer, Report


@transaction.atomic
def call_log(
    *,
    reason: CallReason,
    taken_by: User,
    caller_number: str = "",
    note: str = "",
    report: Report | None = None,
    incident_id: int | None = None,
) -> CallLog:
    """Record one call; the caller's number is optional and purged like any contact.

    The call is linked to the incident it was about: the one given, else the one the
    report filed during the call joined (its master when it was a duplicate).
    """
    if incident_id is None and report is not None:
        incident_id = report.master_incident_id or report.incident_id
    call = CallLog(
        reason=reason,
        caller_number=caller_number.strip(),
        note=note.strip()[:500],
        report=report,
        incident_id=incident_id,
        taken_by=taken_by,
    )
    call.full_clean()
    call.save()
    return call


@transaction.atomic
def quick_answer_ensure(
    *, title: str, body: str, keywords: str = "", order: int = 0
) -> QuickAnswer:
    answer, _created = QuickAnswer.objects.update_or_create(
        title=title, defaults={"body": body, "keywords": keywords, "order": order}
    )
    answer.full_clean()
    return answer
