"""Reads of the hypervisor: the public API that views, consumers and domain apps call."""

from hypervisor.selectors.control import (
    acknowledged_alarm_assets,
    audit_actions,
    audit_entries,
    crisis_active,
    crisis_detail,
    crisis_history,
    crisis_zone,
    elected_board,
    elected_official_commune,
    kpi_board,
    procedure_view,
)
from hypervisor.selectors.history import asset_state_events
from hypervisor.selectors.live import (
    live_catch_up,
    live_deltas_for,
    live_sequence,
    live_snapshot,
    user_can_watch_control_room,
)
from hypervisor.selectors.places import place_search, places_count
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
    "acknowledged_alarm_assets",
    "asset_state_events",
    "audit_actions",
    "audit_entries",
    "commune_at",
    "commune_index",
    "commune_names",
    "commune_random_point",
    "communes_geojson",
    "crisis_active",
    "crisis_detail",
    "crisis_history",
    "crisis_zone",
    "demo_is_seeded",
    "elected_board",
    "elected_official_commune",
    "kpi_board",
    "live_catch_up",
    "live_deltas_for",
    "live_sequence",
    "live_snapshot",
    "place_search",
    "places_count",
    "procedure_view",
    "routing_decide",
    "territory_contains",
    "territory_is_loaded",
    "user_can_watch_control_room",
]
