from __future__ import annotations

from datetime import timedelta

import time_machine
from django.utils import timezone

from citizens import selectors, services
from citizens.models import DuplicateRadius, Follower, Report
from incidents.models import Incident, Status
from tests.citizens.factories import DIJON, form_data, submit_report

# About 30 m and 200 m north of DIJON.
LAT_30_M = DIJON["lat"] + 0.00027
LAT_200_M = DIJON["lat"] + 0.0018


def test_an_open_incident_of_the_same_category_nearby_is_shown_before_sending(
    client, reference_configuration
) -> None:
    first = submit_report()
    response = client.post("/signaler/", form_data(lat=str(LAT_30_M)))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="duplicates"' in page
    assert f'name="follow" value="{first.incident_id}"' in page
    assert Report.objects.count() == 1


def test_nothing_is_shown_beyond_the_category_radius(client, reference_configuration) -> None:
    submit_report()
    response = client.post("/signaler/", form_data(lat=str(LAT_200_M)))
    assert response.status_code == 302


def test_the_radius_is_set_per_category(reference_configuration) -> None:
    submit_report()
    assert not selectors.duplicate_candidates(
        category_code="eclairage-panne", lat=LAT_200_M, lon=DIJON["lon"]
    )
    DuplicateRadius.objects.create(category_code="eclairage-panne", radius_m=300)
    assert selectors.duplicate_candidates(
        category_code="eclairage-panne", lat=LAT_200_M, lon=DIJON["lon"]
    )


def test_another_category_at_the_same_place_is_not_a_duplicate(reference_configuration) -> None:
    submit_report()
    assert not selectors.duplicate_candidates(
        category_code="voirie-nid-de-poule", lat=DIJON["lat"], lon=DIJON["lon"]
    )


def test_a_finished_incident_is_not_offered(reference_configuration, operator) -> None:
    from incidents.services import incident_reject

    first = submit_report()
    incident_reject(incident_id=first.incident_id, by=operator, reason="Domaine privé")
    assert not selectors.duplicate_candidates(
        category_code="eclairage-panne", lat=DIJON["lat"], lon=DIJON["lon"]
    )


def test_the_prompt_shows_no_reporter_details(client, reference_configuration) -> None:
    submit_report(
        description="Signalé par Jeanne Dupont",
        contact_email="jeanne@example.org",
        contact_consent=True,
    )
    page = client.post("/signaler/", form_data(lat=str(LAT_30_M))).content.decode()
    assert "Jeanne" not in page
    assert "jeanne@example.org" not in page


def test_sending_anyway_links_a_near_identical_report_to_the_master_incident(
    client, reference_configuration
) -> None:
    first = submit_report()
    response = client.post("/signaler/", form_data(lat=str(LAT_30_M), submit_anyway="1"))
    assert response.status_code == 302
    second = Report.objects.exclude(pk=first.pk).get()
    assert second.master_incident_id == first.incident_id
    duplicate = Incident.objects.get(pk=second.incident_id)
    assert duplicate.status == Status.DUPLICATE
    assert duplicate.master_id == first.incident_id


def test_a_report_after_the_time_window_is_not_linked(reference_configuration, settings) -> None:
    settings.CITIZENS_DUPLICATE_WINDOW_HOURS = 24
    first = submit_report()
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        second = submit_report(lat=LAT_30_M)
    assert second.master_incident_id is None
    assert Incident.objects.get(pk=second.incident_id).status == Status.NEW
    assert first.master_incident_id is None


def test_a_report_within_the_time_window_is_linked(reference_configuration, settings) -> None:
    settings.CITIZENS_DUPLICATE_WINDOW_HOURS = 24
    first = submit_report()
    with time_machine.travel(timezone.now() + timedelta(hours=23)):
        second = submit_report(lat=LAT_30_M)
    assert second.master_incident_id == first.incident_id


def test_following_an_incident_gives_a_tracking_page_of_its_own(
    client, reference_configuration
) -> None:
    first = submit_report()
    response = client.post(
        "/signaler/",
        form_data(
            lat=str(LAT_30_M),
            follow=str(first.incident_id),
            contact_email="suivi@example.org",
            consent="on",
        ),
    )
    follower = Follower.objects.get()
    assert response.status_code == 302
    assert response.url == f"/suivi/{follower.token}/"
    assert follower.incident_id == first.incident_id
    assert follower.contact_email == "suivi@example.org"
    assert Report.objects.count() == 1
    page = client.get(response.url).content.decode()
    assert first.reference in page


def test_a_closed_incident_cannot_be_followed(reference_configuration, operator) -> None:
    import pytest
    from django.core.exceptions import ValidationError

    from incidents.services import incident_cancel

    first = submit_report()
    incident_cancel(incident_id=first.incident_id, by=operator, reason="Réparé entre-temps")
    with pytest.raises(ValidationError):
        services.incident_follow(incident_id=first.incident_id, contact_email="a@example.org")


def test_programmatic_reports_are_not_linked_unless_asked(reference_configuration) -> None:
    first = submit_report()
    second = submit_report(lat=LAT_30_M, link_duplicates=False)
    assert second.master_incident_id is None
    assert first.incident_id != second.incident_id


def _incident_from(source: str) -> Incident:
    from incidents import services as incident_services

    return incident_services.incident_open(
        category_code="eclairage-panne",
        description="Défaut lampe remonté par l'armoire",
        lat=DIJON["lat"],
        lon=DIJON["lon"],
        source=source,  # type: ignore[arg-type]
    )


def test_an_incident_opened_by_an_equipment_alarm_is_offered_before_sending(
    client, reference_configuration
) -> None:
    alarm_incident = _incident_from("equipment")
    page = client.post("/signaler/", form_data(lat=str(LAT_30_M))).content.decode()
    assert f'name="follow" value="{alarm_incident.pk}"' in page


def test_a_report_near_an_operators_incident_is_linked_to_it(reference_configuration) -> None:
    operator_incident = _incident_from("operator")
    report = submit_report(lat=LAT_30_M)
    assert report.master_incident_id == operator_incident.pk
    assert Incident.objects.get(pk=report.incident_id).status == Status.DUPLICATE


def test_the_prompt_shows_no_description_of_an_incident_from_another_source(
    client, reference_configuration
) -> None:
    _incident_from("operator")
    page = client.post("/signaler/", form_data(lat=str(LAT_30_M))).content.decode()
    assert 'id="duplicates"' in page
    assert "Défaut lampe" not in page


def test_reports_are_linked_by_default(reference_configuration) -> None:
    first = submit_report()
    second = services.report_submit(
        category_code="eclairage-panne",
        description="Lampadaire éteint devant le 14",
        lat=LAT_30_M,
        lon=DIJON["lon"],
    )
    assert second.master_incident_id == first.incident_id


def test_the_simulator_keeps_reports_at_one_place_apart(
    reference_configuration, monkeypatch
) -> None:
    import random

    from citizens import simulation
    from hypervisor import selectors as hypervisor_selectors

    monkeypatch.setattr(
        hypervisor_selectors, "commune_random_point", lambda rng: (DIJON["lat"], DIJON["lon"])
    )
    rng = random.Random(3)
    monkeypatch.setattr(simulation, "TYPICAL_REPORTS", {"eclairage-panne": (1.0, ["Éteint"])})
    simulation.submit_typical_report(rng)
    simulation.submit_typical_report(rng)
    assert Report.objects.filter(master_incident__isnull=False).count() == 0
    assert Report.objects.count() == 2
