from celery import shared_task
from django.db import OperationalError

from hypervisor.services import alarms, notifications, retention
from hypervisor.telemetry.services import telemetry_purge


@shared_task(
    bind=True,
    autoretry_for=(notifications.RetryLater, OperationalError),
    retry_backoff=10,
    retry_backoff_max=600,
    max_retries=notifications.MAX_ATTEMPTS,
)
def send_notification(self, notification_id: int) -> None:
    """Deliver one notification; safe to run twice (it is sent at most once)."""
    notifications.notification_deliver(notification_id=notification_id)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def requeue_stale_notifications() -> int:
    return notifications.notifications_requeue_stale()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def apply_alarm_rules(event_id: int) -> None:
    """Raise or clear the alarm an event calls for; a no-op for an event already applied."""
    alarms.alarm_apply_rules(event_id=event_id)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def apply_pending_alarm_rules() -> int:
    return alarms.alarm_rules_relay_pending()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def escalate_alarms() -> int:
    return alarms.alarms_escalate_due()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def purge_events() -> int:
    """Drop events past the retention period; safe to run twice."""
    return retention.events_purge()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def purge_telemetry() -> int:
    """Drop telemetry readings and replay receipts past the retention period."""
    return telemetry_purge()
