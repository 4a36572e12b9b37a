"""Reads for live screens: who may watch, snapshots, catch-up after a gap."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.db.models import Max

from hypervisor.models import Event
from hypervisor.registry import registry

# A reconnecting screen that missed more than this gets a fresh snapshot instead.
CATCH_UP_LIMIT = 500


def user_can_watch_control_room(*, user: AbstractUser | AnonymousUser) -> bool:
    return bool(
        user.is_authenticated and user.is_active and user.has_perm("hypervisor.view_control_room")
    )


def live_sequence() -> int:
    return Event.objects.aggregate(last=Max("id"))["last"] or 0


def live_snapshot() -> dict[str, Any]:
    """Every live layer's features, stamped with the sequence they are current at."""
    sequence = live_sequence()
    return {
        "type": "snapshot",
        "seq": sequence,
        "layers": {layer.name: layer.snapshot() for layer in registry.layers()},
    }


def live_deltas_for(events: list[Event]) -> list[dict[str, Any]]:
    """Current state of the features these events touched, one delta per event and layer."""
    deltas = []
    for event in events:
        for layer in registry.layers():
            if event.kind not in layer.event_kinds:
                continue
            feature = layer.feature(event.asset_id)
            deltas.append(
                {
                    "type": "delta",
                    "seq": event.pk,
                    "layer": layer.name,
                    "id": event.asset_id,
                    "op": "upsert" if feature else "remove",
                    "feature": feature,
                    "event": {"kind": event.kind, "severity": event.severity},
                }
            )
    return deltas


def live_catch_up(*, since: int | None) -> list[dict[str, Any]]:
    """What a (re)connecting screen needs: the missed deltas, or a fresh snapshot."""
    if since is None or since < 0:
        return [live_snapshot()]
    missed = list(Event.objects.filter(id__gt=since).order_by("id")[: CATCH_UP_LIMIT + 1])
    if len(missed) > CATCH_UP_LIMIT or (missed and since == 0):
        return [live_snapshot()]
    last = missed[-1].pk if missed else max(since, 0)
    return [*live_deltas_for(missed), {"type": "caught_up", "seq": last}]
