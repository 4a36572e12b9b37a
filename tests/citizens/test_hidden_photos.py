"""A photo hidden by moderation answers 404 at the address Open311 already published.

Replays the review's attack: the hidden photo was still served at its /media/ address (by
Django's static view in the embedded mode, by the proxy from the whole media volume in
production). Now every photo goes through an access-checked view, in both modes.
"""

from __future__ import annotations

import pytest

from citizens import services
from citizens.models import ReportPhoto
from tests.citizens.factories import submit_report, upload


@pytest.fixture
def published_photo(client, reference_configuration) -> str:  # type: ignore[no-untyped-def]
    """The address of a report's photo as Open311 publishes it."""
    services.photos_stage(form_token="h" * 32, uploads=[upload()])
    submit_report(form_token="h" * 32)
    media_url = client.get("/open311/v2/requests.json").json()[0]["media_url"]
    return media_url.removeprefix("http://testserver")


@pytest.mark.parametrize("debug", [True, False], ids=["embedded", "production"])
def test_a_hidden_photo_answers_404_at_its_published_address(
    client, published_photo, operator, settings, debug
) -> None:
    settings.DEBUG = debug
    shown = client.get(published_photo)
    assert shown.status_code == 200  # positive control: served while visible
    assert shown["Content-Type"] == "image/jpeg"
    assert b"".join(shown.streaming_content).startswith(b"\xff\xd8")
    services.report_photo_hide(photo_id=ReportPhoto.objects.get().pk, by=operator)
    assert client.get(published_photo).status_code == 404


def test_a_moderator_still_sees_a_hidden_photo(client, published_photo, operator) -> None:
    services.report_photo_hide(photo_id=ReportPhoto.objects.get().pk, by=operator)
    client.force_login(operator)
    assert client.get(published_photo).status_code == 200


def test_a_file_of_the_media_directory_that_is_no_photo_is_not_served(
    client, published_photo, settings
) -> None:
    (settings.MEDIA_ROOT / "reports").mkdir(parents=True, exist_ok=True)
    (settings.MEDIA_ROOT / "reports" / "secret.txt").write_text("not a photo")
    assert client.get("/media/reports/secret.txt").status_code == 404
    assert client.get("/media/notifications.log").status_code == 404
    assert client.get("/media/reports/../../etc/passwd").status_code == 404


def test_photos_served_are_not_kept_by_shared_caches(client, published_photo) -> None:
    assert client.get(published_photo)["Cache-Control"] == "private, no-cache"
