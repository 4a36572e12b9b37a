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
