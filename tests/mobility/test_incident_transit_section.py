"""The incident detail shows the transit lines it blocks and lets the operator notify the
transport operator from there (page and control-room panel)."""

from __future__ import annotations

from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from hypervisor.models import Notification
from incidents.models import Source
from incidents.services import incident_open, incident_resolve
from mobility import network
from mobility.models import IncidentTransitImpact, TransportOperatorContact
from mobility.services.gtfs import gtfs_import

DARCY = network.STOPS["DARCY"][1:]
FAR_AWAY = (47.2300, 4.9100)
HAUTEVILLE = (47.3660, 4.9950)  # in the metropolis, far from the demo lines
SECTION = 'data-section="transit-impact"'


@pytest.fixture
def transit(db, tmp_path, reference_configuration) -> None:
    gtfs_import(path=network.write_gtfs(tmp_path / "gtfs.zip"))
    TransportOperatorContact.objects.create(
        category_code="voirie-obstacle", recipient_name="PC Divia", email="pc@divia.example"
    )


@pytest.fixture
def obstacle(transit, django_capture_on_commit_callbacks):
    """Open a road obstacle at a place; the lines near it are found after commit."""

    def opener(at: tuple[float, float]) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            incident = incident_open(
                category_code="voirie-obstacle",
                description="Camion en travers",
                lat=at[0],
                lon=at[1],
                source=Source.PHONE,
            )
        return incident.pk

    return opener


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_incident_near_a_line_shows_its_lines_stops_and_the_notify_action(
    obstacle, operator
) -> None:
    incident_id = obstacle(DARCY)
    html = _client(operator).get(reverse("incident-page", args=[incident_id])).content.decode()
    section = html.split(SECTION)[1].split("</section>")[0]
    assert "T1" in section
    assert "Darcy" in section
    notify = reverse("mobility-notify-operator", args=[incident_id])
    assert f'action="{notify}"' in section
    assert "csrfmiddlewaretoken" in section


def test_an_incident_far_from_any_line_has_no_transit_section(obstacle, operator) -> None:
    far = obstacle(FAR_AWAY)
    near = obstacle(DARCY)
    client = _client(operator)
    assert SECTION not in client.get(reverse("incident-panel", args=[far])).content.decode()
    # Positive control: the same panel of an incident at Darcy has it.
    assert SECTION in client.get(reverse("incident-panel", args=[near])).content.decode()


def test_notifying_from_the_incident_page_returns_to_it_and_shows_when_and_to_whom(
    obstacle, operator
) -> None:
    incident_id = obstacle(DARCY)
    client = _client(operator)
    page = reverse("incident-page", args=[incident_id])
    with mock.patch("hypervisor.services.notifications._enqueue"):
        response = client.post(
            reverse("mobility-notify-operator", args=[incident_id]), {"next": page}
        )
    assert response.status_code == 302
    assert response["Location"] == page
    assert Notification.objects.filter(address="pc@divia.example").count() == 1
    html = client.get(page).content.decode()
    section = html.split(SECTION)[1].split("</section>")[0]
    assert 'data-testid="transport-notified"' in section
    assert "PC Divia" in section
    assert 'data-testid="notify-transport-operator"' not in section


def test_the_panel_notifies_once_in_json_and_refuses_a_second_time(obstacle, operator) -> None:
    incident_id = obstacle(DARCY)
    client = _client(operator)
    url = reverse("mobility-notify-operator", args=[incident_id])
    with mock.patch("hypervisor.services.notifications._enqueue"):
        first = client.post(url, HTTP_ACCEPT="application/json")
        second = client.post(url, HTTP_ACCEPT="application/json")
    assert first.status_code == 200
    assert "ok" in first.json()
    assert second.status_code == 409
    assert second.json()["error"]
    assert Notification.objects.filter(address="pc@divia.example").count() == 1


def test_a_redirect_elsewhere_than_this_site_is_not_followed(obstacle, operator) -> None:
    incident_id = obstacle(DARCY)
    with mock.patch("hypervisor.services.notifications._enqueue"):
        response = _client(operator).post(
            reverse("mobility-notify-operator", args=[incident_id]),
            {"next": "https://example.org/"},
        )
    assert response["Location"] == reverse("mobility-board")


@pytest.mark.parametrize("role", ["teleoperator", "field_agent", "police_officer"])
def test_a_role_without_the_permission_cannot_notify(obstacle, role, request) -> None:
    incident_id = obstacle(DARCY)
    user = request.getfixturevalue(role)
    response = _client(user).post(reverse("mobility-notify-operator", args=[incident_id]))
    assert response.status_code == 403
    assert IncidentTransitImpact.objects.get(incident_id=incident_id).notified_at is None


def test_an_operator_without_the_permission_sees_the_lines_but_no_notify_button(
    obstacle, operator
) -> None:
    from django.contrib.auth.models import Permission

    incident_id = obstacle(DARCY)
    operator.groups.clear()
    operator.user_permissions.set(
        Permission.objects.filter(content_type__app_label="incidents", codename="view_incident")
    )
    html = _client(operator).get(reverse("incident-page", args=[incident_id])).content.decode()
    section = html.split(SECTION)[1].split("</section>")[0]
    assert "T1" in section
    assert 'data-testid="notify-transport-operator"' not in section


def test_a_resolved_incident_is_not_notified(obstacle, operator) -> None:
    incident_id = obstacle(DARCY)
    incident_resolve(incident_id=incident_id, by=operator, note="Camion dégagé")
    response = _client(operator).post(
        reverse("mobility-notify-operator", args=[incident_id]), HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 409
    assert not Notification.objects.filter(address="pc@divia.example").exists()


def test_the_sections_read_in_french_by_default_and_in_english_when_chosen(
    obstacle, operator, teleoperator
) -> None:
    from django.conf import settings

    from citizens.models import CallReason
    from citizens.services import call_log

    incident_id = obstacle(DARCY)
    call_log(reason=CallReason.COMPLAINT, incident_id=incident_id, taken_by=teleoperator)
    client = _client(operator)
    page = reverse("incident-page", args=[incident_id])
    french = client.get(page).content.decode()
    assert "Transports en commun touchés" in french
    assert "Appels téléphoniques" in french
    assert "1 appel au sujet de cet incident" in french
    assert "Prévenir l'exploitant des transports" in french
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(page).content.decode()
    assert "Public transport affected" in english
    assert "Phone calls" in english
    assert "Notify the transport operator" in english
    assert "Transports en commun touchés" not in english


def test_an_incident_placed_on_the_map_later_is_assessed_at_its_new_place(
    transit, operator, django_capture_on_commit_callbacks
) -> None:
    from incidents.services import incident_locate

    with django_capture_on_commit_callbacks(execute=True):
        incident = incident_open(
            category_code="voirie-obstacle", description="Camion", lat=None, lon=None,
            source=Source.PHONE, address="quelque part",
        )  # fmt: skip
    assert not IncidentTransitImpact.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        incident_locate(incident_id=incident.pk, lat=DARCY[0], lon=DARCY[1], by=operator)
    lines = IncidentTransitImpact.objects.get(incident_id=incident.pk).lines
    assert "T1" in {line["route_id"] for line in lines}


def test_an_incident_moved_away_from_the_lines_before_notifying_loses_its_section(
    obstacle, operator, django_capture_on_commit_callbacks
) -> None:
    from incidents.services import incident_locate

    moved = obstacle(DARCY)
    kept = obstacle(DARCY)
    with django_capture_on_commit_callbacks(execute=True):
        incident_locate(incident_id=moved, lat=HAUTEVILLE[0], lon=HAUTEVILLE[1], by=operator)
    assert not IncidentTransitImpact.objects.filter(incident_id=moved).exists()
    # Positive control: the one left at Darcy keeps its lines.
    assert IncidentTransitImpact.objects.filter(incident_id=kept).exists()
