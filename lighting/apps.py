from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LightingConfig(AppConfig):
    name = "lighting"
    verbose_name = _("Public lighting")
