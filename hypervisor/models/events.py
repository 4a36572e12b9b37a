"""The append-only event history."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Severity(models.TextChoices):
    INFO = "info", _("Information")
    MINOR = "minor", _("Minor")
    MAJOR = "major", _("Major")
    CRITICAL = "critical", _("Critical")


class Event(models.Model):
    """Append-only history of what happened; its id is the live-update sequence number."""

    kind = models.CharField(max_length=80)
    asset_type = models.CharField(max_length=40)
    asset_id = models.CharField(max_length=64)
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.INFO)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    payload = models.JSONField(default=dict)
    occurred_at = models.DateTimeField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    # Set once the alarm rules have been applied, so a redelivered task has no second effect.
    rules_applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            # Serves the history of one asset.
            models.Index(fields=["asset_type", "asset_id"], name="event_asset"),
            # Serves retention and KPI scans by time.
            models.Index(fields=["recorded_at"], name="event_recorded_at"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} {self.asset_type}:{self.asset_id}"
