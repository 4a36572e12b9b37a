"""Incidents blocking a road near a line; notifying the transport operator; crisis cell."""

from __future__ import annotations

from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hypervisor.models import CrisisLogEntry, Notification
from hypervisor.services import crisis_activate
from incidents.models import Source
from incidents.services import incident_open
from mobility import network
from mobility.models import (
    Feed,
    FeedKind,
    IncidentTransitImpact,
    TransitAlert,
    TransportOperatorContact,
)
from mobility.services import links
from mobility.services.gtfs import gtfs_import

DARCY = network.STOPS["DARCY"][1:]
FAR_AWAY = (47.2300, 4.9100)


@pytest.fixture
def transit(db, tmp_path, reference_configuration) -> None:
    gtfs_import(path=network.write_gtfs(tmp_path / "gtfs.zip"))
    TransportOperatorContact.objects.create(
        category_code="voirie-obstacle", recipient_name="PC Divia", email="pc@divia.example"
    )


def _open(lat: float, lon: float, category: str = "voirie-obstacle") -> int:
    incident = incident_open(
        category_code=category,
        description="Camion en travers",
        lat=lat,
        lon=lon,
        source=Source.PHONE,
    )
    return incident.pk


def test_an_obstacle_at_darcy_shows_the_lines_that_pass_there(
    transit, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        incident_id = _open(*DARCY)
    impact = IncidentTransitImpact.objects.get(incident_id=incident_id)
    assert {line["route_id"] for line in impact.lines} == {"T1", "T2", "B18", "CITY"}
    assert impact.reference


def test_an_obstacle_far_from_any_line_touches_no_transport(
    transit, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _open(*FAR_AWAY)
        # Positive control in the same run: near Darcy, an impact is recorded.
        _open(*DARCY)
    assert IncidentTransitImpact.objects.count() == 1


def test_a_category_without_a_transport_contact_is_not_assessed(
    transit, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _open(*DARCY, category="proprete-tag")
    assert not IncidentTransitImpact.objects.exists()


def test_the_operator_notifies_the_transport_operator_once_by_email(
    transit, operator, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        incident_id = _open(*DARCY)
    client = Client()
    client.force_login(operator)
    url = reverse("mobility-notify-operator", args=[incident_id])
    with mock.patch("hypervisor.services.notifications._enqueue"):
        assert client.post(url).status_code == 302
        assert client.post(url).status_code == 302
    notification = Notification.objects.get(address="pc@divia.example")
    assert notification.channel == "email"
    assert "T1" in notification.subject
    assert "Camion" not in notification.body  # the reporter's free text stays in the room
    assert IncidentTransitImpact.objects.get(incident_id=incident_id).notified_by == operator


def test_a_field_agent_may_not_notify_the_transport_operator(transit, field_agent) -> None:
    client = Client()
    client.force_login(field_agent)
    response = client.post(reverse("mobility-notify-operator", args=[1]))
    assert response.status_code == 403


def _alert(lat: float, lon: float) -> TransitAlert:
    feed = Feed.objects.create(name="alerts", kind=FeedKind.GTFS_RT, url="http://127.0.0.1:9/a")
    now = timezone.now()
    return TransitAlert.objects.create(
        feed=feed, alert_id="a1", header="Ligne T1 : perturbation à Darcy", route_ids=["T1"],
        lat=lat, lon=lon, first_seen_at=now, last_seen_at=now,
    )  # fmt: skip


def test_a_transit_alert_in_the_crisis_zone_is_logged_in_the_crisis_cell(
    transit, supervisor
) -> None:
    ring = [[5.03, 47.32], [5.04, 47.32], [5.04, 47.325], [5.03, 47.325], [5.03, 47.32]]
    zone = {"type": "Polygon", "coordinates": [ring]}
    crisis_activate(title="Crue", severity="major", zone=zone, commune_ids=[], by=supervisor)
    far = _alert(*FAR_AWAY)
    assert links.transit_alert_to_crisis_cell(alert_id=far.pk) is False
    near = TransitAlert.objects.create(
        feed=far.feed, alert_id="a2", header="Ligne T1 : perturbation à Darcy", route_ids=["T1"],
        lat=DARCY[0], lon=DARCY[1], first_seen_at=timezone.now(), last_seen_at=timezone.now(),
    )  # fmt: skip
    assert links.transit_alert_to_crisis_cell(alert_id=near.pk) is True
    logged = CrisisLogEntry.objects.filter(kind="system", text__contains="perturbation à Darcy")
    assert logged.count() == 1
