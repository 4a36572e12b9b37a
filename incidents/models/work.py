"""Work orders: one task per trade an incident needs, and what the tablet did with them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from incidents.models.core import Incident, Trade
from incidents.models.crews import Crew


class TaskStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a crew")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    PAUSED = "paused", _("Paused")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_TASK_STATUSES = (
    TaskStatus.PENDING,
    TaskStatus.ASSIGNED,
    TaskStatus.IN_PROGRESS,
    TaskStatus.PAUSED,
)


class Task(models.Model):
    """One trade's share of the work on an incident, carried out by one crew."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="tasks")
    trade = models.ForeignKey(Trade, verbose_name=_("trade"), on_delete=models.PROTECT)
    crew = models.ForeignKey(
        Crew,
        verbose_name=_("crew"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.PENDING
    )
    # Copied from the incident: tasks at one place are grouped without a join.
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    site_key = models.CharField(_("site"), max_length=40, db_index=True)
    # Bumped on every (re)assignment: an action the tablet prepared for an older assignment
    # is recognised as such.
    assignment_no = models.PositiveIntegerField(default=0)
    needs_operator = models.BooleanField(_("needs an operator"), default=False)
    operator_note = models.CharField(_("why an operator is needed"), max_length=500, blank=True)
    note = models.TextField(_("completion note"), max_length=2000, blank=True)
    # Set by an operator: the closing note is not shown on the reporter's tracking page.
    note_hidden = models.BooleanField(_("note hidden from the reporter"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    assigned_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [
            # Serves a crew's task list on the tablet.
            models.Index(fields=["crew", "status"], name="task_crew_status"),
            # Serves the grouping of open tasks at one place (bounding box).
            models.Index(fields=["status", "lat", "lon"], name="task_status_lat_lon"),
        ]

    def __str__(self) -> str:
        return f"{self.incident.reference} / {self.trade.code}"


class TaskStep(models.Model):
    """The history of a task: assignments, start, pause, done, cannot-do, with notes."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        ASSIGNED = "assigned", _("Assigned")
        STARTED = "started", _("Started")
        PAUSED = "paused", _("Paused")
        DONE = "done", _("Done")
        CANNOT_DO = "cannot_do", _("Cannot be done")
        CANCELLED = "cancelled", _("Cancelled")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    crew = models.ForeignKey(Crew, on_delete=models.SET_NULL, null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("task step")
        verbose_name_plural = _("task steps")

    def __str__(self) -> str:
        return f"{self.task_id}: {self.kind}"


class TaskPhoto(models.Model):
    """A photo taken on site, re-encoded without its metadata (no GPS trail, no device)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="tasks/%Y/%m/")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    # Set by an operator: the photo is not shown on the reporter's tracking page.
    hidden = models.BooleanField(_("hidden from the reporter"), default=False)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("task photo")
        verbose_name_plural = _("task photos")

    def __str__(self) -> str:
        return self.image.name or ""


class FieldAction(models.Model):
    """An action sent by a tablet, under the id the tablet gave it.

    A tablet replaying its offline queue sends the same id again; the stored answer is
    returned and nothing happens twice.
    """

    action_id = models.UUIDField(unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="field_actions")
    kind = models.CharField(max_length=12)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField(default=dict)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("field action")
        verbose_name_plural = _("field actions")

    def __str__(self) -> str:
        return f"{self.action_id} ({self.kind})"
