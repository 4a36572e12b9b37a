from celery import shared_task
from django.db import OperationalError

from mobility.services.polling import feeds_poll_due


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def poll_due_feeds() -> int:
    """Poll the feeds whose turn has come (deployments with a worker and beat)."""
    return feeds_poll_due()
