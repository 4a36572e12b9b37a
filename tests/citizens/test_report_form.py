from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.html import escape

from citizens.models import Report, ReportPhoto, StagedPhoto
from incidents.models import Incident, Status
from tests.citizens.factories import form_data, image_bytes, submit_report, upload


def valid_report(**overrides: str) -> dict[str, str]:
    return form_data(**overrides)


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
    assert report.reference == incident.reference


def test_a_report_without_location_is_accepted_and_routed_territory_wide(
    client, reference_configuration
) -> None:
    response = client.post("/signaler/", valid_report(lat="", lon=""))
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert (incident.lat, incident.lon) == (None, None)


def test_a_half_given_location_is_refused_beside_the_map_and_keeps_the_text(
    client, reference_configuration
) -> None:
    response = client.post("/signaler/", valid_report(lon=""))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Lampadaire éteint devant le 12" in page
    with translation.override("fr"):
        message = translation.gettext("The location is incomplete: place the pin again.")
    assert f'id="location-error">{escape(message)}' in page
    assert not Incident.objects.exists()


def test_a_place_outside_the_territory_is_refused(
    english_visitor, client, english, reference_configuration
) -> None:
    response = client.post("/signaler/", valid_report(lat="48.8566", lon="2.3522"))
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


def test_validation_messages_follow_the_language_chosen_on_the_site(
    english_visitor, client, reference_configuration
) -> None:
    response = client.post("/signaler/", valid_report(description="hole"))
    assert "Give a little more detail (at least 10 characters)." in response.content.decode()


def test_the_error_summary_links_each_error_to_its_field(client, reference_configuration) -> None:
    response = client.post("/signaler/", valid_report(category="", description=""))
    page = response.content.decode()
    assert 'id="error-summary"' in page
    assert 'href="#field-category"' in page
    assert 'href="#field-description"' in page
    assert 'aria-describedby="description-help description-error"' in page


@pytest.mark.parametrize(
    ("field", "value"), [("category", "not-a-category"), ("lat", "north"), ("lon", "999")]
)
def test_malformed_fields_are_refused_without_storing_anything(
    client, reference_configuration, field: str, value: str
) -> None:
    response = client.post("/signaler/", valid_report(**{field: value}))
    assert response.status_code == 400
    assert not Incident.objects.exists()


def test_a_contact_without_consent_is_refused_beside_the_consent_box(
    english_visitor, client, english, reference_configuration
) -> None:
    response = client.post("/signaler/", valid_report(contact_email="ana@example.org"))
    assert response.status_code == 400
    assert 'id="consent-error"' in response.content.decode()
    assert not Report.objects.exists()


def test_a_contact_given_with_consent_is_kept_with_the_time_of_consent(
    client, reference_configuration
) -> None:
    client.post(
        "/signaler/",
        valid_report(contact_email="ana@example.org", contact_phone="06 12 34 56 78", consent="on"),
    )
    report = Report.objects.get()
    assert (report.contact_email, report.contact_phone) == ("ana@example.org", "06 12 34 56 78")
    assert report.contact_consent_at is not None


def test_a_malformed_phone_number_is_refused(client, reference_configuration) -> None:
    response = client.post("/signaler/", valid_report(contact_phone="call me maybe", consent="on"))
    assert response.status_code == 400
    assert 'id="phone-error"' in response.content.decode()


def test_a_photo_chosen_before_an_error_is_kept_for_the_next_try(
    client, reference_configuration
) -> None:
    first = client.post(
        "/signaler/",
        {**valid_report(description="", form_token="a" * 32), "photos": upload()},
    )
    assert first.status_code == 400
    [staged] = StagedPhoto.objects.filter(form_token="a" * 32)
    assert staged.image.url in first.content.decode()
    second = client.post("/signaler/", valid_report(form_token="a" * 32))
    assert second.status_code == 302
    report = Report.objects.get()
    assert report.photos.count() == 1
    assert not StagedPhoto.objects.exists()


def test_a_refused_photo_is_named_beside_the_photo_field_and_nothing_is_saved(
    english_visitor, client, english, reference_configuration
) -> None:
    response = client.post(
        "/signaler/",
        {**valid_report(), "photos": upload("notes.jpg", b"not an image at all")},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="photos-error">notes.jpg is not a readable image' in page
    assert "Lampadaire éteint devant le 12" in page
    assert not Report.objects.exists()
    assert not Incident.objects.exists()


def test_a_report_is_stored_with_its_photos_or_not_at_all(
    reference_configuration, monkeypatch
) -> None:
    from citizens import services

    services.photos_stage(form_token="b" * 32, uploads=[upload(), upload("second.jpg")])

    def failing_clean(self: ReportPhoto, *args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(ReportPhoto, "full_clean", failing_clean)
    with pytest.raises(RuntimeError):
        submit_report(form_token="b" * 32)
    assert not Report.objects.exists()
    assert not Incident.objects.exists()
    assert StagedPhoto.objects.filter(form_token="b" * 32).count() == 2


def test_the_photo_position_suggests_the_pin_only_with_consent(
    english_visitor, client, english, reference_configuration
) -> None:
    photo = image_bytes(gps=(47.3265, 5.0383))
    without = client.post(
        "/signaler/",
        {**valid_report(lat="", lon="", form_token="e" * 32), "photos": upload(content=photo)},
    )
    assert without.status_code == 302
    assert Incident.objects.get().lat is None
    with_consent = client.post(
        "/signaler/",
        {
            **valid_report(lat="", lon="", photo_position="on", form_token="f" * 32),
            "photos": upload(content=photo),
        },
    )
    assert with_consent.status_code == 200
    page = with_consent.content.decode()
    assert "where your photo was taken" in page
    assert 'value="47.3265' in page
    assert Incident.objects.count() == 1


def test_a_filled_honeypot_stores_nothing(client, reference_configuration) -> None:
    response = client.post("/signaler/", valid_report(website="http://spam.example"))
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_a_client_sending_too_many_reports_is_told_to_wait(
    english_visitor, client, settings, english, reference_configuration
) -> None:
    settings.CITIZENS_RATE_LIMIT = "2/h"
    statuses = [client.post("/signaler/", valid_report()).status_code for _attempt in range(3)]
    assert statuses[:2] != [429, 429]
    last = client.post("/signaler/", valid_report())
    assert last.status_code == 429
    assert "Too many reports" in last.content.decode()


def test_another_client_is_not_slowed_by_a_busy_one(
    client, settings, reference_configuration
) -> None:
    settings.CITIZENS_RATE_LIMIT = "1/h"
    client.post("/signaler/", valid_report(), REMOTE_ADDR="10.0.0.1")
    assert client.post("/signaler/", valid_report(), REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.post("/signaler/", valid_report(), REMOTE_ADDR="10.0.0.2").status_code != 429


def test_a_spoofed_forwarded_for_does_not_bypass_the_limit_without_a_proxy_header(
    client, settings, reference_configuration
) -> None:
    settings.CITIZENS_RATE_LIMIT = "1/h"
    settings.CLIENT_IP_HEADER = ""
    client.post(
        "/signaler/", valid_report(), REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1"
    )
    again = client.post(
        "/signaler/", valid_report(), REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="2.2.2.2"
    )
    assert again.status_code == 429


def test_behind_a_proxy_each_citizen_has_an_allowance_of_their_own(
    client, settings, reference_configuration
) -> None:
    settings.CITIZENS_RATE_LIMIT = "1/h"
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    proxy = {"REMOTE_ADDR": "10.0.0.9"}
    client.post("/signaler/", valid_report(), HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)
    other = client.post("/signaler/", valid_report(), HTTP_X_FORWARDED_FOR="203.0.113.6", **proxy)
    assert other.status_code != 429
    # Prepending an address of one's choice does not help: the proxy's entry is the last.
    spoofed = client.post(
        "/signaler/", valid_report(), HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.5", **proxy
    )
    assert spoofed.status_code == 429


def test_a_photo_stored_with_a_report_carries_no_exif_and_no_gps(
    client, reference_configuration
) -> None:
    import io

    from PIL import Image

    from tests.citizens.factories import GPS_IFD

    original = image_bytes(size=(640, 480), gps=(47.3265, 5.0383))
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the phone wrote it
    response = client.post("/signaler/", valid_report(photos=upload("IMG_0001.jpg", original)))
    assert response.status_code == 302
    photo = ReportPhoto.objects.get()
    with photo.image.open("rb") as stored_file:
        stored_bytes = stored_file.read()
    stored = Image.open(io.BytesIO(stored_bytes))
    assert dict(stored.getexif()) == {}
    assert not stored.getexif().get_ifd(GPS_IFD)
    assert b"Exif" not in stored_bytes
    assert b"PhoneMaker" not in stored_bytes
