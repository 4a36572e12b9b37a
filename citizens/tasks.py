"""Celery tasks: each takes ids, calls one idempotent service."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import OperationalError

from citizens import services
from citizens.services.notifications import RetryLater

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def notify_status_change(incident_id: int, to_status: str, note: str, event_id: str) -> int:
    """Store the messages for one status change; replaying the event sends nothing twice."""
    return len(
        services.citizens_notify_status_change(
            incident_id=incident_id, to_status=to_status, note=note, event_id=event_id
        )
    )


@shared_task(
    autoretry_for=(RetryLater, OperationalError),
    retry_backoff=True,
    max_retries=6,
)
def deliver_citizen_message(message_id: int) -> None:
    """Deliver one message; transient failures retry with backoff, permanent ones stop."""
    services.citizen_message_deliver(message_id=message_id)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def purge_expired_contacts() -> int:
    """Daily: erase contacts kept longer than the retention period after closure."""
    return services.contacts_purge_expired()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def sweep_staged_photos() -> int:
    """Hourly: remove photos of report forms that were never completed."""
    return services.staged_photos_sweep()
