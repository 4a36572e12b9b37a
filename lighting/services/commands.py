"""Commands: the nightly dimming plan and forced levels on a zone, through the device adapter."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hypervisor import events
from hypervisor.services import audit_record
from lighting import schedule
from lighting.devices import LightingDevice, device
from lighting.events import LightingOverridden
from lighting.models import LampStatus, LightingOverride, LightPoint, Technology
from lighting.selectors import override_active_zone, profiles


@transaction.atomic
def lamps_follow_schedule(*, now: datetime | None = None) -> int:
    """Bring healthy lamps to their profile's level; lamps under an override keep theirs.

    One UPDATE per street class, touching only the rows whose level differs.
    """
    now = now or timezone.now()
    moved = 0
    overridden = override_active_zone(now=now)
    full_night = schedule.level_at(now, schedule.FULL_NIGHT)
    targets = [
        (Q(street_class=street_class, technology=Technology.LED), schedule.level_at(now, profile))
        for street_class, profile in profiles().items()
    ]
    # Only LED lamps dim; older lamps burn at full power from dusk to dawn.
    targets.append((~Q(technology=Technology.LED), full_night))
    for which, level in targets:
        lamps = LightPoint.objects.filter(which, status=LampStatus.OK).exclude(level=level)
        if overridden is not None:
            lamps = lamps.exclude(overridden)
        moved += lamps.update(level=level)
    return moved


@transaction.atomic
def lighting_override(
    *,
    level: int,
    starts_at: datetime,
    ends_at: datetime,
    reason: str,
    by: User | None,
    commune_insee: str = "",
    bbox: tuple[float, float, float, float] | None = None,
    adapter: LightingDevice | None = None,
) -> LightingOverride:
    """Force a level on a commune or a bounding box (an event, a crisis); audited."""
    if not commune_insee and bbox is None:
        raise ValidationError(_("Choose a commune or draw a zone."))
    min_lon, min_lat, max_lon, max_lat = bbox or (None, None, None, None)
    override = LightingOverride(
        commune_insee=commune_insee,
        min_lat=min_lat,
        min_lon=min_lon,
        max_lat=max_lat,
        max_lon=max_lon,
        level=level,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason,
        created_by=by,
    )
    override.full_clean()
    if ends_at <= starts_at:
        raise ValidationError(_("The override must end after it starts."))
    points = LightPoint.objects.all()
    if commune_insee:
        points = points.filter(commune_insee=commune_insee)
    if bbox is not None:
        points = points.filter(
            lat__gte=min_lat, lat__lte=max_lat, lon__gte=min_lon, lon__lte=max_lon
        )
    override.points = points.count()
    override.save()
    if starts_at <= timezone.now() < ends_at:
        (adapter or device()).set_level(points=points, level=level)
    audit_record(
        actor=by,
        action="lighting.override",
        target=f"lighting_override:{override.pk}",
        summary=reason,
        after={"level": level, "points": override.points, "commune": commune_insee},
    )
    events.publish(
        LightingOverridden(
            asset_id=str(override.pk), level=level, points=override.points, reason=reason
        )
    )
    return override
