"""The tracking page shows what was reported, the expected date and, once fixed, the closing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from citizens import selectors, services
from citizens.models import ReportPhoto
from incidents import services as incident_services
from tests.citizens.factories import DIJON, image_bytes, submit_report
from tests.citizens.repair import crew_near, repair


@pytest.fixture
def with_photo(reference_configuration):  # type: ignore[no-untyped-def]
    services.photos_stage(
        form_token="t" * 32,
        uploads=[SimpleUploadedFile("trou.jpg", image_bytes(), content_type="image/jpeg")],
    )
    return submit_report(form_token="t" * 32, description="Lampadaire éteint devant le 12")


def _page(client, report) -> str:  # type: ignore[no-untyped-def]
    return client.get(f"/suivi/{report.token}/").content.decode()


def test_the_reporter_sees_their_words_their_photo_and_a_map(client, with_photo) -> None:
    page = _page(client, with_photo)
    photo = ReportPhoto.objects.get()
    assert "Lampadaire éteint devant le 12" in page
    assert photo.image.url in page
    assert 'id="tracking-map"' in page


def test_a_photo_hidden_by_moderation_is_not_shown(client, with_photo, operator) -> None:
    photo = ReportPhoto.objects.get()
    services.report_photo_hide(photo_id=photo.pk, by=operator)
    page = _page(client, with_photo)
    assert photo.image.url not in page
    assert "Lampadaire éteint devant le 12" in page  # positive control: the page is shown


def test_a_follower_does_not_see_the_reporters_words(client, with_photo) -> None:
    follower = services.incident_follow(incident_id=with_photo.incident_id)
    page = client.get(f"/suivi/{follower.token}/").content.decode()
    assert "Lampadaire éteint devant le 12" not in page
    assert with_photo.reference in page


def test_the_expected_date_is_shown_when_the_category_has_a_deadline(with_photo) -> None:
    view = selectors.report_tracking(token=with_photo.token)
    assert view is not None
    assert view["expected_at"] is not None


def test_the_closing_note_and_after_photo_are_shown_once_fixed(
    client, with_photo, django_capture_on_commit_callbacks
) -> None:
    agent = crew_near(DIJON["lat"], DIJON["lon"])
    before = _page(client, with_photo)
    assert 'data-testid="closing"' not in before
    task = repair(with_photo, agent)
    page = _page(client, with_photo)
    assert "Lampe remplacée, mât contrôlé" in page
    assert task.photos.get().image.url in page


def test_an_operator_can_hide_the_closing_note_and_photo(client, with_photo, operator) -> None:
    task = repair(with_photo, crew_near(DIJON["lat"], DIJON["lon"]))
    incident_services.task_note_hide(task_id=task.pk, by=operator)
    incident_services.task_photo_hide(photo_id=task.photos.get().pk, by=operator)
    page = _page(client, with_photo)
    assert "Lampe remplacée" not in page
    assert task.photos.get().image.url not in page
    assert "Lampadaire éteint devant le 12" in page


def test_the_moderation_screen_hides_the_closing_note(client, with_photo, operator) -> None:
    task = repair(with_photo, crew_near(DIJON["lat"], DIJON["lon"]))
    client.force_login(operator)
    screen = client.get("/moderation/signalements/", {"q": with_photo.reference}).content.decode()
    assert "Lampe remplacée, mât contrôlé" in screen
    assert client.post(f"/moderation/interventions/{task.pk}/masquer-note/").status_code == 302
    task.refresh_from_db()
    assert task.note_hidden


def test_the_only_key_text_names_the_email_when_one_was_given(
    english_visitor, client, reference_configuration
) -> None:
    with_email = submit_report(contact_email="ana@example.org", contact_consent=True)
    without = submit_report(lat=47.2913, lon=5.0063)
    assert "e-mail" in _page(client, with_email)
    assert "e-mail" not in _page(client, without).split('class="save-link"')[1]
