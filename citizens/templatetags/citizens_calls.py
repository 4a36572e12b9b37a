"""`{% incident_calls incident_id %}`: the calls about an incident, for its staff page."""

from __future__ import annotations

from typing import Any

from django import template

from citizens import selectors

register = template.Library()


@register.inclusion_tag("citizens/includes/incident_calls.html")
def incident_calls(incident_id: int) -> dict[str, Any]:
    return {"calls": list(selectors.calls_for_incident(incident_id=incident_id))}
