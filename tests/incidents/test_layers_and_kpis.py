from __future__ import annotations

import uuid
from datetime import timedelta

from django.utils import timezone

from hypervisor.registry import registry
from hypervisor.selectors import live_snapshot
from incidents import selectors, services
from incidents.models import Priority


def test_crews_are_a_live_layer_that_moves(lighting_crew) -> None:
    assert {"incidents", "crews"} <= {layer.name for layer in registry.layers()}
    services.crew_position_report(crew_id=lighting_crew.pk, lat=47.33, lon=5.05)
    feature = registry.layer("crews").feature(str(lighting_crew.pk))
    assert (feature["lat"], feature["lon"]) == (47.33, 5.05)
    assert not feature["stale"]
    assert feature["status"] == "ok"
    assert live_snapshot()["layers"]["crews"][0]["name"] == lighting_crew.name


def test_a_small_move_soon_after_the_last_one_is_not_republished(lighting_crew) -> None:
    from hypervisor.models import Event

    services.crew_position_report(crew_id=lighting_crew.pk, lat=47.33, lon=5.05)
    services.crew_position_report(crew_id=lighting_crew.pk, lat=47.33001, lon=5.05)
    assert Event.objects.filter(kind="crew.moved").count() == 1


def test_a_resolved_incident_leaves_the_open_incident_layer(
    open_incident, lighting_crew, field_agent
) -> None:
    incident = open_incident()
    layer = registry.layer("incidents")
    assert layer.feature(str(incident.pk))["status"] == "assigned"
    services.field_action_apply(
        action_id=uuid.uuid4(), user=field_agent, task_id=incident.tasks.get().pk, kind="done"
    )
    assert layer.feature(str(incident.pk)) is None
    assert "incident.status_changed" in layer.event_kinds


def test_the_kpis_measure_deadlines_delays_and_communes(
    open_incident, lighting_crew, field_agent
) -> None:
    incident = open_incident()
    services.field_action_apply(
        action_id=uuid.uuid4(), user=field_agent, task_id=incident.tasks.get().pk, kind="done"
    )
    start, end = timezone.now() - timedelta(days=1), timezone.now() + timedelta(minutes=1)
    kpis = {kpi.key: kpi for kpi in registry.kpis()}
    compliance = kpis["incidents.sla_compliance"].compute(start=start, end=end)
    assert compliance["value"] == 100.0
    assert list(compliance["by"]) == [f"Éclairage public · {Priority.NORMAL.label}"]
    assert kpis["incidents.time_to_assign"].compute(start=start, end=end)["value"] is not None
    assert kpis["incidents.time_to_resolve"].compute(start=start, end=end)["value"] is not None
    per_commune = kpis["incidents.per_commune"].compute(start=start, end=end)
    assert per_commune["by"] == {"Dijon": 1}


def test_the_kpis_can_be_restricted_to_a_commune(open_incident, lighting_crew) -> None:
    open_incident()
    start, end = timezone.now() - timedelta(days=1), timezone.now() + timedelta(minutes=1)
    kpi = {kpi.key: kpi for kpi in registry.kpis()}["incidents.per_commune"]
    assert kpi.compute(start=start, end=end, commune_insee="21515")["value"] == 0
    assert kpi.compute(start=start, end=end, commune_insee="21231")["value"] == 1


def test_the_tablet_list_puts_emergencies_first(open_incident, lighting_crew) -> None:
    open_incident("eclairage-panne")
    open_incident("eclairage-cable", at=(47.3300, 5.0400))
    listed = selectors.crew_task_list(crew=lighting_crew)
    assert [task["priority"] for task in listed] == ["emergency", "normal"]


def test_a_crews_popup_names_its_own_state_in_words(lighting_crew, english) -> None:
    from incidents.models import Crew

    lighting_crew.position_at = timezone.now()
    lighting_crew.save()
    fresh = dict(selectors.crew_map_feature(Crew.objects.get(pk=lighting_crew.pk))["popup"])
    assert fresh["State"] == "Available"
    lighting_crew.position_at = timezone.now() - timedelta(days=1)
    lighting_crew.save()
    old = dict(selectors.crew_map_feature(Crew.objects.get(pk=lighting_crew.pk))["popup"])
    assert old["State"] == "Available, position out of date"
