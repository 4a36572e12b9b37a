from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_alarm_rules(sender: AppConfig, **kwargs: object) -> None:
    """Alarm rules are data; they are brought back after every migrate (tests flush them)."""
    from lighting.alarm_rules import ensure_alarm_rules

    ensure_alarm_rules()


class LightingConfig(AppConfig):
    name = "lighting"
    # What `manage.py import_inventory` can load through this app (kind → loading order).
    inventory_kinds = {"cabinets": 10, "light_points": 11}
    verbose_name = _("Public lighting")

    def ready(self) -> None:
        from hypervisor.registry import AssetKind, registry
        from hypervisor.roles import Role
        from lighting import demo, kpis, selectors, services, simulation
        from lighting.layers import CabinetLayer, LightPointLayer

        registry.grant(Role.OPERATOR, ["lighting.view_lighting", "lighting.command_lighting"])
        registry.grant(Role.SUPERVISOR, ["lighting.view_lighting", "lighting.command_lighting"])
        registry.grant(Role.ELECTED_OFFICIAL, ["lighting.view_lighting"])
        registry.grant(Role.ADMIN, ["lighting.view_lighting", "lighting.command_lighting"])
        registry.add_section(
            _("Public lighting"), "lighting-board", permission="lighting.view_lighting", order=30
        )
        registry.add_layer(LightPointLayer())
        registry.add_layer(CabinetLayer())
        registry.add_asset_kind(AssetKind("lamp", selectors.lamp_places, selectors.lamps_counted))
        registry.add_asset_kind(
            AssetKind("cabinet", selectors.cabinet_places, selectors.cabinets_counted)
        )
        registry.add_audit_actions({"lighting.override": _("Lighting forced on a commune")})
        registry.add_telemetry_handler("lamp", services.lamps_apply_readings)
        registry.add_telemetry_handler("cabinet", services.cabinets_apply_readings)
        registry.add_kpi(kpis.EnergySavingsKpi())
        registry.add_kpi(kpis.LedRenovationKpi())
        registry.add_kpi(kpis.LightingAvailabilityKpi())
        registry.add_demo_seeder("lighting", demo.seed_lighting, order=20)
        registry.add_demo_seeder("lighting faults under way", demo.seed_open_faults, order=60)
        registry.add_demo_seeder(
            "streets for the address search", demo.seed_street_places, order=21
        )
        registry.add_simulator("lighting", simulation.tick)
        registry.add_periodic_task(
            "lighting-silent-cabinets", "lighting.tasks.detect_silent_cabinets", every_seconds=60
        )
        registry.add_periodic_task(
            "lighting-dimming-plan", "lighting.tasks.follow_dimming_plan", every_seconds=60
        )
        registry.add_periodic_task(
            "lighting-energy-estimate", "lighting.tasks.estimate_energy", every_seconds=3600
        )
        post_migrate.connect(
            _ensure_alarm_rules, sender=self, dispatch_uid="lighting.ensure_alarm_rules"
        )

    def load_inventory(self, *, kind: str, rows: list) -> list:  # type: ignore[type-arg]
        from lighting.services import lighting_inventory_load

        return lighting_inventory_load(kind=kind, rows=rows)
