"""Public lighting: cabinets, light points, dimming profiles, overrides and energy."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class LightingAccess(models.Model):
    """Holds the lighting permissions; no table."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_lighting", _("Can see the lighting board")),
            ("command_lighting", _("Can send lighting override commands")),
        ]

    def __str__(self) -> str:
        return "lighting access"


class StreetClass(models.TextChoices):
    MAIN = "main", _("Main road")
    RESIDENTIAL = "residential", _("Residential street")
    PEDESTRIAN = "pedestrian", _("Pedestrian area")


class Technology(models.TextChoices):
    LED = "led", _("LED")
    HPS = "hps", _("High-pressure sodium")
    METAL_HALIDE = "mh", _("Metal halide")


class CabinetStatus(models.TextChoices):
    OK = "ok", pgettext_lazy("equipment status", "Normal")
    POWER_LOSS = "power_lost", _("Power loss")
    COMM_LOST = "comm_lost", _("Communication lost")


class LampStatus(models.TextChoices):
    OK = "ok", pgettext_lazy("equipment status", "Normal")
    LAMP_FAILURE = "lamp_failed", _("Lamp failure")
    NO_POWER = "power_lost", _("No power")
    COMM_LOST = "comm_lost", _("Communication lost")
    DAY_BURNING = "day_burning", _("Lit in daytime")


class Cabinet(models.Model):
    """A feeder cabinet: it powers the light points of its circuits and holds a meter."""

    reference = models.CharField(_("reference"), max_length=40, unique=True)
    commune_insee = models.CharField(_("commune"), max_length=5, db_index=True)
    lat = models.FloatField(
        _("latitude"), validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    lon = models.FloatField(
        _("longitude"), validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    circuits = models.PositiveSmallIntegerField(_("circuits"), default=1)
    meter_id = models.CharField(_("meter"), max_length=40, blank=True)
    meter_index_kwh = models.FloatField(_("meter index (kWh)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=CabinetStatus.choices, default=CabinetStatus.OK
    )
    last_seen_at = models.DateTimeField(_("last heard from"), null=True, blank=True)

    class Meta:
        ordering = ["reference"]
        verbose_name = _("cabinet")
        verbose_name_plural = _("cabinets")
        indexes = [
            # Serves the map's bounding-box reads.
            models.Index(fields=["lat", "lon"], name="cabinet_lat_lon"),
            # Serves the communication-loss sweep and the faults snapshot.
            models.Index(fields=["status", "last_seen_at"], name="cabinet_status_seen"),
        ]

    def __str__(self) -> str:
        return self.reference


class LightPoint(models.Model):
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    cabinet = models.ForeignKey(
        Cabinet, verbose_name=_("cabinet"), on_delete=models.PROTECT, related_name="points"
    )
    commune_insee = models.CharField(_("commune"), max_length=5)
    street = models.CharField(_("street"), max_length=160, blank=True)
    street_class = models.CharField(
        _("street class"),
        max_length=12,
        choices=StreetClass.choices,
        default=StreetClass.RESIDENTIAL,
    )
    lat = models.FloatField(
        _("latitude"), validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    lon = models.FloatField(
        _("longitude"), validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    technology = models.CharField(_("technology"), max_length=3, choices=Technology.choices)
    wattage = models.PositiveSmallIntegerField(
        _("nominal wattage (W)"), validators=[MinValueValidator(1), MaxValueValidator(2000)]
    )
    baseline_wattage = models.PositiveSmallIntegerField(
        _("pre-renovation wattage (W)"),
        validators=[MinValueValidator(1), MaxValueValidator(2000)],
        help_text=_(
            "The lamp it replaced, for the energy baseline; the same when never renovated."
        ),
    )
    installed_on = models.DateField(_("installed on"), null=True, blank=True)
    renovated_on = models.DateField(_("converted to LED on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=LampStatus.choices, default=LampStatus.OK
    )
    level = models.PositiveSmallIntegerField(
        _("current level (%)"), default=0, validators=[MaxValueValidator(100)]
    )

    class Meta:
        ordering = ["reference"]
        verbose_name = _("light point")
        verbose_name_plural = _("light points")
        indexes = [
            # Serves the map's bounding-box reads and grid aggregation.
            models.Index(fields=["lat", "lon"], name="lightpoint_lat_lon"),
            # Serves the faults snapshot (everything not normal).
            models.Index(fields=["status"], name="lightpoint_status"),
            # Serves energy and renovation figures per commune.
            models.Index(fields=["commune_insee", "technology"], name="lightpoint_commune_tech"),
        ]

    def __str__(self) -> str:
        return self.reference


class DimmingProfile(models.Model):
    """One night's levels for a street class: evening, the dimmed core of the night, morning."""

    street_class = models.CharField(
        _("street class"), max_length=12, choices=StreetClass.choices, unique=True
    )
    evening_level = models.PositiveSmallIntegerField(
        _("level from dusk (%)"), default=100, validators=[MaxValueValidator(100)]
    )
    night_level = models.PositiveSmallIntegerField(
        _("dimmed level (%)"), default=50, validators=[MaxValueValidator(100)]
    )
    night_start = models.TimeField(_("dimmed from"))
    night_end = models.TimeField(_("dimmed until"))
    morning_level = models.PositiveSmallIntegerField(
        _("level until dawn (%)"), default=100, validators=[MaxValueValidator(100)]
    )

    class Meta:
        ordering = ["street_class"]
        verbose_name = _("dimming profile")
        verbose_name_plural = _("dimming profiles")

    def __str__(self) -> str:
        return str(self.get_street_class_display())


class LightingOverride(models.Model):
    """A forced level on a zone for an event or a crisis, sent through the device adapter."""

    commune_insee = models.CharField(_("commune"), max_length=5, blank=True)
    min_lat = models.FloatField(null=True, blank=True)
    min_lon = models.FloatField(null=True, blank=True)
    max_lat = models.FloatField(null=True, blank=True)
    max_lon = models.FloatField(null=True, blank=True)
    level = models.PositiveSmallIntegerField(_("level (%)"), validators=[MaxValueValidator(100)])
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=200)
    points = models.PositiveIntegerField(_("light points"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("lighting override")
        verbose_name_plural = _("lighting overrides")

    def __str__(self) -> str:
        return f"{self.reason} ({self.level} %)"


class MonthlyEnergy(models.Model):
    """Energy of one cabinet for one month: metered, estimated and the pre-renovation baseline."""

    cabinet = models.ForeignKey(Cabinet, on_delete=models.CASCADE, related_name="energy")
    month = models.DateField(_("month"))
    measured_kwh = models.FloatField(_("metered (kWh)"), null=True, blank=True)
    estimated_kwh = models.FloatField(_("estimated (kWh)"), default=0)
    baseline_kwh = models.FloatField(_("baseline (kWh)"), default=0)

    class Meta:
        ordering = ["month"]
        verbose_name = _("monthly energy")
        verbose_name_plural = _("monthly energy")
        constraints = [
            models.UniqueConstraint(fields=["cabinet", "month"], name="energy_once_per_month")
        ]
        # Serves the KPI board's monthly series.
        indexes = [models.Index(fields=["month"], name="energy_month")]

    def __str__(self) -> str:
        return f"{self.cabinet_id} {self.month:%Y-%m}"

    @property
    def consumed_kwh(self) -> float:
        return self.measured_kwh if self.measured_kwh is not None else self.estimated_kwh


# The TALQ gateways' models live with their protocol adapter, in the lighting app.
from lighting.talq.models import TalqDevice, TalqDocument, TalqGateway  # noqa: E402

__all__ = ["TalqDevice", "TalqDocument", "TalqGateway"]
