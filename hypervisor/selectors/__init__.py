"""Reads of the hypervisor: the public API that views, consumers and domain apps call."""

from hypervisor.selectors.live import (
    live_catch_up,
    live_deltas_for,
    live_sequence,
    live_snapshot,
    user_can_watch_control_room,
)
from hypervisor.selectors.territory import (
    RoutingDecision,
    commune_at,
    commune_index,
    commune_names,
    commune_random_point,
    communes_geojson,
    demo_is_seeded,
    routing_decide,
    territory_contains,
    territory_is_loaded,
)

__all__ = [
    "RoutingDecision",
    "commune_at",
    "commune_index",
    "commune_names",
    "commune_random_point",
    "communes_geojson",
    "demo_is_seeded",
    "live_catch_up",
    "live_deltas_for",
    "live_sequence",
    "live_snapshot",
    "routing_decide",
    "territory_contains",
    "territory_is_loaded",
    "user_can_watch_control_room",
]
