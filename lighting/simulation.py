"""The lighting simulator: lamps follow their schedule, fail now and then, cabinets trip.

Cheap per tick: one UPDATE per street class for the schedule, a handful of rows otherwise.
"""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta

from django.utils import timezone

from lighting import schedule, services
from lighting.models import Cabinet, CabinetStatus, LampStatus, LightPoint

# Expected events per simulated day across the whole inventory: about 35,000 light points
# give a control room a lamp fault every quarter of an hour and a cabinet outage a few
# times a day (repairs keep pace, so the open faults stay a working set, not a pile).
LAMP_FAILURES_PER_DAY = 96.0
LAMP_REPAIRS_PER_DAY = 90.0
CABINET_OUTAGES_PER_DAY = 4.0
OUTAGE_REPAIR_PER_DAY = 12.0
DAY_BURNING_PER_DAY = 6.0


def _happens(rng: random.Random, per_day: float, elapsed: float) -> bool:
    return rng.random() < 1 - math.exp(-per_day * elapsed / 86_400)


def _random_row(rng: random.Random, queryset):  # type: ignore[no-untyped-def]
    count = queryset.count()
    return queryset.order_by("pk")[rng.randrange(count)] if count else None


def tick(*, now: datetime, elapsed: float, rng: random.Random) -> None:
    services.lamps_follow_schedule(now=now)
    if _happens(rng, LAMP_FAILURES_PER_DAY, elapsed):
        point = _random_row(rng, LightPoint.objects.filter(status=LampStatus.OK))
        if point is not None:
            services.lamp_status_set(point=point, status=LampStatus.LAMP_FAILURE)
    if _happens(rng, LAMP_REPAIRS_PER_DAY, elapsed):
        point = _random_row(rng, LightPoint.objects.filter(status=LampStatus.LAMP_FAILURE))
        if point is not None:
            services.lamp_status_set(point=point, status=LampStatus.OK)
    if _happens(rng, DAY_BURNING_PER_DAY, elapsed):
        point = _random_row(rng, LightPoint.objects.filter(status=LampStatus.OK))
        if point is not None and not schedule.is_dark(now):
            services.lamp_status_set(point=point, status=LampStatus.DAY_BURNING)
    if schedule.is_dark(now):
        # At dusk a lamp lit by day is no longer wrong: it is back to normal.
        for point in LightPoint.objects.filter(status=LampStatus.DAY_BURNING)[:20]:
            services.lamp_status_set(point=point, status=LampStatus.OK)
    if _happens(rng, CABINET_OUTAGES_PER_DAY, elapsed):
        cabinet = _random_row(rng, Cabinet.objects.filter(status=CabinetStatus.OK))
        if cabinet is not None:
            services.cabinet_power_set(cabinet=cabinet, powered=False, at=now)
    if _happens(rng, OUTAGE_REPAIR_PER_DAY, elapsed):
        cabinet = _random_row(rng, Cabinet.objects.filter(status=CabinetStatus.POWER_LOSS))
        if cabinet is not None:
            services.cabinet_power_set(cabinet=cabinet, powered=True, at=now)
    # Cabinets that answer keep being heard from; the silent-cabinet sweep then stays quiet.
    heard = timezone.now()
    Cabinet.objects.exclude(status=CabinetStatus.COMM_LOST).filter(
        last_seen_at__lt=heard - timedelta(minutes=1)
    ).update(last_seen_at=heard)
