from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Priority(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency")
    HIGH = "high", _("High")
    NORMAL = "normal", _("Normal")
    LOW = "low", _("Low")


class Trade(models.Model):
    """A craft a task needs (electrician, carpenter…).

    Precedence orders the tasks at one place: the lower number works first, so the
    electrician makes a mast safe before the carpenter replaces the bench bolted to it.
    """

    code = models.SlugField(_("code"), max_length=50, unique=True)
    label_fr = models.CharField(_("French label"), max_length=120)
    label_en = models.CharField(_("English label"), max_length=120)
    precedence = models.IntegerField(
        _("precedence"), default=50, help_text=_("Lower works first at a shared place.")
    )

    class Meta:
        ordering = ["precedence", "code"]
        verbose_name = _("trade")
        verbose_name_plural = _("trades")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.label_en if (get_language() or "fr").startswith("en") else self.label_fr


class Category(models.Model):
    """What kind of problem; carries its default priority, deadline and the trades it needs."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    group = models.CharField(_("group"), max_length=50)
    label_fr = models.CharField(_("French label"), max_length=120)
    label_en = models.CharField(_("English label"), max_length=120)
    icon = models.CharField(
        _("icon"), max_length=40, blank=True, help_text=_("Name of an icon of the icon sprite.")
    )
    default_priority = models.CharField(
        _("default priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    sla_minutes = models.PositiveIntegerField(_("deadline (minutes)"), default=72 * 60)
    active = models.BooleanField(_("active"), default=True)
    trades = models.ManyToManyField(Trade, verbose_name=_("trades needed"), blank=True)
    safety = models.BooleanField(
        _("public safety"),
        default=False,
        help_text=_("Urgent ones also send the nearest municipal-police patrol."),
    )

    class Meta:
        ordering = ["group", "code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.label_en if (get_language() or "fr").startswith("en") else self.label_fr


class Status(models.TextChoices):
    NEW = "new", _("New")
    ROUTED = "routed", _("Routed")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    DUPLICATE = "duplicate", _("Duplicate")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = (Status.NEW, Status.ROUTED, Status.ASSIGNED, Status.IN_PROGRESS)
# The deadline clock stops once the work is done; closing is paperwork.
SLA_RUNNING_STATUSES = OPEN_STATUSES


class SlaState(models.TextChoices):
    OK = "ok", _("On time")
    AT_RISK = "at_risk", _("At risk")
    BREACHED = "breached", _("Breached")
    MET = "met", _("Met")
    MISSED = "missed", _("Missed")


class UnroutableReason(models.TextChoices):
    """Why routing found no competent service; the operator queue shows it."""

    NONE = "", _("Routed")
    OUTSIDE = "outside", _("The location is outside the territory.")
    NO_RULE = "no_rule", _("No routing rule covers this category here.")


class Source(models.TextChoices):
    WEB = "web", _("Citizen web form")
    PHONE = "phone", _("Phone")
    OPEN311 = "open311", _("Open311")
    OPERATOR = "operator", _("Operator")
    EQUIPMENT = "equipment", _("Equipment alarm")


class LocatedBy(models.TextChoices):
    """Where an incident's position came from; empty while it waits to be located."""

    NOWHERE = "", _("Not located yet")
    REPORTER = "reporter", _("Given by the reporter")
    ADDRESS = "address", _("Found from the address")
    COMMUNE = "commune", _("Centre of the commune")
    OPERATOR = "operator", _("Placed by an operator")


class Incident(models.Model):
    reference = models.CharField(_("reference"), max_length=12, unique=True)
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT)
    # Up to 4,000 characters, as GeoReport v2 allows; the web form keeps to 2,000.
    description = models.TextField(_("description"), max_length=4000)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    address = models.CharField(
        _("address"), max_length=200, blank=True, help_text=_("As the reporter gave it.")
    )
    located_by = models.CharField(
        _("position from"), max_length=10, choices=LocatedBy.choices, blank=True, default=""
    )
    alarm = models.ForeignKey(
        "hypervisor.Alarm",
        verbose_name=_("alarm"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    commune = models.ForeignKey(
        "hypervisor.Commune",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NEW
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices)
    service = models.ForeignKey(
        "hypervisor.Service",
        verbose_name=_("competent service"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    routing_rule = models.ForeignKey(
        "hypervisor.RoutingRule",
        verbose_name=_("routing rule"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    routing_note = models.CharField(_("routing decision"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    routed_at = models.DateTimeField(_("routed at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"))
    unroutable_reason = models.CharField(
        _("why it is not routed"),
        max_length=10,
        choices=UnroutableReason.choices,
        blank=True,
        default=UnroutableReason.NONE,
    )
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    # A fix that did not hold brings the same incident back: its deadline runs again from here.
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    status_reason = models.CharField(
        _("reason"),
        max_length=500,
        blank=True,
        help_text=_("Why it was rejected or cancelled; shown to the reporter."),
    )
    master = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    sla_state = models.CharField(
        _("deadline state"), max_length=10, choices=SlaState.choices, default=SlaState.OK
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        indexes = [
            # Serves the open-incident layer of the control room and the operator queue.
            models.Index(fields=["status", "created_at"], name="incident_status_created"),
            # Serves the bounding-box prefilter of nearby searches.
            models.Index(fields=["lat", "lon"], name="incident_lat_lon"),
            # Serves the deadline watchdog: open incidents by due time.
            models.Index(fields=["status", "due_at"], name="incident_status_due"),
        ]
        permissions = [
            ("dispatch_incident", "Can route, dispatch and assign incidents"),
            ("use_field_tablet", "Can use the field tablet"),
        ]

    def __str__(self) -> str:
        return self.reference


class Transition(models.Model):
    """One step of an incident's life: who moved it, when, from what to what, and why."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Status.choices)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.from_status or '∅'} → {self.to_status}"


class IncidentNote(models.Model):
    """What an operator said or changed outside the status: comment, service, priority, place."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Internal comment")
        SERVICE = "service", _("Service changed")
        PRIORITY = "priority", _("Priority changed")
        LOCATION = "location", _("Located")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.CharField(_("text"), max_length=1000)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("incident note")
        verbose_name_plural = _("incident notes")

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.kind}"
