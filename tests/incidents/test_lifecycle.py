from __future__ import annotations

import pytest

from hypervisor.models import Event
from incidents import selectors, services
from incidents.models import Status, TaskStatus


def test_a_rejection_keeps_the_reason_for_the_reporter(open_incident, operator) -> None:
    incident = open_incident()
    services.incident_reject(incident_id=incident.pk, by=operator, reason="Domaine privé")
    view = selectors.incident_public_view(incident_id=incident.pk)
    assert view["status"] == Status.REJECTED
    assert view["reason"] == "Domaine privé"
    assert not view["is_open"]


def test_a_rejection_without_a_reason_is_refused(open_incident, operator) -> None:
    with pytest.raises(services.TransitionRefused):
        services.incident_reject(incident_id=open_incident().pk, by=operator, reason=" ")


def test_every_step_is_timestamped_and_attributed(open_incident, lighting_crew, operator):
    incident = open_incident()
    services.incident_cancel(incident_id=incident.pk, by=operator, reason="Signalé par erreur")
    steps = list(incident.transitions.values_list("to_status", "by__username"))
    assert steps == [
        ("new", None),
        ("routed", None),
        ("assigned", None),
        ("cancelled", operator.username),
    ]
    assert incident.tasks.get().status == TaskStatus.CANCELLED


def test_a_duplicate_points_at_its_master_and_leaves_the_map(open_incident, operator) -> None:
    master, second = open_incident(), open_incident()
    services.incident_mark_duplicate(incident_id=second.pk, master_id=master.pk, by=operator)
    second.refresh_from_db()
    assert second.master == master
    assert second.status == Status.DUPLICATE
    assert selectors.incident_map_feature(incident_id=str(second.pk)) is None


def test_an_incident_cannot_duplicate_itself(open_incident, operator) -> None:
    incident = open_incident()
    with pytest.raises(services.TransitionRefused):
        services.incident_mark_duplicate(
            incident_id=incident.pk, master_id=incident.pk, by=operator
        )


def test_a_new_incident_cannot_be_closed(reference_configuration, operator) -> None:
    incident = services.incident_open(
        category_code="eclairage-panne", description="x", lat=None, lon=None, source="web"
    )
    with pytest.raises(services.TransitionRefused):
        services.incident_close(incident_id=incident.pk, by=operator)


def test_an_operator_routes_an_unroutable_incident_by_hand(
    english, reference_configuration, operator
):
    from hypervisor.models import Service

    incident = services.incident_open(
        category_code="eclairage-panne", description="x", lat=48.85, lon=2.35, source="web"
    )
    services.incident_route(incident_id=incident.pk)
    queue = selectors.operator_queue()["unroutable"]
    assert queue[0]["reason"] == "The location is outside the territory."
    service = Service.objects.get(code="eclairage")
    services.incident_route_manually(incident_id=incident.pk, service_id=service.pk, by=operator)
    incident.refresh_from_db()
    assert incident.status == Status.ROUTED
    assert incident.service == service
    assert selectors.operator_queue()["unroutable"] == []


def test_status_changes_are_published_for_the_live_map(open_incident, operator) -> None:
    incident = open_incident()
    services.incident_reject(incident_id=incident.pk, by=operator, reason="Hors compétence")
    assert Event.objects.filter(
        kind="incident.status_changed", asset_id=str(incident.pk), payload__to_status="rejected"
    ).exists()


def test_an_incident_routed_by_hand_is_dispatched_once_committed(
    electrician, lighting_crew, operator, django_capture_on_commit_callbacks
) -> None:
    from hypervisor.models import Service
    from tests.incidents.factories import CategoryFactory

    CategoryFactory(code="candelabre-prive").trades.set([electrician])
    incident = services.incident_open(
        category_code="candelabre-prive", description="x", lat=47.3225, lon=5.0317, source="web"
    )
    services.incident_route(incident_id=incident.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.incident_route_manually(
            incident_id=incident.pk,
            service_id=Service.objects.get(code="eclairage").pk,
            by=operator,
        )
    assert incident.tasks.get().crew == lighting_crew


def test_routing_and_dispatch_start_by_themselves_once_the_report_is_committed(
    lighting_crew, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        incident = services.incident_open(
            category_code="eclairage-panne", description="x", lat=47.3225, lon=5.0317, source="web"
        )
    incident.refresh_from_db()
    assert incident.status == Status.ASSIGNED
    assert incident.tasks.get().crew == lighting_crew
