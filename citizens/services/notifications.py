"""Telling reporters and followers that their incident moved on.

Citizens are not users, so the hypervisor's `notify` (addressed to staff accounts) does
not fit; a `CitizenMessage` row per recipient and channel is delivered through the same
adapters (`backend_for`: SMTP, SMS gateway, or the embedded file), with the same
permanent/transient distinction. The dedup key makes a replayed event send nothing twice.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any, cast

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from citizens import selectors
from citizens.models import CitizenMessage
from hypervisor.notifications.backends import NotificationError, backend_for
from incidents import selectors as incident_selectors

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 6
NOTIFIED_STATUSES = {
    "assigned",
    "in_progress",
    "resolved",
    "closed",
    "rejected",
    "cancelled",
    "reopened",
}


class RetryLater(Exception):
    """Delivery failed for a reason that may pass; the task retries with backoff."""


def _enqueue(message_id: int) -> None:
    from citizens.tasks import deliver_citizen_message

    deliver_citizen_message.delay(message_id)


def _texts(view: dict[str, Any], note: str, token: str) -> tuple[str, str]:
    link = settings.CITIZENS_PUBLIC_URL.rstrip("/") + reverse("report-tracking", args=[token])
    subject = _("Your report %(reference)s: %(status)s") % {
        "reference": view["reference"],
        "status": view["status_label"],
    }
    lines = [
        _("Your report %(reference)s (%(category)s) is now: %(status)s.")
        % {
            "reference": view["reference"],
            "category": view["category"],
            "status": view["status_label"],
        }
    ]
    if note and view["status"] in {"resolved", "closed", "rejected", "cancelled"}:
        lines.append(_("Note from the service: %(note)s") % {"note": note})
    if view["status"] == "reopened":
        # The reporter's own words stay with the staff: others only learn that it is back.
        lines.append(_("The problem was reported again after the fix: the service is back on it."))
    if view["status"] == "resolved":
        lines.append(
            _("Is it fixed? Confirm it or tell us it is not within %(days)d days:")
            % {"days": settings.CITIZENS_REOPEN_DAYS}
        )
    lines.append(link)
    return subject, "\n".join(lines)


@transaction.atomic
def citizens_notify_status_change(
    *, incident_id: int, to_status: str, note: str = "", event_id: str = ""
) -> list[CitizenMessage]:
    """One message per recipient and channel, sent once committed; safe to run twice."""
    if to_status not in NOTIFIED_STATUSES:
        return []
    created = []
    with translation.override(settings.LANGUAGE_CODE):
        view = incident_selectors.incident_public_view(incident_id=incident_id)
        if view is None:
            return []
        view["status"] = to_status
        if to_status == "reopened":
            view["status_label"] = _("Reopened")
        for channel, kind_id, address in selectors.contacts_to_notify(incident_id=incident_id):
            subject, body = _texts(view, note, selectors.token_of(kind_id=kind_id))
            key = f"{incident_id}:{to_status}:{event_id}:{kind_id}:{channel}"[:160]
            message = CitizenMessage(
                channel=channel,
                address=address,
                subject=subject[:200],
                body=body if channel == "email" else body[:640],
                related=f"incident:{incident_id}",
                dedup_key=key,
            )
            message.full_clean(exclude=["dedup_key"])
            try:
                with transaction.atomic():
                    message.save()
            except IntegrityError:
                continue
            created.append(message)
            transaction.on_commit(partial(_enqueue, message.pk), robust=True)
    return created


def citizen_message_deliver(*, message_id: int) -> None:
    """Send one message; a no-op once sent or failed for good."""
    with transaction.atomic():
        message = CitizenMessage.objects.select_for_update().get(pk=message_id)
        if message.status != CitizenMessage.Status.PENDING or not message.address:
            return
        message.attempts += 1
        try:
            # The adapters read channel, address, subject and body, which this row carries.
            backend_for(message.channel).send(cast(Any, message))
        except NotificationError as error:
            message.last_error = str(error)[:500]
            if error.permanent or message.attempts >= MAX_ATTEMPTS:
                message.status = CitizenMessage.Status.FAILED
                message.save()
                logger.warning("Citizen message %s failed: %s", message.pk, error)
                return
            message.save()
            retry = True
        else:
            message.status = CitizenMessage.Status.SENT
            message.sent_at = timezone.now()
            message.save()
            retry = False
    if retry:
        raise RetryLater(message.last_error)
