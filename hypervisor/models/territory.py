"""The territory: communes, competent services and the routing table."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Commune(models.Model):
    """A member commune of the territory; its polygon is kept as GeoJSON."""

    insee = models.CharField(_("INSEE code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=120)
    population = models.PositiveIntegerField(_("population"), default=0)
    geometry = models.JSONField(_("boundary (GeoJSON)"))
    label_lat = models.FloatField(_("label latitude"))
    label_lon = models.FloatField(_("label longitude"))
    # The bounding box lets SQL discard most communes before the exact polygon test.
    min_lat = models.FloatField()
    max_lat = models.FloatField()
    min_lon = models.FloatField()
    max_lon = models.FloatField()
    approximated = models.BooleanField(
        _("approximated boundary"),
        default=False,
        help_text=_("True when the boundary was derived from the commune's centre and area."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")

    def __str__(self) -> str:
        return f"{self.name} ({self.insee})"


class Sector(models.Model):
    """An area inside the territory that routing can target (a district, a works zone)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=120)
    geometry = models.JSONField(_("area (GeoJSON)"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """A competent service that incidents are routed to (lighting, roads, police…)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("e-mail"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return self.name


class RoutingRule(models.Model):
    """Category × area → competent service. A commune-specific rule beats a territory-wide one."""

    category_code = models.SlugField(_("category code"), max_length=50)
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text=_("Empty: the rule applies to the whole territory."),
    )
    sector = models.ForeignKey(
        Sector,
        verbose_name=_("sector"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text=_("A sector rule beats a commune rule, which beats a territory-wide one."),
    )
    service = models.ForeignKey(Service, verbose_name=_("service"), on_delete=models.PROTECT)
    precedence = models.IntegerField(
        _("precedence"), default=0, help_text=_("Higher wins among rules of the same scope.")
    )

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [
            models.UniqueConstraint(
                fields=["category_code", "commune", "sector", "precedence"],
                name="routing_rule_unique_scope",
            )
        ]
        # Serves routing: all rules of one category.
        indexes = [models.Index(fields=["category_code"], name="routing_rule_category")]

    def __str__(self) -> str:
        area = self.commune.name if self.commune else _("whole territory")
        return f"{self.category_code} / {area} → {self.service}"


class Place(models.Model):
    """A street or an address of the territory, found by the citizens' search box.

    Filled from the Base Adresse Nationale (`load_addresses`) or, in the demo, from the
    streets of the lighting inventory. A street has no house number; its point is the
    centre of its numbers (or lamps).
    """

    class Source(models.TextChoices):
        BAN = "ban", _("Base Adresse Nationale")
        DEMO = "demo", _("Demo inventory")

    label = models.CharField(_("label"), max_length=250)
    street = models.CharField(_("street"), max_length=200)
    housenumber = models.CharField(_("house number"), max_length=20, blank=True)
    # The numeric part of the house number, so that 2 comes before 10 in the results.
    number = models.PositiveIntegerField(null=True, blank=True)
    postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    commune = models.ForeignKey(Commune, verbose_name=_("commune"), on_delete=models.CASCADE)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    # Lower case, no accents, punctuation as spaces: "12 bis rue d auxonne 21000 dijon".
    search = models.CharField(max_length=300)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)

    class Meta:
        ordering = ["street", "number", "housenumber"]
        verbose_name = _("place")
        verbose_name_plural = _("places")
        indexes = [
            # Serves the search box's prefix search (LIKE 'typed%' on PostgreSQL).
            models.Index(
                fields=["search"], name="place_search_prefix", opclasses=["varchar_pattern_ops"]
            ),
            # Serves the search of streets by their words: street-level rows only.
            models.Index(
                fields=["search"], name="place_street_level", condition=models.Q(housenumber="")
            ),
            # Serves listing a street's numbers once the street is found.
            models.Index(fields=["commune", "street", "number"], name="place_street_numbers"),
            # Serves replacing one source's places on reload.
            models.Index(fields=["source"], name="place_source"),
            # Serves naming the address nearest a point (a bounding box around it).
            models.Index(fields=["lat", "lon"], name="place_lat_lon"),
        ]

    def __str__(self) -> str:
        return self.label
