from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitizensConfig(AppConfig):
    name = "citizens"
    verbose_name = _("Citizens")

    def ready(self) -> None:
        from citizens import demo, simulation
        from hypervisor.registry import registry

        registry.add_section(_("Report a problem"), "report", permission=None, order=0)
        registry.add_simulator("citizen reports", simulation.tick)
        registry.add_demo_seeder("citizen reports", demo.seed_recent_reports, order=50)
