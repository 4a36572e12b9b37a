"""The crisis cell lists the open incidents and the crews inside its zone."""

from __future__ import annotations

from hypervisor import selectors
from hypervisor.services import crisis_activate
from tests.hypervisor.test_crisis_live import CENTRE


def test_the_crisis_view_lists_incidents_and_crews_inside_its_zone(
    supervisor, open_incident, lighting_crew
) -> None:
    incident = open_incident()
    crisis = crisis_activate(
        title="Crue", severity="major", commune_ids=[], zone=CENTRE, by=supervisor
    )
    inside = {s["name"]: s for s in selectors.crisis_zone_contents(crisis)}
    assert [item["text"].split(" · ")[0] for item in inside["incidents"]["items"]] == [
        incident.reference
    ]
    assert [item["text"].split(" · ")[0] for item in inside["crews"]["items"]] == ["Éclairage A"]


def test_incidents_outside_the_zone_are_not_listed(
    supervisor, open_incident, lighting_crew
) -> None:
    open_incident(at=(47.2905, 5.0080))  # Chenôve, south of the zone
    crisis = crisis_activate(
        title="Crue", severity="major", commune_ids=[], zone=CENTRE, by=supervisor
    )
    inside = {s["name"]: s for s in selectors.crisis_zone_contents(crisis)}
    assert inside["incidents"]["items"] == []
    assert inside["crews"]["items"] != []  # the crew, in the centre, is (positive control)
