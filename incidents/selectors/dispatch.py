"""Who should go: the nearest suitable crew, the place a task shares with others, blockers."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from hypervisor import geo
from incidents.models import OPEN_TASK_STATUSES, Availability, Crew, CrewKind, Shift, Task

# Ranking penalties, in metres of extra distance: a crew whose last position is old may be
# anywhere, and a crew with a queue will arrive later than its distance says.
STALE_PENALTY_M = 5_000.0
QUEUED_TASK_PENALTY_M = 1_500.0


@dataclass(frozen=True)
class CrewCandidate:
    crew_id: int
    name: str
    distance_m: float
    stale: bool
    queued: int
    score_m: float


def _on_shift(now: datetime) -> Exists:
    return Exists(Shift.objects.filter(crew=OuterRef("pk"), starts_at__lte=now, ends_at__gt=now))


def crew_is_on_shift(*, crew_id: int, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return Shift.objects.filter(crew_id=crew_id, starts_at__lte=now, ends_at__gt=now).exists()


def crew_shift_ended_at(*, crew_id: int, now: datetime | None = None) -> datetime | None:
    """When the crew's last shift ended, for the conflict message."""
    now = now or timezone.now()
    return (
        Shift.objects.filter(crew_id=crew_id, ends_at__lte=now)
        .order_by("-ends_at")
        .values_list("ends_at", flat=True)
        .first()
    )


def crew_candidates(
    *,
    lat: float,
    lon: float,
    trade_code: str,
    kind: CrewKind = CrewKind.CREW,
    service_id: int | None = None,
    now: datetime | None = None,
    limit: int = 5,
) -> list[CrewCandidate]:
    """Available crews on shift with the trade, best first.

    SQL keeps only crews inside a bounding box around the place; the survivors are ranked
    by great-circle distance, plus a penalty for a stale position and for queued tasks.
    """
    now = now or timezone.now()
    radius_m = settings.INCIDENTS_DISPATCH_RADIUS_M
    half_lat = geo.metres_to_degrees_lat(radius_m)
    half_lon = half_lat / max(0.1, math.cos(math.radians(lat)))
    crews = (
        Crew.objects.filter(
            active=True,
            kind=kind,
            availability__in=[Availability.AVAILABLE, Availability.BUSY],
            trades__code=trade_code,
            lat__range=(lat - half_lat, lat + half_lat),
            lon__range=(lon - half_lon, lon + half_lon),
        )
        .filter(_on_shift(now))
        .annotate(queued=Count("tasks", filter=Q(tasks__status__in=OPEN_TASK_STATUSES)))
    )
    if service_id is not None and kind == CrewKind.CREW:
        crews = crews.filter(Q(service_id=service_id) | Q(service__isnull=True))
    stale_before = now - timedelta(minutes=settings.INCIDENTS_POSITION_STALE_MINUTES)
    ranked = []
    for crew in crews.distinct():
        if crew.lat is None or crew.lon is None:  # excluded by the bounding box
            continue
        distance = geo.haversine_m(lat, lon, crew.lat, crew.lon)
        if distance > radius_m:
            continue
        stale = crew.position_at is None or crew.position_at < stale_before
        score = distance + (STALE_PENALTY_M if stale else 0.0) + QUEUED_TASK_PENALTY_M * crew.queued
        ranked.append(
            CrewCandidate(
                crew_id=crew.pk,
                name=crew.name,
                distance_m=round(distance, 1),
                stale=stale,
                queued=crew.queued,
                score_m=round(score, 1),
            )
        )
    ranked.sort(key=lambda candidate: (candidate.score_m, candidate.crew_id))
    return ranked[:limit]


def site_key_near(*, lat: float | None, lon: float | None, fallback: str) -> str:
    """The site of the nearest open task within the grouping radius, or a new one."""
    if lat is None or lon is None:
        return fallback
    radius_m = settings.INCIDENTS_SITE_RADIUS_M
    half_lat = geo.metres_to_degrees_lat(radius_m)
    half_lon = half_lat / max(0.1, math.cos(math.radians(lat)))
    nearby = Task.objects.filter(
        status__in=OPEN_TASK_STATUSES,
        lat__range=(lat - half_lat, lat + half_lat),
        lon__range=(lon - half_lon, lon + half_lon),
    ).values_list("site_key", "lat", "lon")
    best: tuple[float, str] | None = None
    for key, task_lat, task_lon in nearby:
        if task_lat is None or task_lon is None:  # excluded by the bounding box
            continue
        distance = geo.haversine_m(lat, lon, task_lat, task_lon)
        if distance <= radius_m and (best is None or (distance, key) < best):
            best = (distance, key)
    return best[1] if best else fallback


def task_blocker(*, task: Task) -> Task | None:
    """The open task at the same place whose trade must work first, if any.

    Trades with precedence 0 (a police patrol securing the place) neither wait nor block.
    """
    if task.trade.precedence <= 0:
        return None
    return (
        Task.objects.filter(
            site_key=task.site_key,
            status__in=OPEN_TASK_STATUSES,
            trade__precedence__gt=0,
            trade__precedence__lt=task.trade.precedence,
        )
        .exclude(pk=task.pk)
        .select_related("trade", "incident")
        .order_by("trade__precedence", "created_at", "pk")
        .first()
    )
