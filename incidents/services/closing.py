"""What the reporter sees of the closing: an operator may hide the crew's note or a photo."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from hypervisor import services as hypervisor_services
from incidents.models import Task, TaskPhoto


@transaction.atomic
def task_note_hide(*, task_id: int, by: User, reason: str = "") -> Task:
    """Keep the crew's closing note off the reporter's tracking page (audited)."""
    task = Task.objects.select_for_update().get(pk=task_id)
    if not task.note_hidden:
        task.note_hidden = True
        task.full_clean()
        task.save(update_fields=["note_hidden"])
        hypervisor_services.audit_record(
            actor=by,
            action="incidents.closing_note_hidden",
            target=f"incident:{task.incident_id}",
            summary=reason or f"task {task.pk}",
            before={"note_hidden": False},
            after={"note_hidden": True},
        )
    return task


@transaction.atomic
def task_photo_hide(*, photo_id: int, by: User, reason: str = "") -> TaskPhoto:
    """Keep a crew's photo (a face, a plate) off the reporter's tracking page (audited)."""
    photo = TaskPhoto.objects.select_for_update().select_related("task").get(pk=photo_id)
    if not photo.hidden:
        photo.hidden = True
        photo.full_clean()
        photo.save(update_fields=["hidden"])
        hypervisor_services.audit_record(
            actor=by,
            action="incidents.closing_photo_hidden",
            target=f"incident:{photo.task.incident_id}",
            summary=reason or f"photo {photo.pk}",
            before={"hidden": False},
            after={"hidden": True},
        )
    return photo
