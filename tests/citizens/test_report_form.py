from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.html import escape

from citizens.models import Report
from incidents.models import Incident, Status

DIJON = {"lat": "47.3220", "lon": "5.0415"}


def valid_report(**overrides: str) -> dict[str, str]:
    return {
        "category": "eclairage-panne",
        "description": "Lampadaire éteint devant le 12",
        **DIJON,
        **overrides,
    }


def test_a_valid_report_lands_on_its_tracking_page_and_is_routed(
    client, reference_configuration, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/signaler/", valid_report())
    report = Report.objects.get()
    assert response.status_code == 302
    assert response.url == f"/suivi/{report.token}/"
    incident = Incident.objects.get()
    assert incident.status == Status.ROUTED
    assert incident.source == "web"


def test_a_report_without_location_is_refused_and_keeps_what_was_typed(
    client, reference_configuration
) -> None:
    response = client.post("/signaler/", valid_report(lat="", lon=""))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Lampadaire éteint devant le 12" in page
    with translation.override("fr"):
        assert escape(translation.gettext("Place the pin on the map where the problem is.")) in page
    assert not Incident.objects.exists()


def test_a_place_outside_the_territory_is_refused(client, english, reference_configuration) -> None:
    response = client.post(
        "/signaler/", valid_report(lat="48.8566", lon="2.3522"), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "outside the territory" in response.content.decode()
    assert not Report.objects.exists()


def test_validation_messages_are_in_french_by_default(client, reference_configuration) -> None:
    response = client.post("/signaler/", valid_report(description="trou"))
    page = response.content.decode()
    with translation.override("fr"):
        french = translation.gettext(
            "Give a little more detail (at least %(limit_value)d characters)."
        )
    assert french != "Give a little more detail (at least %(limit_value)d characters)."
    assert escape(french % {"limit_value": 10}) in page


def test_validation_messages_follow_the_browser_language(client, reference_configuration) -> None:
    response = client.post(
        "/signaler/", valid_report(description="hole"), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Give a little more detail (at least 10 characters)." in response.content.decode()


@pytest.mark.parametrize(
    ("field", "value"), [("category", "not-a-category"), ("lat", "north"), ("lon", "999")]
)
def test_malformed_fields_are_refused_without_storing_anything(
    client, reference_configuration, field: str, value: str
) -> None:
    response = client.post("/signaler/", valid_report(**{field: value}))
    assert response.status_code == 400
    assert not Incident.objects.exists()


def test_the_tracking_page_shows_progress_but_not_the_description(
    client, reference_configuration
) -> None:
    client.post("/signaler/", valid_report(description="Mon voisin M. Martin au 06 12 34 56 78"))
    report = Report.objects.get()
    page = client.get(f"/suivi/{report.token}/").content.decode()
    assert report.incident.reference in page
    assert "Martin" not in page
    assert "06 12 34 56 78" not in page


def test_the_tracking_page_is_kept_out_of_caches_and_referrers(
    client, reference_configuration
) -> None:
    client.post("/signaler/", valid_report())
    response = client.get(f"/suivi/{Report.objects.get().token}/")
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]


def test_an_unknown_tracking_token_is_not_found(client, db) -> None:
    assert client.get("/suivi/not-a-real-token/").status_code == 404


def test_tracking_tokens_cannot_be_guessed_from_one_another(
    client, reference_configuration
) -> None:
    client.post("/signaler/", valid_report())
    client.post("/signaler/", valid_report())
    first, second = Report.objects.values_list("token", flat=True)
    assert len(first) >= 24
    assert first[:8] != second[:8]
