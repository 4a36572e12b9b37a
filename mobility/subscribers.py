"""Event handlers: short, they hand the work to a task with ids (after commit)."""

from __future__ import annotations

from typing import Any


def on_incident_opened(event: Any) -> None:
    """Only categories with a transport contact are assessed: a burst of other incidents
    must not queue work that would find nothing to do."""
    from mobility.selectors import category_has_transport_contact
    from mobility.tasks import assess_incident_transit_impact

    if event.lat is None or not category_has_transport_contact(category_code=event.category_code):
        return
    assess_incident_transit_impact.delay(
        int(event.asset_id), event.category_code, event.lat, event.lon
    )


def on_incident_located(event: Any) -> None:
    """An incident opened without a position and placed later on the map is assessed then."""
    from incidents.selectors import incident_map_feature
    from mobility.selectors import category_has_transport_contact
    from mobility.tasks import assess_incident_transit_impact

    feature = incident_map_feature(incident_id=str(event.asset_id))
    if event.lat is None or feature is None:
        return
    if not category_has_transport_contact(category_code=feature["category_code"]):
        return
    assess_incident_transit_impact.delay(
        int(event.asset_id), feature["category_code"], event.lat, event.lon
    )


def on_transit_alert_published(event: Any) -> None:
    from mobility.tasks import report_transit_alert_to_crisis_cell

    report_transit_alert_to_crisis_cell.delay(int(event.asset_id))
