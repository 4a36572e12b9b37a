"""Notifying people, roles and duty officers through SMS, e-mail and in-app push."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta
from functools import partial

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from hypervisor.models import Channel, Notification, StaffProfile
from hypervisor.notifications.backends import NotificationError, backend_for
from hypervisor.roles import Role

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 6


def _address(user: User, channel: str) -> str:
    if channel == Channel.EMAIL:
        return getattr(user, "email", "") or ""
    if channel == Channel.SMS:
        profile = StaffProfile.objects.filter(user=user).first()
        return profile.phone if profile else ""
    return f"user:{getattr(user, 'pk', '')}"


def _enqueue(notification_id: int) -> None:
    from hypervisor.tasks import send_notification

    send_notification.delay(notification_id)


@transaction.atomic
def notify(
    *,
    users: Iterable[User],
    channels: Iterable[str],
    subject: str,
    body: str,
    related: str = "",
    dedup_key: str | None = None,
) -> list[Notification]:
    """Store one notification per person and channel, and send them once committed.

    With a dedup key, asking again for the same person and channel creates nothing, so a
    retried escalation never texts anyone twice. A person without an address on a channel
    is skipped (no phone number: no SMS).
    """
    created = []
    for user in users:
        for channel in channels:
            address = _address(user, channel)
            if not address:
                continue
            key = f"{dedup_key}:{getattr(user, 'pk', '')}:{channel}" if dedup_key else None
            if key and Notification.objects.filter(dedup_key=key).exists():
                continue
            notification = Notification(
                channel=channel,
                recipient=user,
                address=address,
                subject=subject[:200],
                body=body,
                related=related,
                dedup_key=key,
            )
            notification.full_clean()
            try:
                with transaction.atomic():
                    notification.save()
            except IntegrityError:
                continue  # the same key was stored concurrently: already on its way
            created.append(notification)
            transaction.on_commit(partial(_enqueue, notification.pk), robust=True)
    return created


def notify_address(
    *,
    channel: str,
    address: str,
    subject: str,
    body: str,
    related: str = "",
    dedup_key: str | None = None,
) -> Notification | None:
    """Notify someone outside the staff (a partner's control room) at a given address.

    Same delivery as `notify`: stored, sent after commit, retried; with a dedup key, asking
    again sends nothing more.
    """
    if dedup_key and Notification.objects.filter(dedup_key=dedup_key).exists():
        return None
    notification = Notification(
        channel=channel,
        address=address,
        subject=subject[:200],
        body=body,
        related=related,
        dedup_key=dedup_key,
    )
    notification.full_clean()
    try:
        with transaction.atomic():
            notification.save()
    except IntegrityError:
        return None
    transaction.on_commit(partial(_enqueue, notification.pk), robust=True)
    return notification


def users_with_role(role: Role) -> list[User]:
    return list(get_user_model().objects.filter(groups__name=role.value, is_active=True))


def duty_officers() -> list[User]:
    return [
        profile.user for profile in StaffProfile.objects.filter(on_duty=True, user__is_active=True)
    ]


def elected_officials_of(commune_id: int) -> list[User]:
    return [
        profile.user
        for profile in StaffProfile.objects.filter(
            commune_id=commune_id,
            user__is_active=True,
            user__groups__name=Role.ELECTED_OFFICIAL.value,
        ).select_related("user")
    ]


class RetryLater(Exception):
    """Delivery failed for a reason that may pass; the task retries with backoff."""


def notification_deliver(*, notification_id: int) -> None:
    """Send one notification; a no-op once it is sent or has failed for good."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification_id)
        if notification.status != Notification.Status.PENDING:
            return
        notification.attempts += 1
        try:
            backend_for(notification.channel).send(notification)
        except NotificationError as error:
            notification.last_error = str(error)[:500]
            if error.permanent or notification.attempts >= MAX_ATTEMPTS:
                notification.status = Notification.Status.FAILED
                notification.save()
                logger.warning("Notification %s failed: %s", notification.pk, error)
                return
            notification.save()
            retry = True
        else:
            notification.status = Notification.Status.SENT
            notification.sent_at = timezone.now()
            notification.save()
            retry = False
    if retry:
        raise RetryLater(notification.last_error)


def notifications_requeue_stale(*, older_than: timedelta = timedelta(minutes=2)) -> int:
    """Hand pending notifications to the broker again: it may have been down at the time.

    Not while the ordinary queue holds a backlog: they are most likely in it.
    """
    from ondijon.celery import ordinary_backlog

    if ordinary_backlog():
        return 0
    stale = Notification.objects.filter(
        status=Notification.Status.PENDING, created_at__lt=timezone.now() - older_than
    ).values_list("pk", flat=True)
    count = 0
    for pk in stale[:500]:
        _enqueue(pk)
        count += 1
    return count
