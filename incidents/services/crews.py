"""Crews, their shifts, their agents and where they are."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from hypervisor import events, geo
from incidents.events import CrewAvailabilityChanged, CrewMoved
from incidents.models import Availability, Crew, CrewKind, CrewMember, Shift, Trade

# A position is republished to the live map only when the crew moved this far or this
# long after the last published one: a tablet reporting every few seconds stays cheap.
MOVE_PUBLISH_METRES = 10.0
MOVE_PUBLISH_INTERVAL = timedelta(seconds=30)


class PositionRefused(ValueError):
    """A position that cannot be true (out of range coordinates)."""


@transaction.atomic
def crew_ensure(
    *,
    code: str,
    name: str,
    kind: CrewKind = CrewKind.CREW,
    service_id: int | None = None,
    trade_codes: list[str] | None = None,
) -> Crew:
    crew, _created = Crew.objects.update_or_create(
        code=code, defaults={"name": name, "kind": kind, "service_id": service_id}
    )
    crew.full_clean()
    if trade_codes is not None:
        crew.trades.set(Trade.objects.filter(code__in=trade_codes))
    return crew


@transaction.atomic
def shift_add(*, crew_id: int, starts_at: datetime, ends_at: datetime) -> Shift:
    shift = Shift(crew_id=crew_id, starts_at=starts_at, ends_at=ends_at)
    shift.full_clean()
    shift.save()
    return shift


@transaction.atomic
def shift_end_now(*, crew_id: int) -> int:
    """End the crew's current shift now (it went home early); returns the shifts cut."""
    now = timezone.now()
    return Shift.objects.filter(crew_id=crew_id, starts_at__lte=now, ends_at__gt=now).update(
        ends_at=now
    )


@transaction.atomic
def crew_member_set(*, user: User, crew_id: int) -> CrewMember:
    """Put an agent in a crew (an agent belongs to one crew at a time)."""
    member, _created = CrewMember.objects.update_or_create(user=user, defaults={"crew_id": crew_id})
    member.full_clean()
    return member


def _publish_position(crew: Crew) -> None:
    events.publish(CrewMoved(asset_id=str(crew.pk), lat=crew.lat, lon=crew.lon))


@transaction.atomic
def crew_position_report(
    *, crew_id: int, lat: float, lon: float, at: datetime | None = None
) -> Crew:
    """Record where a crew is (from a tablet's geolocation or the simulator)."""
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise PositionRefused(f"{lat},{lon}")
    crew = Crew.objects.select_for_update().get(pk=crew_id)
    at = at or timezone.now()
    if crew.position_at is not None and at < crew.position_at:
        return crew  # an older fix arriving late (offline replay) must not move the crew back
    moved = (
        crew.lat is None
        or crew.lon is None
        or geo.haversine_m(crew.lat, crew.lon, lat, lon) >= MOVE_PUBLISH_METRES
    )
    stale = crew.position_at is None or at - crew.position_at >= MOVE_PUBLISH_INTERVAL
    crew.lat, crew.lon, crew.position_at = lat, lon, at
    crew.full_clean()
    crew.save(update_fields=["lat", "lon", "position_at"])
    if moved or stale:
        _publish_position(crew)
    return crew


@transaction.atomic
def crew_availability_set(*, crew_id: int, availability: Availability) -> Crew:
    crew = Crew.objects.select_for_update().get(pk=crew_id)
    if crew.availability == availability:
        return crew
    crew.availability = availability
    crew.full_clean()
    crew.save(update_fields=["availability"])
    events.publish(
        CrewAvailabilityChanged(
            asset_id=str(crew.pk), lat=crew.lat, lon=crew.lon, availability=availability
        )
    )
    return crew
