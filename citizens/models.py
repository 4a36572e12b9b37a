"""Citizen reports, their photos and contacts, and the phone portal's call log.

Citizens have no account: a report's unguessable token is the only way back to it. Contact
details are optional, kept apart from anything public, and purged after the retention
period that follows the incident's closure.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Report(models.Model):
    """A citizen's report; the token is the only way back to it (no account needed)."""

    class Source(models.TextChoices):
        WEB = "web", _("Web form")
        PHONE = "phone", _("Phone")
        OPEN311 = "open311", _("Open311")

    token = models.CharField(max_length=32, unique=True, editable=False)
    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.PROTECT, related_name="citizen_reports"
    )
    reference = models.CharField(_("reference"), max_length=12, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.WEB
    )
    # Copied from the incident: Open311 lists and describes requests from this table alone.
    category_code = models.CharField(_("category"), max_length=50, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    contact_name = models.CharField(_("name"), max_length=120, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    contact_phone = models.CharField(_("phone"), max_length=20, blank=True)
    contact_consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    contact_hidden = models.BooleanField(
        _("personal details hidden"),
        default=False,
        help_text=_("Set by moderation: the details are no longer shown to staff."),
    )
    contact_purged_at = models.DateTimeField(_("contact purged at"), null=True, blank=True)
    master_incident = models.ForeignKey(
        "incidents.Incident",
        verbose_name=_("duplicate of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Set when the report was linked to an incident already reported nearby."),
    )
    confirmed_fixed_at = models.DateTimeField(_("fix confirmed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("citizen report")
        verbose_name_plural = _("citizen reports")
        indexes = [
            # Serves Open311's request list filtered by service code and dates.
            models.Index(fields=["category_code", "created_at"], name="report_category_created"),
        ]
        permissions = [
            ("use_phone_portal", "Can use the phone portal"),
            ("moderate_report", "Can hide citizen photos and personal details"),
        ]

    def __str__(self) -> str:
        return f"Report {self.pk}"

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_email or self.contact_phone)


class DuplicateRadius(models.Model):
    """How far apart two reports of one category may be and still describe one problem.

    A light out is one mast; a flooded road covers a block. Categories without a row use
    the configured default.
    """

    category_code = models.SlugField(_("category code"), max_length=50, unique=True)
    radius_m = models.PositiveIntegerField(_("radius (metres)"))

    class Meta:
        ordering = ["category_code"]
        verbose_name = _("duplicate radius")
        verbose_name_plural = _("duplicate radii")

    def __str__(self) -> str:
        return f"{self.category_code}: {self.radius_m} m"


class ReportPhoto(models.Model):
    """A photo re-encoded as JPEG with every metadata tag removed."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="reports/%Y/%m/")
    hidden = models.BooleanField(_("hidden by moderation"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("report photo")
        verbose_name_plural = _("report photos")

    def __str__(self) -> str:
        return self.image.name or ""


class StagedPhoto(models.Model):
    """A photo already checked and cleaned, waiting for its form to become valid.

    A form that fails validation keeps the citizen's photos here under the form's token,
    so nothing has to be chosen again; a report takes them over in its own transaction.
    Rows left behind are swept after a few hours.
    """

    form_token = models.CharField(max_length=32, db_index=True)
    image = models.ImageField(upload_to="staging/%Y/%m/")
    original_name = models.CharField(max_length=200)
    suggested_lat = models.FloatField(null=True, blank=True)
    suggested_lon = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class Follower(models.Model):
    """Someone who chose to follow an incident already reported instead of filing again."""

    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.CASCADE, related_name="citizen_followers"
    )
    token = models.CharField(max_length=32, unique=True, editable=False)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    contact_phone = models.CharField(_("phone"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")

    def __str__(self) -> str:
        return f"Follower {self.pk}"


class CitizenMessage(models.Model):
    """A notification to a citizen, who has no user account.

    The hypervisor's notifications are addressed to staff users; this row carries the same
    fields its delivery adapters read (channel, address, subject, body), so the same SMTP
    and SMS gateway adapters deliver it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    channel = models.CharField(max_length=5)
    address = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    related = models.CharField(max_length=80, blank=True)
    dedup_key = models.CharField(max_length=160, unique=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("message to a citizen")
        verbose_name_plural = _("messages to citizens")

    def __str__(self) -> str:
        return self.subject

    @property
    def recipient_id(self) -> None:
        """Citizens are not users: the push adapter has no one to reach."""
        return None


class CallReason(models.TextChoices):
    INFORMATION = "information", _("Information")
    NEW_REPORT = "new_report", _("New report")
    FOLLOW_UP = "follow_up", _("Follow-up")
    COMPLAINT = "complaint", _("Complaint")


class CallLog(models.Model):
    """One call taken on the phone portal."""

    reason = models.CharField(_("reason"), max_length=12, choices=CallReason.choices)
    caller_number = models.CharField(_("caller number"), max_length=20, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    report = models.ForeignKey(
        Report, on_delete=models.SET_NULL, null=True, blank=True, related_name="calls"
    )
    # The incident the call was about: the one filed, followed or asked after.
    incident = models.ForeignKey(
        "incidents.Incident",
        verbose_name=_("incident"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    taken_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]
        indexes = [
            # Serves the incident page's list of the calls about it.
            models.Index(fields=["incident", "at"], name="call_incident_at"),
        ]
        verbose_name = _("call")
        verbose_name_plural = _("calls")

    def __str__(self) -> str:
        return f"{self.get_reason_display()} {self.at:%Y-%m-%d %H:%M}"


class QuickAnswer(models.Model):
    """A ready answer to a frequent question (swimming-pool hours, school canteen…)."""

    title = models.CharField(_("question"), max_length=120)
    body = models.TextField(_("answer"))
    keywords = models.CharField(_("keywords"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "title"]
        verbose_name = _("quick answer")
        verbose_name_plural = _("quick answers")

    def __str__(self) -> str:
        return self.title
