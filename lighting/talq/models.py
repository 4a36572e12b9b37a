"""TALQ gateways, the devices they declare and the documents they keep on the CMS."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class TalqGateway(models.Model):
    """An outdoor device network's gateway; it signs in with its telemetry gateway's token."""

    credential = models.OneToOneField(
        "hypervisor.Gateway",
        verbose_name=_("credential"),
        on_delete=models.PROTECT,
        related_name="talq",
    )
    address = models.UUIDField(_("TALQ address"), unique=True, default=uuid.uuid4)
    vendor = models.CharField(_("vendor"), max_length=120, blank=True)
    api_url = models.URLField(
        _("gateway API address"),
        blank=True,
        help_text=_("Where OnDijon reaches the gateway's own API (given by the vendor)."),
    )
    services = models.JSONField(_("announced services"), default=list, blank=True)
    last_seen_at = models.DateTimeField(_("last heard from"), null=True, blank=True)

    class Meta:
        ordering = ["credential__name"]
        verbose_name = _("TALQ gateway")
        verbose_name_plural = _("TALQ gateways")

    def __str__(self) -> str:
        return self.credential.name


class TalqDevice(models.Model):
    """A device a gateway declared, matched to a light point or a cabinet, or awaiting it."""

    gateway = models.ForeignKey(
        TalqGateway, verbose_name=_("gateway"), on_delete=models.CASCADE, related_name="devices"
    )
    address = models.UUIDField(_("TALQ address"))
    name = models.CharField(_("name"), max_length=200)
    device_class = models.CharField(_("device class"), max_length=120)
    external_reference = models.CharField(_("asset identifier"), max_length=120, blank=True)
    functions = models.JSONField(_("functions"), default=list, blank=True)
    light_point = models.ForeignKey(
        "lighting.LightPoint",
        verbose_name=_("light point"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="talq_devices",
    )
    cabinet = models.ForeignKey(
        "lighting.Cabinet",
        verbose_name=_("cabinet"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="talq_devices",
    )
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["gateway", "name"]
        verbose_name = _("TALQ device")
        verbose_name_plural = _("TALQ devices")
        constraints = [
            models.UniqueConstraint(fields=["gateway", "address"], name="talq_device_once"),
            models.CheckConstraint(
                condition=models.Q(light_point__isnull=True) | models.Q(cabinet__isnull=True),
                name="talq_device_one_asset",
            ),
        ]
        # Serves the reconciliation list (devices matched to nothing).
        indexes = [
            models.Index(fields=["light_point", "cabinet"], name="talq_device_matched"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def matched(self) -> bool:
        return self.light_point_id is not None or self.cabinet_id is not None


class TalqDocument(models.Model):
    """A TALQ resource the gateway keeps on the CMS (device class, lamp or luminaire type)."""

    class Kind(models.TextChoices):
        DEVICE_CLASS = "device-class", _("device class")
        LAMP_TYPE = "lamp-type", _("lamp type")
        LUMINAIRE_TYPE = "luminaire-type", _("luminaire type")

    gateway = models.ForeignKey(TalqGateway, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    address = models.CharField(max_length=200)
    body = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "address"]
        constraints = [
            models.UniqueConstraint(
                fields=["gateway", "kind", "address"], name="talq_document_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.address}"
