"""Tablet actions: applied once, refused clearly, photos checked."""

from __future__ import annotations

import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from incidents import services
from incidents.models import FieldAction, Status, TaskStatus, TaskStep


def _act(user, task, kind: str, action_id: uuid.UUID | None = None, **extra):  # type: ignore[no-untyped-def]
    return services.field_action_apply(
        action_id=action_id or uuid.uuid4(), user=user, task_id=task.pk, kind=kind, **extra
    )


def jpeg_with_gps(size: tuple[int, int] = (64, 48)) -> SimpleUploadedFile:
    image = Image.new("RGB", size, "orange")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile("lampadaire.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def task(open_incident, lighting_crew):  # type: ignore[no-untyped-def]
    return open_incident().tasks.get()


def test_completing_a_task_resolves_the_incident(task, field_agent) -> None:
    _act(field_agent, task, "start")
    _act(field_agent, task, "done", note="Ampoule changée")
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    assert task.note == "Ampoule changée"
    assert task.incident.status == Status.RESOLVED
    assert task.incident.resolved_at is not None


def test_a_replayed_action_has_no_second_effect(task, field_agent) -> None:
    action_id = uuid.uuid4()
    first = _act(field_agent, task, "done", action_id=action_id, note="Fait")
    again = _act(field_agent, task, "done", action_id=action_id, note="Fait")
    assert again.replayed
    assert again.body == first.body
    assert task.steps.filter(kind=TaskStep.Kind.DONE).count() == 1
    assert task.incident.transitions.filter(to_status=Status.RESOLVED).count() == 1
    assert FieldAction.objects.count() == 1


def test_completing_a_task_twice_says_it_is_already_done(english, task, field_agent) -> None:
    _act(field_agent, task, "done", note="Fait")
    with pytest.raises(services.TaskAlreadyDone, match="already done"):
        _act(field_agent, task, "done", note="Fait encore")
    task.refresh_from_db()
    assert task.note == "Fait"


def test_completing_after_reassignment_is_refused_with_a_clear_message(
    english, task, field_agent, other_crew, operator
) -> None:
    services.task_assign(task_id=task.pk, crew_id=other_crew.pk, by=operator)
    with pytest.raises(services.TaskReassigned, match="reassigned"):
        _act(field_agent, task, "done", note="Fait")
    task.refresh_from_db()
    assert task.status == TaskStatus.ASSIGNED


def test_an_agent_of_another_crew_cannot_complete_the_task(
    english, task, other_crew, other_agent
) -> None:
    with pytest.raises(services.TaskNotYours):
        _act(other_agent, task, "done", note="Pas à moi")
    task.refresh_from_db()
    assert task.status == TaskStatus.ASSIGNED


def test_a_photo_is_reencoded_without_its_metadata(task, field_agent) -> None:
    _act(field_agent, task, "done", note="Photo jointe", photos=[jpeg_with_gps()])
    photo = task.photos.get()
    with Image.open(photo.image.path) as stored:
        assert stored.format == "JPEG"
        assert not stored.getexif()


def test_a_file_that_is_not_an_image_is_refused_with_the_reason(english, task, field_agent):
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    with pytest.raises(services.PhotoRefused, match="not a readable image"):
        _act(field_agent, task, "done", note="Note gardée", photos=[fake])
    task.refresh_from_db()
    assert task.status == TaskStatus.ASSIGNED
    assert not task.photos.exists()


def test_a_photo_too_large_is_refused_with_the_reason(english, task, field_agent, settings):
    settings.INCIDENTS_PHOTO_MAX_BYTES = 100
    with pytest.raises(services.PhotoRefused, match="too large"):
        _act(field_agent, task, "done", note="Note", photos=[jpeg_with_gps((400, 400))])
    task.refresh_from_db()
    assert task.status == TaskStatus.ASSIGNED


def test_cannot_do_gives_the_task_back_to_the_operator_with_the_reason(task, field_agent) -> None:
    _act(field_agent, task, "cannot_do", reason="Nacelle nécessaire")
    task.refresh_from_db()
    assert task.crew is None
    assert task.needs_operator
    assert "Nacelle nécessaire" in task.operator_note
    assert task.incident.status == Status.ROUTED


def test_cannot_do_without_a_reason_is_refused(task, field_agent) -> None:
    with pytest.raises(services.ActionInvalid):
        _act(field_agent, task, "cannot_do", reason="  ")


def test_starting_makes_the_crew_busy_and_done_makes_it_available(
    task, field_agent, lighting_crew
) -> None:
    _act(field_agent, task, "start")
    lighting_crew.refresh_from_db()
    assert lighting_crew.availability == "busy"
    assert task.incident.__class__.objects.get(pk=task.incident_id).status == Status.IN_PROGRESS
    _act(field_agent, task, "pause")
    _act(field_agent, task, "done", note="Fini")
    lighting_crew.refresh_from_db()
    assert lighting_crew.availability == "available"
