"""The event bus: services publish typed events; delivery happens after commit.

An event is stored in the same transaction as the change it describes, so the history is
exactly what committed. Subscribers and the live map hear of it only once the transaction
commits; a rollback delivers nothing.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any, ClassVar

from django.db import transaction
from django.utils import timezone

from hypervisor.models import Event, Severity

__all__ = ["DomainEvent", "MalformedEvent", "Severity", "deliver", "publish"]

logger = logging.getLogger(__name__)

_BASE_FIELDS = {"asset_id", "severity", "lat", "lon", "occurred_at"}


class MalformedEvent(ValueError):
    """An event that cannot be stored or delivered as given."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class DomainEvent:
    """Base of every event: past-tense name, an asset reference, a place and a severity."""

    kind: ClassVar[str]
    asset_type: ClassVar[str]

    asset_id: str
    severity: str = Severity.INFO
    lat: float | None = None
    lon: float | None = None
    occurred_at: datetime = dataclasses.field(default_factory=timezone.now)

    def payload(self) -> dict[str, Any]:
        return {
            item.name: getattr(self, item.name)
            for item in dataclasses.fields(self)
            if item.name not in _BASE_FIELDS
        }

    def validate(self) -> None:
        if not getattr(self, "kind", "") or not getattr(self, "asset_type", ""):
            raise MalformedEvent(f"{type(self).__name__} declares no kind or asset type")
        if not str(self.asset_id):
            raise MalformedEvent(f"{self.kind}: empty asset id")
        if self.severity not in Severity.values:
            raise MalformedEvent(f"{self.kind}: unknown severity {self.severity!r}")
        if (self.lat is None) != (self.lon is None):
            raise MalformedEvent(f"{self.kind}: latitude and longitude go together")
        if (
            self.lat is not None
            and self.lon is not None
            and not (-90 <= self.lat <= 90 and -180 <= self.lon <= 180)
        ):
            raise MalformedEvent(f"{self.kind}: coordinates out of range")


def publish(event: DomainEvent) -> Event:
    """Store the event now and deliver it once the surrounding transaction commits."""
    try:
        event.validate()
    except MalformedEvent as error:
        logger.warning("Refused a malformed event: %s", error)
        raise
    record = Event.objects.create(
        kind=event.kind,
        asset_type=event.asset_type,
        asset_id=str(event.asset_id),
        severity=event.severity,
        lat=event.lat,
        lon=event.lon,
        payload=event.payload(),
        occurred_at=event.occurred_at,
    )
    # robust: a subscriber or the channel layer failing must not break the caller's commit.
    transaction.on_commit(lambda: deliver(record, event), robust=True)
    return record


def deliver(record: Event, event: DomainEvent) -> None:
    """Fan out one committed event to the live map, then to its subscribers.

    Screens hear of it first: a subscriber may publish follow-up events synchronously
    (tasks run in-process in the embedded mode), and those must not overtake this one.
    """
    from hypervisor import live
    from hypervisor.registry import registry

    live.push_event(record)
    handlers: list[tuple[Callable[..., None], object]] = [
        (handler, event) for handler in registry.subscribers_of(event.kind)
    ]
    handlers += [(handler, record) for handler in registry.subscribers_of("*")]
    for handler, argument in handlers:
        try:
            handler(argument)
        except Exception:
            # One failing subscriber must not starve the others of the event.
            logger.exception("Subscriber %s failed on event #%s", handler, record.pk)
