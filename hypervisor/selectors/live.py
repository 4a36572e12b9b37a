"""Reads for live screens: who may watch, snapshots, catch-up after a gap."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Max

from hypervisor.models import Event
from hypervisor.registry import registry

# A reconnecting screen that missed more than this gets a fresh snapshot instead.
CATCH_UP_LIMIT = 500
# Ids are given at insert, but transactions commit in any order: an event with an id just
# below the screen's last one may have committed after it. Resending these is harmless.
CATCH_UP_OVERLAP = 50


def user_can_watch_control_room(*, user: User | AnonymousUser) -> bool:
    """Operators and supervisors; elected officials too, read-only and for their commune."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.has_perm("hypervisor.view_control_room") or watched_commune(user=user) is not None


def watched_commune(*, user: User | AnonymousUser) -> str | None:
    """INSEE code an elected official's screen is limited to; None for control-room staff."""
    if not user.is_authenticated or user.has_perm("hypervisor.view_control_room"):
        return None
    from hypervisor.selectors.control import elected_official_commune

    commune = elected_official_commune(user=user)
    return commune.insee if commune else None


# The layers an elected official's screen shows, for their commune only.
COMMUNE_LAYERS = frozenset({"incidents", "alarms"})


def visible_in_commune(message: dict[str, Any], insee: str) -> bool:
    """Whether a snapshot feature or delta lies in the commune (geometry-less ones do not)."""
    feature = message.get("feature") if message.get("type") == "delta" else message
    if not feature or feature.get("lat") is None or feature.get("lon") is None:
        return message.get("op") == "remove"
    from hypervisor.selectors.territory import commune_at

    return commune_at(lat=feature["lat"], lon=feature["lon"]) == insee


def delta_audience(delta: dict[str, Any]) -> str:
    """Which elected officials' screens a delta is for, decided once when it is published.

    "*": all of them (a removal: the feature's commune is no longer known); an INSEE code:
    that commune's; "": none. Control-room staff receive every delta regardless.
    """
    if delta.get("layer") not in COMMUNE_LAYERS:
        return ""
    if delta.get("op") == "remove":
        return "*"
    feature = delta.get("feature") or {}
    if feature.get("lat") is None or feature.get("lon") is None:
        return ""
    from hypervisor.selectors.territory import commune_at

    return commune_at(lat=feature["lat"], lon=feature["lon"]) or ""


def live_catch_up_for_commune(*, since: int | None, insee: str) -> list[dict[str, Any]]:
    """The catch-up of an elected official's screen: only what lies in their commune."""
    messages = live_catch_up(since=since)
    filtered = []
    for message in messages:
        if message["type"] == "snapshot":
            layers = {
                name: [feature for feature in features if visible_in_commune(feature, insee)]
                for name, features in message["layers"].items()
                if name in COMMUNE_LAYERS
            }
            filtered.append({**message, "layers": layers})
        elif message["type"] != "delta" or delta_audience(message) in ("*", insee):
            filtered.append(message)
    return filtered


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
            # A layer may show an event of another asset on one of its features (a layer
            # of work items told of a change to one of their parts, say).
            feature_of = getattr(layer, "feature_of", None)
            asset_id, feature = (
                feature_of(event) if feature_of else (event.asset_id, layer.feature(event.asset_id))
            )
            deltas.append(
                {
                    "type": "delta",
                    "seq": event.pk,
                    "layer": layer.name,
                    "id": asset_id,
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
    if since == 0:
        return [live_snapshot()]
    missed = list(Event.objects.filter(id__gt=since).order_by("id")[: CATCH_UP_LIMIT + 1])
    if len(missed) > CATCH_UP_LIMIT:
        return [live_snapshot()]
    overlap = list(
        Event.objects.filter(id__gt=max(since - CATCH_UP_OVERLAP, 0), id__lte=since).order_by("id")
    )
    last = missed[-1].pk if missed else since
    return [*live_deltas_for(overlap + missed), {"type": "caught_up", "seq": last}]
