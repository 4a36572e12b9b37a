"""The crisis cell: a declared crisis, its zone, its members and its log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hypervisor.models.events import Severity


class Crisis(models.Model):
    class State(models.TextChoices):
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=160)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    state = models.CharField(_("state"), max_length=6, choices=State.choices, default=State.ACTIVE)
    zone = models.JSONField(_("zone (GeoJSON)"), null=True, blank=True)
    communes = models.ManyToManyField("hypervisor.Commune", verbose_name=_("communes"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("members"), blank=True, related_name="crises"
    )
    activated_at = models.DateTimeField(_("activated at"), auto_now_add=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        ordering = ["-activated_at"]
        verbose_name = _("crisis")
        verbose_name_plural = _("crises")
        constraints = [
            # A single crisis cell sits at a time; others become log entries of it.
            models.UniqueConstraint(
                fields=["state"], condition=Q(state="active"), name="one_active_crisis"
            )
        ]

    def __str__(self) -> str:
        return self.title


class CrisisLogEntry(models.Model):
    class Kind(models.TextChoices):
        DECISION = "decision", _("Decision")
        MESSAGE = "message", _("Message")
        SYSTEM = "system", _("System")

    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField(auto_now_add=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    text = models.TextField(max_length=2000)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("crisis log entry")
        verbose_name_plural = _("crisis log")

    def __str__(self) -> str:
        return f"{self.at:%H:%M} {self.kind}"
