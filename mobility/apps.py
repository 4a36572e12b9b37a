from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_alarm_rules(sender: AppConfig, **kwargs: object) -> None:
    from mobility.alarm_rules import ensure_alarm_rules

    ensure_alarm_rules()


class MobilityConfig(AppConfig):
    name = "mobility"
    verbose_name = _("Mobility: car parks, public transport, bike sharing")

    def ready(self) -> None:
        from django.conf import settings

        from hypervisor.registry import AssetKind, registry
        from hypervisor.roles import Role
        from mobility import demo, kpis, selectors, simulation, subscribers
        from mobility.layers import BikeStationLayer, CarParkLayer, TransitAlertLayer, VehicleLayer

        watch = ["mobility.view_mobility", "mobility.notify_transport_operator"]
        manage = [*watch, "mobility.manage_feeds"]
        registry.grant(Role.OPERATOR, watch)
        registry.grant(Role.SUPERVISOR, manage)
        registry.grant(Role.MOBILITY_OPERATOR, manage)
        registry.grant(Role.ADMIN, manage)
        registry.add_section(
            _("Mobility"), "mobility-board", permission="mobility.view_mobility", order=35
        )
        registry.add_layer(CarParkLayer())
        registry.add_layer(VehicleLayer())
        registry.add_layer(BikeStationLayer())
        registry.add_layer(TransitAlertLayer())
        registry.add_kpi(kpis.CarParkOccupancyKpi())
        registry.add_asset_kind(
            AssetKind("car_park", selectors.car_park_places, selectors.car_parks_counted)
        )
        registry.add_asset_kind(
            AssetKind("mobility_feed", selectors.feed_places, selectors.feeds_counted)
        )
        registry.subscribe("incident.opened", subscribers.on_incident_opened)
        registry.subscribe("incident.located", subscribers.on_incident_located)
        registry.subscribe("transit_alert.published", subscribers.on_transit_alert_published)
        registry.add_demo_seeder("car parks", demo.seed_car_parks, order=40)
        registry.add_demo_seeder("public transport", demo.seed_transit, order=41)
        if settings.CELERY_TASK_ALWAYS_EAGER:
            registry.add_simulator("mobility feeds", simulation.tick)
        # The operators' feeds (car parks, GTFS-Realtime, GBFS), served over HTTP beside the
        # demo server so that the pollers read them as they would a real operator's.
        registry.add_demo_process("mobility-feeds", ["mobility_simulator"])
        registry.add_periodic_task(
            "mobility-poll-feeds", "mobility.tasks.poll_due_feeds", every_seconds=10
        )
        from incidents.selectors import add_detail_section
        from mobility.selectors import incident_transit_section

        add_detail_section(
            key="transit-impact",
            label=_("Public transport affected"),
            template="mobility/_incident_transit.html",
            provide=incident_transit_section,
            order=20,
        )
        post_migrate.connect(
            _ensure_alarm_rules, sender=self, dispatch_uid="mobility.ensure_alarm_rules"
        )
