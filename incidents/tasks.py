from celery import shared_task
from django.db import OperationalError

from incidents import services


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=10)
def route_incident(incident_id: int) -> None:
    """Route one incident; a no-op if it was routed already."""
    services.incident_route(incident_id=incident_id)
