"""`{% incident_calls incident_id %}`: the calls about an incident, as a block of its own.

The staff's incident detail shows the same list through its registered section.
"""

from __future__ import annotations

from typing import Any

from django import template

from citizens import selectors

register = template.Library()


@register.inclusion_tag("citizens/includes/incident_calls.html")
def incident_calls(incident_id: int) -> dict[str, Any]:
    return {"section": selectors.incident_calls_section(incident_id)}
