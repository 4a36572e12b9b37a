"""Celery tasks: each takes an id, calls one idempotent service."""

import logging

from celery import shared_task
from django.core.exceptions import ObjectDoesNotExist
from django.db import OperationalError

from incidents import services

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=10)
def route_incident(incident_id: int) -> None:
    """Route one incident and dispatch it; a no-op for what was done already."""
    try:
        services.incident_route_and_dispatch(incident_id=incident_id)
    except ObjectDoesNotExist:
        logger.warning("Incident %s no longer exists: nothing to route", incident_id)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=10)
def dispatch_incident(incident_id: int) -> None:
    """Create and assign an incident's tasks; a no-op once dispatched."""
    try:
        services.incident_dispatch(incident_id=incident_id)
    except ObjectDoesNotExist:
        logger.warning("Incident %s no longer exists: nothing to dispatch", incident_id)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def relay_pending_work() -> dict[str, int]:
    """Periodic sweep: what the broker never got is handed over again."""
    return services.incidents_relay_pending()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def watch_deadlines() -> int:
    """Periodic deadline watchdog."""
    return services.sla_watch()
