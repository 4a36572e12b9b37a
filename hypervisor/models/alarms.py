"""Alarms raised from events by rules that operators can edit, and their escalation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hypervisor.models.events import Severity


class AlarmRule(models.Model):
    """What an event of a given kind does to alarms: raise one, or clear it."""

    class Action(models.TextChoices):
        RAISE = "raise", _("Raise an alarm")
        CLEAR = "clear", _("Clear the alarm")

    event_kind = models.CharField(_("event kind"), max_length=80, unique=True)
    action = models.CharField(_("action"), max_length=5, choices=Action.choices)
    alarm_kind = models.SlugField(
        _("alarm kind"),
        max_length=80,
        help_text=_("Events of one asset that share this kind make a single alarm."),
    )
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.MAJOR
    )
    title_fr = models.CharField(_("French title"), max_length=160, blank=True)
    title_en = models.CharField(_("English title"), max_length=160, blank=True)
    flap_window_seconds = models.PositiveIntegerField(
        _("flapping window (seconds)"),
        default=600,
        help_text=_(
            "A fault that returns within this time after clearing reopens the same alarm "
            "without notifying anyone again."
        ),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["event_kind"]
        verbose_name = _("alarm rule")
        verbose_name_plural = _("alarm rules")

    def __str__(self) -> str:
        return f"{self.event_kind} → {self.get_action_display()} {self.alarm_kind}"


class EscalationPolicy(models.Model):
    """Who hears of an alarm nobody acknowledged, and when. Most specific policy wins."""

    alarm_kind = models.SlugField(
        _("alarm kind"), max_length=80, blank=True, help_text=_("Empty: every kind.")
    )
    severity = models.CharField(
        _("severity"),
        max_length=10,
        choices=Severity.choices,
        blank=True,
        help_text=_("Empty: every severity."),
    )
    supervisor_after_minutes = models.PositiveIntegerField(
        _("notify the supervisors after (minutes)"), null=True, blank=True
    )
    duty_officer_after_minutes = models.PositiveIntegerField(
        _("text the duty officer after (minutes)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("escalation policy")
        verbose_name_plural = _("escalation policies")
        constraints = [
            models.UniqueConstraint(fields=["alarm_kind", "severity"], name="escalation_scope")
        ]

    def __str__(self) -> str:
        return f"{self.alarm_kind or '*'} / {self.severity or '*'}"


class AlarmState(models.TextChoices):
    ACTIVE = "active", _("Active")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    CLEARED = "cleared", _("Cleared")


class Alarm(models.Model):
    kind = models.SlugField(_("kind"), max_length=80)
    asset_type = models.CharField(_("asset type"), max_length=40)
    asset_id = models.CharField(_("asset"), max_length=64)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    state = models.CharField(
        _("state"), max_length=12, choices=AlarmState.choices, default=AlarmState.ACTIVE
    )
    title = models.CharField(_("title"), max_length=200)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("root cause"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consequences",
    )
    payload = models.JSONField(default=dict, blank=True)
    raised_at = models.DateTimeField(_("raised at"))
    last_raised_at = models.DateTimeField(_("last raised at"))
    occurrences = models.PositiveIntegerField(_("occurrences"), default=1)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    acknowledgement_comment = models.CharField(_("comment"), max_length=500, blank=True)
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True)
    escalation_stage = models.PositiveSmallIntegerField(_("escalation stage"), default=0)
    suppressed_reason = models.CharField(
        _("suppressed because"),
        max_length=200,
        blank=True,
        help_text=_("A known cause (works in progress): shown as such, never escalated."),
    )

    class Meta:
        ordering = ["-raised_at"]
        verbose_name = _("alarm")
        verbose_name_plural = _("alarms")
        constraints = [
            # One open alarm per kind and asset: repeats increase its occurrence count.
            models.UniqueConstraint(
                fields=["kind", "asset_type", "asset_id"],
                condition=~Q(state="cleared"),
                name="alarm_one_open_per_asset",
            )
        ]
        indexes = [
            # Serves the active-alarm panel and the escalation sweep.
            models.Index(fields=["state", "raised_at"], name="alarm_state_raised"),
            # Serves correlation: open alarms of one asset.
            models.Index(fields=["asset_type", "asset_id"], name="alarm_asset"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.asset_type}:{self.asset_id})"

    @property
    def asset_ref(self) -> str:
        return f"{self.asset_type}:{self.asset_id}"
