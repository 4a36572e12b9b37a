"""Event handlers: short, they hand the work to a task with ids (after commit)."""

from __future__ import annotations

from typing import Any


def on_incident_opened(event: Any) -> None:
    from mobility.tasks import assess_incident_transit_impact

    assess_incident_transit_impact.delay(
        int(event.asset_id), event.category_code, event.lat, event.lon
    )


def on_transit_alert_published(event: Any) -> None:
    from mobility.tasks import report_transit_alert_to_crisis_cell

    report_transit_alert_to_crisis_cell.delay(int(event.asset_id))
