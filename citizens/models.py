from django.db import models
from django.utils.translation import gettext_lazy as _


class Report(models.Model):
    """A citizen's report; the token is the only way back to it (no account needed)."""

    token = models.CharField(max_length=32, unique=True, editable=False)
    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.PROTECT, related_name="citizen_reports"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("citizen report")
        verbose_name_plural = _("citizen reports")

    def __str__(self) -> str:
        return f"Report {self.pk}"
