"""The reporter's photos reach the crew holding the task, and no one else."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from citizens import selectors, services
from citizens.models import ReportPhoto
from tests.citizens.factories import DIJON, image_bytes, submit_report
from tests.citizens.repair import crew_near, dispatched_task


@pytest.fixture
def task_with_photo(reference_configuration):  # type: ignore[no-untyped-def]
    agent = crew_near(DIJON["lat"], DIJON["lon"])
    services.photos_stage(
        form_token="p" * 32,
        uploads=[SimpleUploadedFile("mat.jpg", image_bytes(), content_type="image/jpeg")],
    )
    report = submit_report(form_token="p" * 32)
    return agent, dispatched_task(report)


def test_the_crew_holding_the_task_gets_the_reporters_photos(client, task_with_photo) -> None:
    agent, task = task_with_photo
    client.force_login(agent)
    response = client.get(f"/api/v1/field/tasks/{task.pk}/citizen-photos/")
    assert response.status_code == 200
    assert [photo["url"] for photo in response.json()["photos"]] == [
        ReportPhoto.objects.get().image.url
    ]


def test_another_crews_agent_gets_nothing(client, task_with_photo) -> None:
    _agent, task = task_with_photo
    other = crew_near(47.2913, 5.0063)
    client.force_login(other)
    assert client.get(f"/api/v1/field/tasks/{task.pk}/citizen-photos/").status_code == 404


def test_a_hidden_photo_does_not_reach_the_crew(task_with_photo, operator) -> None:
    _agent, task = task_with_photo
    assert len(selectors.citizen_photos_for_incident(incident_id=task.incident_id)) == 1
    services.report_photo_hide(photo_id=ReportPhoto.objects.get().pk, by=operator)
    assert selectors.citizen_photos_for_incident(incident_id=task.incident_id) == []
