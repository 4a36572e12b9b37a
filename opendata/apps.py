from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "opendata"
    verbose_name = _("Open data")

    def ready(self) -> None:
        from hypervisor.registry import registry

        # Public by law: the home page links every visitor to the catalogue.
        registry.add_section(_("Open data"), "opendata:catalogue", permission=None, order=1)
