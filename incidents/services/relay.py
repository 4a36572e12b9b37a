"""Handing work to Celery without ever losing it.

The database is the record of the work to do: an incident not yet routed has no
`routed_at`, a routed one not yet dispatched has no `dispatched_at`. On commit the work
is handed to the broker; if the broker does not answer, nothing is lost, and the sweep
hands it over again. Emergencies are swept after seconds, not after Celery's redelivery
delay, so a dead worker or a broker outage does not eat their one-hour deadline.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from incidents.models import Incident, Priority, Status

logger = logging.getLogger(__name__)
SWEEP_BATCH = 500


def relay(task_name: str, incident_id: int) -> bool:
    """Enqueue one task now; False (logged) when the broker is unreachable."""
    from incidents import tasks

    task = getattr(tasks, task_name)
    try:
        # No retry loop here: the request that committed must not hang on a dead broker.
        task.apply_async((incident_id,), retry=False)
    except Exception:
        logger.warning("Broker unreachable: %s(%s) is kept for the sweep", task_name, incident_id)
        return False
    return True


def _waiting_since(now: datetime) -> tuple[datetime, datetime]:
    return (
        now - timedelta(seconds=settings.INCIDENTS_RELAY_AFTER_SECONDS),
        now - timedelta(seconds=settings.INCIDENTS_EMERGENCY_RELAY_AFTER_SECONDS),
    )


def incidents_relay_pending(*, now: datetime | None = None) -> dict[str, int]:
    """Hand the broker again every routing and dispatch still waiting; returns the counts.

    Handing over twice is harmless: routing and dispatch do nothing the second time.
    """
    now = now or timezone.now()
    ordinary, emergency = _waiting_since(now)
    waiting = Incident.objects.exclude(priority=Priority.EMERGENCY, created_at__gt=emergency)
    waiting = waiting.exclude(
        created_at__gt=ordinary, priority__in=[Priority.HIGH, Priority.NORMAL, Priority.LOW]
    )
    to_route = waiting.filter(status=Status.NEW, routed_at__isnull=True)
    to_dispatch = waiting.filter(status=Status.ROUTED, dispatched_at__isnull=True)
    counts = {"route": 0, "dispatch": 0}
    for name, queryset, task_name in (
        ("route", to_route, "route_incident"),
        ("dispatch", to_dispatch, "dispatch_incident"),
    ):
        ids = queryset.order_by("due_at").values_list("pk", flat=True)[:SWEEP_BATCH]
        for incident_id in ids:
            if not relay(task_name, incident_id):
                return counts  # the broker is still down; the next sweep tries again
            counts[name] += 1
    return counts
