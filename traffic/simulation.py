"""The traffic simulator: signal faults, camera dropouts, bollard cycles. A few rows per tick."""

from __future__ import annotations

import math
import random
from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from traffic import services
from traffic.models import (
    Bollard,
    BollardState,
    Camera,
    CameraStatus,
    ControllerState,
    Crossroad,
)

# Expected events per simulated day: ~180 crossroads, 115 cameras and the bollards give
# a signal fault every hour or so and a camera dropout every half hour.
SIGNAL_FAULTS_PER_DAY = 24.0
SIGNAL_REPAIRS_PER_DAY = 40.0
CAMERA_DROPOUTS_PER_DAY = 48.0
CAMERA_RETURNS_PER_DAY = 96.0
BOLLARD_FAULTS_PER_DAY = 4.0
BOLLARD_REPAIRS_PER_DAY = 12.0
FAULT_CODES = [
    "E12 lampe rouge grillée",
    "E31 conflit de vert",
    "E40 coupure secteur",
    "E07 détecteur",
]


def _happens(rng: random.Random, per_day: float, elapsed: float) -> bool:
    return rng.random() < 1 - math.exp(-per_day * elapsed / 86_400)


def _pick(rng: random.Random, queryset: QuerySet[Any]) -> Any:
    count = queryset.count()
    return queryset.order_by("pk")[rng.randrange(count)] if count else None


def _pedestrian_hours(bollard: Bollard, local: time) -> bool:
    start, end = bollard.closed_from, bollard.closed_until
    if start is None or end is None:
        return True
    return start <= local or local < end if start > end else start <= local < end


def tick(*, now: datetime, elapsed: float, rng: random.Random) -> None:
    if _happens(rng, SIGNAL_FAULTS_PER_DAY, elapsed):
        # Crossroads with an RSMP site are driven by their emulated controller instead.
        crossroad = _pick(
            rng, Crossroad.objects.filter(state=ControllerState.NORMAL, rsmp_site__isnull=True)
        )
        if crossroad is not None:
            state = rng.choice(
                [ControllerState.FLASHING, ControllerState.FAULT, ControllerState.DARK]
            )
            services.crossroad_state_set(
                crossroad=crossroad, state=state, fault_code=rng.choice(FAULT_CODES)
            )
    if _happens(rng, SIGNAL_REPAIRS_PER_DAY, elapsed):
        crossroad = _pick(
            rng,
            Crossroad.objects.exclude(state=ControllerState.NORMAL).filter(rsmp_site__isnull=True),
        )
        if crossroad is not None:
            services.crossroad_state_set(crossroad=crossroad, state=ControllerState.NORMAL)
    if _happens(rng, CAMERA_DROPOUTS_PER_DAY, elapsed):
        camera = _pick(rng, Camera.objects.filter(status=CameraStatus.ONLINE))
        if camera is not None:
            services.camera_status_set(camera=camera, status=CameraStatus.OFFLINE)
    if _happens(rng, CAMERA_RETURNS_PER_DAY, elapsed):
        camera = _pick(rng, Camera.objects.exclude(status=CameraStatus.ONLINE))
        if camera is not None:
            services.camera_status_set(camera=camera, status=CameraStatus.ONLINE)
    if _happens(rng, BOLLARD_FAULTS_PER_DAY, elapsed):
        bollard = _pick(rng, Bollard.objects.exclude(state=BollardState.FAULT))
        if bollard is not None:
            services.bollard_state_set(
                bollard=bollard, state=BollardState.FAULT, fault_code="H03 vérin"
            )
    if _happens(rng, BOLLARD_REPAIRS_PER_DAY, elapsed):
        bollard = _pick(rng, Bollard.objects.filter(state=BollardState.FAULT))
        if bollard is not None:
            services.bollard_state_set(bollard=bollard, state=BollardState.UP)
    _bollard_cycle(rng, timezone.localtime(now).time())
    heard = timezone.now()
    for model in (Crossroad, Camera, Bollard):
        model.objects.filter(last_seen_at__lt=heard - timedelta(minutes=1)).exclude(
            **({"rsmp_site__isnull": False} if model is Crossroad else {})
        ).update(last_seen_at=heard)  # type: ignore[attr-defined]


def _bollard_cycle(rng: random.Random, local: time) -> None:
    """Up during pedestrian hours, down for deliveries; a handful move per tick at most."""
    moved = 0
    for bollard in Bollard.objects.exclude(state=BollardState.FAULT).order_by("pk"):
        wanted = BollardState.UP if _pedestrian_hours(bollard, local) else BollardState.DOWN
        if bollard.state != wanted and moved < 5:
            services.bollard_state_set(bollard=bollard, state=wanted)
            moved += 1
