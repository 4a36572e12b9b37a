"""Handing work to Celery without ever losing it.

The database is the record of the work to do: an incident not yet routed has no
`routed_at`, a routed one not yet dispatched has no `dispatched_at`. On commit the work
is handed to the broker; if the broker does not answer, nothing is lost, and the sweep
hands it over again. Emergencies are swept after seconds, not after Celery's redelivery
delay, so a dead worker or a broker outage does not eat their one-hour deadline; they are
handed to the urgent queue, which workers read first.

While the ordinary queue still holds messages, ordinary work older than the delay is most
likely among them, merely waiting: the sweep then hands over emergencies only. Handing a
backlog over again would only add duplicates behind it, each one slowing the rest.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from incidents.models import Incident, Priority, Status

logger = logging.getLogger(__name__)
SWEEP_BATCH = 500


def relay(task_name: str, incident_id: int, *, priority: str | None = None) -> bool:
    """Enqueue one task now; False (logged) when the broker is unreachable.

    Emergencies go to the urgent queue, which workers read before the ordinary one, so a
    backlog of routine work never delays them. Without `priority`, it is read from the row.
    """
    from incidents import tasks

    task = getattr(tasks, task_name)
    if priority is None:
        priority = (
            Incident.objects.filter(pk=incident_id).values_list("priority", flat=True).first()
        )
    options = {"queue": settings.CELERY_URGENT_QUEUE} if priority == Priority.EMERGENCY else {}
    try:
        # No retry loop here: the request that committed must not hang on a dead broker.
        task.apply_async((incident_id,), retry=False, **options)
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
    from ondijon.celery import ordinary_backlog

    if ordinary_backlog():
        waiting = waiting.filter(priority=Priority.EMERGENCY)
    to_route = waiting.filter(status=Status.NEW, routed_at__isnull=True)
    to_dispatch = waiting.filter(status=Status.ROUTED, dispatched_at__isnull=True)
    counts = {"route": 0, "dispatch": 0}
    for name, queryset, task_name in (
        ("route", to_route, "route_incident"),
        ("dispatch", to_dispatch, "dispatch_incident"),
    ):
        waiting_work = queryset.order_by("due_at").values_list("pk", "priority")[:SWEEP_BATCH]
        for incident_id, priority in waiting_work:
            if not relay(task_name, incident_id, priority=priority):
                return counts  # the broker is still down; the next sweep tries again
            counts[name] += 1
    return counts
