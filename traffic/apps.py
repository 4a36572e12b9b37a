from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_alarm_rules(sender: AppConfig, **kwargs: object) -> None:
    from traffic.alarm_rules import ensure_alarm_rules

    ensure_alarm_rules()


async def _run_rsmp_supervisor() -> None:
    from traffic.rsmp.runner import serve_supervisor, supervisor_from_settings

    await serve_supervisor(supervisor_from_settings())


class TrafficConfig(AppConfig):
    name = "traffic"
    # What `manage.py import_inventory` can load through this app (kind → loading order).
    inventory_kinds = {"crossroads": 20, "cameras": 21, "bollards": 22}
    verbose_name = _("Traffic, cameras and bollards")

    def ready(self) -> None:
        from hypervisor.registry import AssetKind, registry
        from hypervisor.roles import Role
        from traffic import demo, kpis, selectors, services, simulation
        from traffic.layers import BollardLayer, CameraLayer, CrossroadLayer

        watch = ["traffic.view_signals", "traffic.view_cameras", "traffic.command_bollard"]
        registry.grant(Role.OPERATOR, [*watch, "traffic.command_signals"])
        registry.grant(
            Role.SUPERVISOR,
            [
                *watch,
                "traffic.command_signals",
                "traffic.confirm_signal_command",
                "traffic.view_evidence_register",
                "traffic.decide_evidence_request",
                "traffic.record_extraction",
            ],
        )
        registry.grant(
            Role.POLICE,
            [
                "traffic.view_cameras",
                "traffic.view_evidence_register",
                "traffic.file_evidence_request",
            ],
        )
        registry.grant(Role.ADMIN, watch)
        registry.add_section(
            _("Traffic signals and bollards"),
            "signals-board",
            permission="traffic.view_signals",
            order=31,
        )
        registry.add_section(
            _("Cameras"), "cameras-board", permission="traffic.view_cameras", order=32
        )
        registry.add_layer(CrossroadLayer())
        registry.add_layer(CameraLayer())
        registry.add_layer(BollardLayer())
        for asset_type, places, counted, label in (
            (
                "crossroad",
                selectors.crossroad_places,
                selectors.crossroads_counted,
                _("Crossroads"),
            ),
            ("camera", selectors.camera_places, selectors.cameras_counted, _("Camera")),
            ("bollard", selectors.bollard_places, selectors.bollards_counted, _("Bollard")),
        ):
            registry.add_asset_kind(AssetKind(asset_type, places, counted, label))
        registry.add_audit_actions(
            {
                "bollard.lower": _("Bollard moved by hand"),
                "evidence.file": _("Evidence request filed"),
                "evidence.approved": _("Evidence request approved"),
                "evidence.refused": _("Evidence request refused"),
                "evidence.extract": _("Footage extracted"),
            }
        )
        registry.add_telemetry_handler("crossroad", services.crossroads_apply_readings)
        registry.add_telemetry_handler("camera", services.cameras_apply_readings)
        registry.add_telemetry_handler("bollard", services.bollards_apply_readings)
        registry.add_kpi(kpis.SignalAvailabilityKpi())
        registry.add_kpi(kpis.CameraAvailabilityKpi())
        registry.add_kpi(kpis.BollardAvailabilityKpi())
        registry.add_demo_seeder("traffic", demo.seed_traffic, order=21)
        registry.add_demo_seeder("traffic faults under way", demo.seed_open_faults, order=61)
        registry.add_simulator("traffic", simulation.tick)
        registry.add_demo_seeder("traffic-rsmp", demo.seed_rsmp_sites, order=22)
        # The demo's controllers are RSMP sites: the supervisor in the server's loop, the
        # emulated sites in a process of their own, connecting over TCP.
        registry.add_demo_service("rsmp-supervisor", _run_rsmp_supervisor)
        registry.add_demo_process("rsmp-emulators", ["rsmp_emulators", "--wait"])
        registry.add_periodic_task(
            "traffic-silent-crossroads", "traffic.tasks.detect_silent_crossroads", every_seconds=60
        )
        registry.add_periodic_task(
            "traffic-camera-retention",
            "traffic.tasks.record_camera_retention",
            every_seconds=86_400,
        )
        post_migrate.connect(
            _ensure_alarm_rules, sender=self, dispatch_uid="traffic.ensure_alarm_rules"
        )

    def load_inventory(self, *, kind: str, rows: list) -> list:  # type: ignore[type-arg]
        from traffic.services import traffic_inventory_load

        return traffic_inventory_load(kind=kind, rows=rows)
