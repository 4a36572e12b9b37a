from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from hypervisor.models import Event
from incidents import services
from incidents.models import Category, Incident, Status
from tests.incidents.factories import CategoryFactory

DIJON = {"lat": 47.3220, "lon": 5.0415}


def open_street_light_incident(**overrides: object) -> Incident:
    values = {"category_code": "eclairage-panne", "description": "Lampadaire éteint", **DIJON}
    values.update(overrides)
    return services.incident_open(source=services.Source.WEB, **values)  # type: ignore[arg-type]


def test_opening_an_incident_records_its_first_step_and_an_event(reference_configuration) -> None:
    incident = open_street_light_incident()
    assert incident.status == Status.NEW
    assert [(t.from_status, t.to_status) for t in incident.transitions.all()] == [("", "new")]
    assert Event.objects.filter(kind="incident.opened", asset_id=str(incident.pk)).exists()


def test_the_deadline_follows_the_category(reference_configuration) -> None:
    incident = open_street_light_incident(category_code="signalisation-feu")
    assert (incident.due_at - incident.created_at).total_seconds() == pytest.approx(3600, abs=5)
    assert incident.priority == "emergency"


def test_routing_records_the_service_and_the_rule_that_matched(reference_configuration) -> None:
    incident = services.incident_route(incident_id=open_street_light_incident().pk)
    assert incident.status == Status.ROUTED
    assert incident.service.name == "Éclairage public"
    assert incident.routing_rule.category_code == "eclairage-panne"
    assert incident.commune.insee == "21231"


def test_routing_twice_has_no_second_effect(reference_configuration) -> None:
    incident = open_street_light_incident()
    services.incident_route(incident_id=incident.pk)
    services.incident_route(incident_id=incident.pk)
    assert incident.transitions.filter(to_status=Status.ROUTED).count() == 1
    assert Event.objects.filter(kind="incident.routed", asset_id=str(incident.pk)).count() == 1


def test_an_incident_no_rule_covers_waits_for_an_operator_with_the_reason(
    english, reference_configuration
) -> None:
    CategoryFactory(code="graffiti-prive")
    incident = services.incident_route(
        incident_id=open_street_light_incident(category_code="graffiti-prive").pk
    )
    assert incident.status == Status.NEW
    assert incident.service is None
    assert incident.routing_note == "No routing rule for this category here."


def test_routing_starts_by_itself_once_the_incident_is_committed(
    reference_configuration, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        incident = open_street_light_incident()
    incident.refresh_from_db()
    assert incident.status == Status.ROUTED


def test_an_inactive_category_is_refused(reference_configuration) -> None:
    Category.objects.filter(code="eclairage-panne").update(active=False)
    with pytest.raises(services.CategoryUnavailable):
        open_street_light_incident()
    assert not Incident.objects.exists()


def test_an_empty_description_is_refused_and_nothing_is_stored(reference_configuration) -> None:
    with pytest.raises(ValidationError):
        open_street_light_incident(description="   ")
    assert not Incident.objects.exists()
    assert not Event.objects.exists()
