"""The hostile-upload corpus against every way a file enters the command centre over HTTP.

Photos enter through the citizen's report form and the field tablet's actions; both go
through the same gate (hypervisor.photos). Open311 takes no file. Each hostile file is
refused with a 4xx and a readable reason, or, when it is a valid image, stored only as its
re-encoded pixels.
"""

from __future__ import annotations

import html
import re
import uuid

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from citizens.models import Report, ReportPhoto, StagedPhoto
from incidents.models import TaskPhoto
from tests.security.corpus import Upload, assert_cleaned, corpus
from tests.security.world import World

CORPUS = corpus()


def _file(upload: Upload) -> SimpleUploadedFile:
    return SimpleUploadedFile(upload.name, upload.content, upload.content_type)


def _english_client() -> Client:
    """A visitor who chose English on the site (the browser's Accept-Language is not read)."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _report_form(upload: Upload):  # type: ignore[no-untyped-def]
    return _english_client().post(
        "/signaler/",
        {
            "category": "voirie-obstacle",
            "description": "Branche tombée sur la chaussée",
            "lat": "47.3300",
            "lon": "5.0500",
            "submit_anyway": "1",
            "photos": [_file(upload)],
        },
    )


def _tablet(world: World, upload: Upload):  # type: ignore[no-untyped-def]
    client = _english_client()
    client.force_login(world.users["field_agent"])
    return client.post(
        "/api/v1/field/actions/",
        {
            "action_id": str(uuid.uuid4()),
            "task_id": str(world.task.pk),
            "kind": "done",
            "note": "Réparé",
            "photos": [_file(upload)],
        },
    )


@pytest.mark.parametrize("upload", CORPUS, ids=lambda upload: upload.id)
def test_the_report_form_refuses_or_cleans_each_hostile_file(
    upload: Upload, world: World, db
) -> None:
    before = Report.objects.count()
    response = _report_form(upload)
    if upload.refused:
        assert response.status_code == 400
        page = html.unescape(response.content.decode())
        assert re.search(upload.refused, page), f"no reason matching {upload.refused!r}"
        assert Report.objects.count() == before
        assert not StagedPhoto.objects.exists()
    else:
        assert response.status_code == 302, response.content.decode()[:2000]
        report = Report.objects.latest("pk")
        photo = ReportPhoto.objects.get(report=report)
        assert_cleaned(photo.image.read())


@pytest.mark.parametrize("upload", CORPUS, ids=lambda upload: upload.id)
def test_the_field_tablet_refuses_or_cleans_each_hostile_file(
    upload: Upload, world: World, db
) -> None:
    response = _tablet(world, upload)
    if upload.refused:
        assert response.status_code == 400
        assert re.search(upload.refused, response.json()["error"])
        assert not TaskPhoto.objects.exists()
    else:
        assert response.status_code == 200, response.content
        assert_cleaned(TaskPhoto.objects.get(task=world.task).image.read())


@pytest.mark.parametrize("entry", ["report form", "field tablet"])
def test_a_file_over_the_byte_limit_is_refused_before_it_is_decoded(
    entry: str, world: World, db, settings
) -> None:
    settings.CITIZENS_PHOTO_MAX_BYTES = settings.INCIDENTS_PHOTO_MAX_BYTES = 1000
    heavy = next(upload for upload in CORPUS if upload.id == "exif-laden-jpeg")
    padded = Upload("heavy", "photo.jpg", heavy.content + b"\x00" * 2000, "image/jpeg")
    if entry == "report form":
        response = _report_form(padded)
        reason = html.unescape(response.content.decode())
    else:
        response = _tablet(world, padded)
        reason = response.json()["error"]
    assert response.status_code == 400
    assert "too large" in reason


def test_a_long_file_name_is_shortened_in_the_reason(world: World, db) -> None:
    name = "a" * 5000 + ".gif"
    gif = next(upload for upload in CORPUS if upload.id == "gif")
    response = _tablet(world, Upload("long", name, gif.content, "image/gif"))
    assert response.status_code == 400
    assert len(response.json()["error"]) < 200


def test_open311_takes_no_file(world: World, db, settings) -> None:
    settings.OPEN311_API_KEYS = ["app-key"]
    polyglot = next(upload for upload in CORPUS if upload.id == "jpeg-zip-polyglot")
    response = Client().post(
        "/open311/v2/requests.json",
        {
            "api_key": "app-key",
            "service_code": "voirie-obstacle",
            "lat": "47.3300",
            "long": "5.0500",
            "description": "Branche tombée",
            "media": _file(polyglot),
        },
    )
    assert response.status_code == 201
    assert not ReportPhoto.objects.exclude(pk=world.photo.pk).exists()
    assert not StagedPhoto.objects.exists()
