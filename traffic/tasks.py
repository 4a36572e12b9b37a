from celery import shared_task
from django.db import OperationalError

from traffic import services


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def detect_silent_crossroads() -> int:
    return services.crossroads_detect_silent()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def record_camera_retention() -> int:
    """Daily: the footage past each camera's retention is gone (unless under legal hold)."""
    return services.camera_retention_record()
