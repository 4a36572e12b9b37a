"""Crews and municipal-police patrols: who they are, when they work, where they are."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from incidents.models.core import Trade


class CrewKind(models.TextChoices):
    CREW = "crew", _("Crew")
    PATROL = "patrol", _("Municipal-police patrol")


class Availability(models.TextChoices):
    AVAILABLE = "available", _("Available")
    BUSY = "busy", _("On a job")
    BREAK = "break", _("On a break")
    OFF = "off", _("Off duty")


class Crew(models.Model):
    """A team of field agents (or a patrol) with trades, a state and a last known position."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=CrewKind.choices, default="crew")
    service = models.ForeignKey(
        "hypervisor.Service",
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    trades = models.ManyToManyField(Trade, verbose_name=_("trades"), blank=True)
    availability = models.CharField(
        _("availability"),
        max_length=10,
        choices=Availability.choices,
        default=Availability.AVAILABLE,
    )
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    position_at = models.DateTimeField(_("position time"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("crew")
        verbose_name_plural = _("crews")
        indexes = [
            # Serves the bounding-box prefilter of the nearest-crew search.
            models.Index(fields=["lat", "lon"], name="crew_lat_lon"),
        ]

    def __str__(self) -> str:
        return self.name


class Shift(models.Model):
    """A working period of a crew; outside every shift the crew cannot be dispatched."""

    crew = models.ForeignKey(Crew, on_delete=models.CASCADE, related_name="shifts")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        # Serves "is this crew on shift now" for dispatch and assignment.
        indexes = [models.Index(fields=["crew", "starts_at", "ends_at"], name="shift_crew_time")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="shift_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.crew}: {self.starts_at:%Y-%m-%d %H:%M} → {self.ends_at:%H:%M}"


class CrewMember(models.Model):
    """A field agent's crew: an agent belongs to one crew at a time."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="crew_membership"
    )
    crew = models.ForeignKey(Crew, on_delete=models.CASCADE, related_name="members")

    class Meta:
        verbose_name = _("crew member")
        verbose_name_plural = _("crew members")

    def __str__(self) -> str:
        return f"{self.user} ∈ {self.crew}"
