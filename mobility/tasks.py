from celery import shared_task
from django.db import OperationalError

from mobility.services.polling import feeds_poll_due


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def poll_due_feeds() -> int:
    """Poll the feeds whose turn has come (deployments with a worker and beat)."""
    return feeds_poll_due()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def assess_incident_transit_impact(
    incident_id: int, category_code: str, lat: float | None, lon: float | None
) -> bool:
    """Which lines an opened incident stands near; safe twice (one impact per incident)."""
    from mobility.services.links import incident_transit_impact_assess

    return (
        incident_transit_impact_assess(
            incident_id=incident_id, category_code=category_code, lat=lat, lon=lon
        )
        is not None
    )


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def report_transit_alert_to_crisis_cell(alert_id: int) -> bool:
    from mobility.services.links import transit_alert_to_crisis_cell

    return transit_alert_to_crisis_cell(alert_id=alert_id)
