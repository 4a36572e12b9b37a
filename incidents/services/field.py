"""What a field agent does from the tablet: start, pause, done, cannot do.

Every action carries an id chosen by the tablet. A tablet that lost its connection keeps
its actions and sends them again later; an id already applied returns the first answer,
so nothing happens twice.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from hypervisor import photos
from incidents.models import (
    Availability,
    CrewMember,
    FieldAction,
    Incident,
    Status,
    Task,
    TaskPhoto,
    TaskStatus,
    TaskStep,
)
from incidents.selectors import dispatch as dispatch_selectors
from incidents.services.crews import crew_availability_set
from incidents.services.lifecycle import incident_move
from incidents.services.work import task_publish

MAX_PHOTOS = 5
ACTIONS = ("start", "pause", "done", "cannot_do")


class FieldActionRefused(Exception):
    """An action the tablet must show to the agent, with an HTTP status for the API."""

    status_code = 409

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TaskNotYours(FieldActionRefused):
    status_code = 403


class TaskReassigned(FieldActionRefused):
    pass


class TaskAlreadyDone(FieldActionRefused):
    pass


class TaskBlocked(FieldActionRefused):
    pass


class ActionInvalid(FieldActionRefused):
    status_code = 400


class PhotoRefused(ActionInvalid):
    pass


@dataclass(frozen=True)
class FieldResult:
    status_code: int
    body: dict[str, Any]
    replayed: bool = False


def _crew_of(user: User) -> int | None:
    return CrewMember.objects.filter(user=user).values_list("crew_id", flat=True).first()


def _check_ownership(task: Task, user: User) -> int:
    crew_id = _crew_of(user)
    if crew_id is not None and task.crew_id == crew_id:
        return crew_id
    held_before = (
        crew_id is not None
        and task.steps.filter(kind=TaskStep.Kind.ASSIGNED, crew_id=crew_id).exists()
    )
    if held_before:
        raise TaskReassigned(_("This task was reassigned to another crew: nothing was recorded."))
    raise TaskNotYours(_("This task belongs to another crew."))


def _photo_content(upload: UploadedFile) -> ContentFile:
    """The photo through the command centre's photo gate: re-encoded, without metadata."""
    try:
        clean = photos.photo_clean(
            upload,
            max_bytes=settings.INCIDENTS_PHOTO_MAX_BYTES,
            max_pixels=settings.INCIDENTS_PHOTO_MAX_PIXELS,
        )
    except photos.PhotoRefused as refused:
        raise PhotoRefused(str(refused)) from None
    return clean.content


def _incident_after_task_change(task: Task, user: User) -> None:
    incident = Incident.objects.select_for_update().get(pk=task.incident_id)
    tasks = list(incident.tasks.values_list("status", flat=True))
    if task.status == TaskStatus.IN_PROGRESS and incident.status in (
        Status.ROUTED,
        Status.ASSIGNED,
    ):
        incident_move(incident=incident, to=Status.IN_PROGRESS, by=user)
    elif task.status == TaskStatus.DONE and all(
        status in (TaskStatus.DONE, TaskStatus.CANCELLED) for status in tasks
    ):
        incident_move(incident=incident, to=Status.RESOLVED, by=user, note=task.note[:500])
    elif task.status == TaskStatus.PENDING and incident.status in (
        Status.ASSIGNED,
        Status.IN_PROGRESS,
    ):
        still_held = incident.tasks.filter(
            status__in=(TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS, TaskStatus.PAUSED)
        ).exists()
        if not still_held:
            incident_move(incident=incident, to=Status.ROUTED, by=user, note=task.operator_note)


def _crew_availability_after(crew_id: int) -> None:
    working = Task.objects.filter(crew_id=crew_id, status=TaskStatus.IN_PROGRESS).exists()
    crew_availability_set(
        crew_id=crew_id, availability=Availability.BUSY if working else Availability.AVAILABLE
    )


def _apply(
    task: Task,
    *,
    user: User,
    kind: str,
    note: str,
    reason: str,
    photos: list[UploadedFile],
) -> None:
    crew_id = _check_ownership(task, user)
    if task.status == TaskStatus.DONE:
        raise TaskAlreadyDone(
            _("This task was already done at %(time)s: nothing was recorded twice.")
            % {"time": formats.time_format(timezone.localtime(task.done_at), "H:i")}
        )
    if task.status == TaskStatus.CANCELLED:
        raise FieldActionRefused(_("This task was cancelled."))
    if kind in ("start", "done"):
        blocker = dispatch_selectors.task_blocker(task=task)
        if blocker is not None:
            raise TaskBlocked(
                _("Waiting for %(trade)s to finish first (%(reference)s).")
                % {"trade": blocker.trade.label, "reference": blocker.incident.reference}
            )
    now = timezone.now()
    step_kind = {
        "start": TaskStep.Kind.STARTED,
        "pause": TaskStep.Kind.PAUSED,
        "done": TaskStep.Kind.DONE,
        "cannot_do": TaskStep.Kind.CANNOT_DO,
    }[kind]
    if kind == "start":
        if task.status not in (TaskStatus.ASSIGNED, TaskStatus.PAUSED):
            raise FieldActionRefused(_("This task is already in progress."))
        task.status = TaskStatus.IN_PROGRESS
        task.started_at = task.started_at or now
    elif kind == "pause":
        if task.status != TaskStatus.IN_PROGRESS:
            raise FieldActionRefused(_("Only a task in progress can be paused."))
        task.status = TaskStatus.PAUSED
    elif kind == "done":
        if len(photos) > MAX_PHOTOS:
            raise PhotoRefused(_("At most %(count)s photos.") % {"count": MAX_PHOTOS})
        contents = [_photo_content(photo) for photo in photos]  # refuse before writing
        task.status = TaskStatus.DONE
        task.done_at = now
        task.started_at = task.started_at or now
        task.note = note.strip()[:2000]
        for content in contents:
            TaskPhoto.objects.create(task=task, image=content, by=user)
    else:
        if not reason.strip():
            raise ActionInvalid(_("Say why the task cannot be done."))
        crew_name = task.crew.name if task.crew else ""
        task.status = TaskStatus.PENDING
        task.crew = None
        task.needs_operator = True
        task.operator_note = (
            _("Given back by %(crew)s: %(reason)s") % {"crew": crew_name, "reason": reason.strip()}
        )[:500]
    task.full_clean()
    task.save()
    TaskStep.objects.create(
        task=task,
        kind=step_kind,
        crew_id=crew_id,
        by=user,
        note=(reason if kind == "cannot_do" else note).strip()[:500],
    )
    task_publish(task=task, crew_ids=[crew_id])
    _incident_after_task_change(task, user)
    _crew_availability_after(crew_id)


def field_action_apply(
    *,
    action_id: uuid.UUID,
    user: User,
    task_id: int,
    kind: str,
    note: str = "",
    reason: str = "",
    photos: list[UploadedFile] | None = None,
) -> FieldResult:
    """Apply a tablet action once; the same action id again returns the first answer."""
    if kind not in ACTIONS:
        raise ActionInvalid(_("Unknown action."))
    with transaction.atomic():
        task = (
            Task.objects.select_for_update()
            .select_related("trade", "incident")
            .filter(pk=task_id)
            .first()
        )
        if task is None:
            raise TaskNotYours(_("This task belongs to another crew."))
        previous = FieldAction.objects.filter(action_id=action_id).first()
        if previous is not None:
            if previous.user_id != user.pk or previous.task_id != task.pk:
                raise ActionInvalid(_("This action id was already used for something else."))
            return FieldResult(previous.status_code, previous.response, replayed=True)
        _apply(task, user=user, kind=kind, note=note, reason=reason, photos=photos or [])
        body = {"task_id": task.pk, "status": task.status, "action_id": str(action_id)}
        FieldAction.objects.create(
            action_id=action_id,
            user=user,
            task=task,
            kind=kind,
            status_code=200,
            response=body,
        )
    return FieldResult(200, body)
