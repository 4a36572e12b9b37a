"""Reads of the event history for figures over a period (availability, time in a state)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Max, Q

from hypervisor.models import Event


def asset_state_events(
    *, asset_type: str, kinds: Iterable[str], start: datetime, end: datetime
) -> list[tuple[str, str, datetime]]:
    """(asset id, kind, occurred at) of the events that set assets' states over [start, end).

    Besides every event of the period, each asset's last such event before `start` is
    included: it says the state the period began in. Rows are in publication (id) order,
    the order the states changed in, even when readings carried older timestamps.
    """
    kinds = list(kinds)
    of_kind = Event.objects.filter(asset_type=asset_type, kind__in=kinds)
    last_before = (
        of_kind.filter(occurred_at__lt=start)
        .values("asset_id")
        .annotate(last=Max("id"))
        .values("last")
    )
    during = Q(asset_type=asset_type, kind__in=kinds, occurred_at__gte=start, occurred_at__lt=end)
    rows = (
        Event.objects.filter(Q(id__in=last_before) | during)
        .order_by("id")
        .values_list("asset_id", "kind", "occurred_at")
    )
    return list(rows)
