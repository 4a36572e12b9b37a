"""Signalised crossroads, CCTV camera metadata with the evidence register, bollards.

No video is stored or streamed here: cameras are described, and every extraction of
footage for the police is registered in an append-only register.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TrafficAccess(models.Model):
    """Holds the traffic, camera and bollard permissions; no table."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_signals", _("Can see traffic signals and bollards")),
            ("view_cameras", _("Can see the camera registry")),
            ("view_evidence_register", _("Can read the evidence register")),
            ("file_evidence_request", _("Can file evidence-extraction requests")),
            ("decide_evidence_request", _("Can approve or refuse evidence requests")),
            ("record_extraction", _("Can record evidence extractions")),
            ("command_bollard", _("Can lower and raise bollards")),
            ("command_signals", _("Can command traffic-light controllers")),
            ("confirm_signal_command", _("Can confirm a yellow flash on a main axis")),
        ]

    def __str__(self) -> str:
        return "traffic access"


def _lat() -> list[Any]:
    return [MinValueValidator(-90), MaxValueValidator(90)]


def _lon() -> list[Any]:
    return [MinValueValidator(-180), MaxValueValidator(180)]


class ControllerState(models.TextChoices):
    NORMAL = "normal", pgettext_lazy("equipment status", "Normal")
    FLASHING = "flashing", _("Flashing amber")
    DARK = "dark", _("Dark")
    FAULT = "fault", _("Fault")
    COMM_LOST = "comm_lost", _("Communication lost")


class ControlMode(models.TextChoices):
    """S0020: the controller's control mode."""

    STARTUP = "startup", _("Start-up")
    CONTROL = "control", _("Normal control")
    STANDBY = "standby", _("Standby")
    FAILURE = "failure", _("Failure")
    TEST = "test", _("Test")


class FunctionalPosition(models.TextChoices):
    """M0001 and S0007/S0011: what the signals show."""

    NORMAL = "NormalControl", _("Normal control")
    YELLOW_FLASH = "YellowFlash", _("Yellow flash")
    DARK = "Dark", _("Dark")


class PoliceKey(models.IntegerChoices):
    """S0013."""

    NONE = 0, _("No police key")
    FORCED_OFF = 1, _("Police key: forced off")
    FORCED_FLASH = 2, _("Police key: forced yellow flash")
    FORCED_DARK = 3, _("Police key: forced dark")


class Crossroad(models.Model):
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=160)
    commune_insee = models.CharField(_("commune"), max_length=5)
    lat = models.FloatField(_("latitude"), validators=_lat())
    lon = models.FloatField(_("longitude"), validators=_lon())
    controller_id = models.CharField(_("controller"), max_length=40)
    signal_groups = models.PositiveSmallIntegerField(_("signal groups"), default=4)
    works_from = models.DateField(_("under works from"), null=True, blank=True)
    works_until = models.DateField(_("under works until"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=ControllerState.choices, default=ControllerState.NORMAL
    )
    fault_code = models.CharField(_("fault code"), max_length=40, blank=True)
    state_since = models.DateTimeField(_("in this state since"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("last heard from"), null=True, blank=True)
    main_axis = models.BooleanField(
        _("on a main axis"),
        default=False,
        help_text=_("A yellow flash here needs a supervisor's confirmation."),
    )
    # What the controller reports through RSMP (TLC signal exchange list 1.2.1).
    control_mode = models.CharField(
        _("control mode"), max_length=10, choices=ControlMode.choices, blank=True
    )
    functional_position = models.CharField(
        _("functional position"), max_length=14, choices=FunctionalPosition.choices, blank=True
    )
    time_plan = models.PositiveSmallIntegerField(_("time plan"), null=True, blank=True)
    time_plan_source = models.CharField(_("time plan source"), max_length=20, blank=True)
    signal_group_status = models.CharField(_("signal-group states"), max_length=64, blank=True)
    police_key = models.PositiveSmallIntegerField(
        _("police key"), choices=PoliceKey.choices, null=True, blank=True
    )
    manual_control = models.BooleanField(_("manual control"), default=False)
    detector_faults = models.JSONField(_("detector faults"), default=list, blank=True)
    aggregated_status = models.JSONField(_("aggregated status bits"), default=list, blank=True)
    rsmp_statuses_at = models.DateTimeField(_("statuses reported at"), null=True, blank=True)

    class Meta:
        ordering = ["reference"]
        verbose_name = _("signalised crossroad")
        verbose_name_plural = _("signalised crossroads")
        # Serves the map's bounding-box reads.
        indexes = [models.Index(fields=["lat", "lon"], name="crossroad_lat_lon")]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}"


class CameraStatus(models.TextChoices):
    ONLINE = "online", pgettext_lazy("camera status", "Online")
    OFFLINE = "offline", _("Offline")
    NOT_RECORDING = "not_recording", _("Not recording")


class Camera(models.Model):
    class Kind(models.TextChoices):
        FIXED = "fixed", _("Fixed")
        PTZ = "ptz", _("Pan-tilt-zoom")

    class Purpose(models.TextChoices):
        PROTECTION = "protection", _("Video protection")
        TRAFFIC = "traffic", _("Traffic")

    reference = models.CharField(_("reference"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=160)
    commune_insee = models.CharField(_("commune"), max_length=5)
    lat = models.FloatField(_("latitude"), validators=_lat())
    lon = models.FloatField(_("longitude"), validators=_lon())
    bearing = models.PositiveSmallIntegerField(
        _("bearing (°)"), validators=[MaxValueValidator(359)]
    )
    field_of_view = models.PositiveSmallIntegerField(
        _("field of view (°)"), validators=[MinValueValidator(1), MaxValueValidator(360)]
    )
    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices)
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    status = models.CharField(
        _("status"), max_length=13, choices=CameraStatus.choices, default=CameraStatus.ONLINE
    )
    retention_days = models.PositiveSmallIntegerField(
        _("recording retention (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_("At most 30 days, as the law allows."),
    )
    privacy_masks = models.TextField(_("privacy masks"), blank=True)
    legal_hold = models.BooleanField(
        _("under legal hold"),
        default=False,
        help_text=_("Footage is kept past retention while a judicial procedure requires it."),
    )
    last_seen_at = models.DateTimeField(_("last heard from"), null=True, blank=True)

    class Meta:
        ordering = ["reference"]
        verbose_name = _("camera")
        verbose_name_plural = _("cameras")
        indexes = [models.Index(fields=["lat", "lon"], name="camera_lat_lon")]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}"


class AppendOnly(models.Model):
    """Rows that are written once: corrections are new rows, never edits or deletions."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise PermissionError(f"{type(self).__name__} is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError(f"{type(self).__name__} is append-only")


class EvidenceRequest(AppendOnly):
    """A police request for footage; its decisions and extractions are register entries."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    procedure_reference = models.CharField(_("requisition or procedure reference"), max_length=80)
    authority = models.CharField(_("requesting authority"), max_length=160)
    cameras = models.ManyToManyField(Camera, verbose_name=_("cameras"), related_name="+")
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    motive = models.TextField(_("motive"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("filed by"),
    )
    filed_at = models.DateTimeField(_("filed at"))

    class Meta:
        ordering = ["-filed_at"]
        verbose_name = _("evidence request")
        verbose_name_plural = _("evidence requests")

    def __str__(self) -> str:
        return self.reference


class RegisterEntry(AppendOnly):
    """One line of the evidence register."""

    class Kind(models.TextChoices):
        FILED = "filed", _("Request filed")
        APPROVED = "approved", _("Request approved")
        REFUSED = "refused", _("Request refused")
        EXTRACTED = "extracted", _("Footage extracted")
        CORRECTION = "correction", _("Correction")

    request = models.ForeignKey(EvidenceRequest, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("entry"), max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"))
    note = models.TextField(_("note"), blank=True)
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("corrects"),
    )  # fmt: skip
    # Extraction details (kind "extracted", or a correction of one).
    cameras = models.CharField(_("cameras"), max_length=400, blank=True)
    range_start = models.DateTimeField(_("footage from"), null=True, blank=True)
    range_end = models.DateTimeField(_("footage until"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, blank=True)
    medium = models.CharField(_("medium"), max_length=80, blank=True)
    recipient = models.CharField(_("recipient"), max_length=160, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("register entry")
        verbose_name_plural = _("register entries")

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class RetentionExpiry(AppendOnly):
    """Footage of a camera older than `expired_before` was deleted, as retention requires."""

    camera = models.ForeignKey(Camera, on_delete=models.PROTECT, related_name="expiries")
    expired_before = models.DateTimeField(_("footage deleted before"))
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = _("retention expiry")
        verbose_name_plural = _("retention expiries")

    def __str__(self) -> str:
        return f"{self.camera_id} < {self.expired_before:%Y-%m-%d}"


class BollardState(models.TextChoices):
    UP = "up", _("Up")
    DOWN = "down", _("Down")
    MOVING = "moving", _("Moving")
    FAULT = "fault", _("Fault")


class Bollard(models.Model):
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=160)
    access_point = models.CharField(_("access point"), max_length=160)
    commune_insee = models.CharField(_("commune"), max_length=5)
    lat = models.FloatField(_("latitude"), validators=_lat())
    lon = models.FloatField(_("longitude"), validators=_lon())
    state = models.CharField(
        _("state"), max_length=6, choices=BollardState.choices, default=BollardState.UP
    )
    fault_code = models.CharField(_("fault code"), max_length=40, blank=True)
    closed_from = models.TimeField(_("pedestrian zone from"), null=True, blank=True)
    closed_until = models.TimeField(_("pedestrian zone until"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("last heard from"), null=True, blank=True)

    class Meta:
        ordering = ["reference"]
        verbose_name = _("retractable bollard")
        verbose_name_plural = _("retractable bollards")
        indexes = [models.Index(fields=["lat", "lon"], name="bollard_lat_lon")]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}"


class RsmpSite(models.Model):
    """An RSMP site (a traffic-light controller) known by its site id.

    A site that connects with an id nobody mapped yet is recorded here without a crossroad:
    it is listed for reconciliation and stays off the map until an administrator maps it.
    """

    site_id = models.CharField(_("site id"), max_length=64, unique=True)
    crossroad = models.OneToOneField(
        Crossroad,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rsmp_site",
        verbose_name=_("crossroad"),
    )
    connected = models.BooleanField(_("connected"), default=False)
    address = models.CharField(_("last address"), max_length=64, blank=True)
    core_version = models.CharField(_("RSMP version"), max_length=10, blank=True)
    sxl_version = models.CharField(_("SXL version"), max_length=10, blank=True)
    first_seen_at = models.DateTimeField(_("first seen"), null=True, blank=True)
    connected_at = models.DateTimeField(_("connected at"), null=True, blank=True)
    disconnected_at = models.DateTimeField(_("disconnected at"), null=True, blank=True)
    disconnect_reason = models.CharField(_("disconnection reason"), max_length=160, blank=True)
    # Alarms the site reported, keyed "aCId/cId": the last state applied, so a buffered
    # message sent again after a reconnection is recognised and applied once.
    alarms = models.JSONField(_("alarms"), default=dict, blank=True)

    class Meta:
        ordering = ["site_id"]
        verbose_name = _("RSMP site")
        verbose_name_plural = _("RSMP sites")

    def __str__(self) -> str:
        return self.site_id


class SignalCommand(models.Model):
    """A command from the control room to a controller, closed by the site's own status."""

    class Action(models.TextChoices):
        TIME_PLAN = "time_plan", _("Set the time plan")
        YELLOW_FLASH = "yellow_flash", _("Yellow flash")
        DARK = "dark", _("Dark")
        NORMAL = "normal", _("Back to normal control")

    class Status(models.TextChoices):
        AWAITING_CONFIRMATION = "awaiting", _("Awaiting a supervisor's confirmation")
        PENDING = "pending", _("To send")
        SENT = "sent", _("Sent, awaiting the site's status")
        CONFIRMED = "confirmed", _("Confirmed by the site")
        FAILED = "failed", _("Failed")
        REFUSED = "refused", _("Refused")

    crossroad = models.ForeignKey(
        Crossroad, on_delete=models.PROTECT, related_name="commands", verbose_name=_("crossroad")
    )
    action = models.CharField(_("command"), max_length=12, choices=Action.choices)
    time_plan = models.PositiveSmallIntegerField(_("time plan"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=9, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("requested by"),
    )  # fmt: skip
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("confirmed by"),
    )  # fmt: skip
    requested_at = models.DateTimeField(_("requested at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=200, blank=True)
    message_id = models.CharField(_("RSMP message id"), max_length=36, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("signal command")
        verbose_name_plural = _("signal commands")
        indexes = [
            # Serves the supervisor's scan of commands to send or to time out.
            models.Index(fields=["status", "requested_at"], name="signal_command_status"),
        ]

    def __str__(self) -> str:
        return f"{self.crossroad_id} {self.action} {self.status}"
