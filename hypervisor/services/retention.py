"""Retention of the event history: the live feed and alarm rules need only recent events."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from hypervisor.models import Event

# Deleted per statement, so a large purge never holds a long lock on the table.
PURGE_CHUNK = 10_000


def events_purge(*, now: datetime | None = None) -> int:
    """Delete events past the retention period whose alarm rules have been applied.

    Events still waiting for their rules are kept whatever their age, and so is the newest
    event: its id is the live feed's sequence number, which screens compare with theirs.
    Returns the number of events deleted.
    """
    cutoff = (now or timezone.now()) - timedelta(days=settings.EVENT_RETENTION_DAYS)
    newest = Event.objects.aggregate(newest=Max("id"))["newest"]
    if newest is None:
        return 0
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(
                Event.objects.filter(
                    recorded_at__lt=cutoff, rules_applied_at__isnull=False, id__lt=newest
                )
                .order_by("id")
                .values_list("id", flat=True)[:PURGE_CHUNK]
            )
            if not ids:
                return deleted
            deleted += Event.objects.filter(id__in=ids).delete()[0]
