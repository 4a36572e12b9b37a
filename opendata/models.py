"""API keys for higher open-data quotas, requested by the users themselves."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiKey(models.Model):
    """Only a hash of the key is stored: the key itself is shown once, when it is issued."""

    name = models.CharField(_("project or organisation"), max_length=120)
    # Kept to reach the holder about a change of quota; never published.
    email = models.EmailField(_("contact e-mail"))
    purpose = models.TextField(_("intended use"), max_length=1000, blank=True)
    prefix = models.CharField(_("key prefix"), max_length=8, db_index=True)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
