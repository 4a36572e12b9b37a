from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _route_when_opened(event: object) -> None:
    from incidents.tasks import route_incident

    route_incident.delay(int(event.asset_id))  # type: ignore[attr-defined]


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Incidents")

    def ready(self) -> None:
        from hypervisor.registry import registry
        from incidents import demo
        from incidents.selectors import IncidentLayer

        registry.add_layer(IncidentLayer())
        registry.subscribe("incident.opened", _route_when_opened)
        registry.add_demo_seeder(
            "reference configuration", demo.seed_reference_configuration, order=10
        )
