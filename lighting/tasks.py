from celery import shared_task
from django.db import OperationalError

from lighting import services


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def detect_silent_cabinets() -> int:
    """Cabinets silent past the timeout lose communication; safe to run twice."""
    return services.cabinets_detect_silent()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def follow_dimming_plan() -> int:
    """Bring lamps to tonight's planned level (astronomical clock and profiles)."""
    return services.lamps_follow_schedule()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def estimate_energy() -> int:
    """Refresh this month's estimates and baselines from the inventory."""
    from django.utils import timezone

    return services.energy_estimate_month(month=timezone.localdate())
