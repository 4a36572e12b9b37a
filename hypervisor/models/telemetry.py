"""Telemetry from equipment gateways: who may send, what was received, and its history."""

from __future__ import annotations

import hashlib
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Gateway(models.Model):
    """A field gateway (or MQTT bridge) allowed to post readings, with its own token."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_prefix = models.CharField(_("token starts with"), max_length=8, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last seen at"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("telemetry gateway")
        verbose_name_plural = _("telemetry gateways")

    def __str__(self) -> str:
        return self.name

    def issue_token(self) -> str:
        """A new secret for this gateway; only its hash is kept, so show it once."""
        token = secrets.token_urlsafe(32)
        self.token_hash = hash_token(token)
        self.token_prefix = token[:8]
        return token


class TelemetryReceipt(models.Model):
    """One accepted message id per gateway: a replayed batch finds it and has no effect.

    Kept apart from the readings so that the history can be partitioned by time (a
    uniqueness constraint there would have to include the partition key).
    """

    gateway = models.ForeignKey(Gateway, on_delete=models.CASCADE)
    message_id = models.CharField(max_length=100)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["gateway", "message_id"], name="telemetry_receipt_once")
        ]
        # Serves the retention purge.
        indexes = [models.Index(fields=["received_at"], name="telemetry_receipt_received")]

    def __str__(self) -> str:
        return f"{self.gateway_id}:{self.message_id}"


class TelemetryReading(models.Model):
    """History of accepted readings; no foreign keys or uniqueness, so it can be partitioned."""

    gateway_id = models.BigIntegerField()
    message_id = models.CharField(max_length=100)
    asset_type = models.CharField(max_length=40)
    asset_id = models.CharField(max_length=64)
    measured_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    values = models.JSONField(default=dict)

    class Meta:
        indexes = [
            # Serves the history of one asset.
            models.Index(fields=["asset_type", "asset_id", "measured_at"], name="reading_asset"),
            # Serves retention and time-range scans.
            models.Index(fields=["measured_at"], name="reading_measured_at"),
        ]

    def __str__(self) -> str:
        return f"{self.asset_type}:{self.asset_id} @ {self.measured_at:%Y-%m-%d %H:%M:%S}"
