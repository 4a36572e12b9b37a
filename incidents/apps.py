from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _route_when_opened(event: object) -> None:
    from incidents.services import relay

    relay("route_incident", int(event.asset_id), priority=event.priority or None)  # type: ignore[attr-defined]


def _dispatch_when_routed_by_hand(event: object) -> None:
    from incidents.services import relay

    # Automatic routing dispatches in the same task; an operator's routing needs this.
    if event.to_status == "routed" and event.from_status == "new":  # type: ignore[attr-defined]
        relay("dispatch_incident", int(event.asset_id))  # type: ignore[attr-defined]


def _dispatch_when_reopened(event: object) -> None:
    from incidents.services import relay

    # Routing does nothing for an incident still routed, then dispatches it again.
    relay("route_incident", int(event.asset_id))  # type: ignore[attr-defined]


def _route_when_located(event: object) -> None:
    from incidents.services import relay

    # Routing of a new incident runs again; for one already routed it dispatches what waits.
    relay("route_incident", int(event.asset_id))  # type: ignore[attr-defined]


def _dispatch_signalling_crew(*, alarm: object, by: object) -> str:
    """Procedure action: an equipment incident at the faulty crossroads, routed and dispatched."""
    from django.utils.translation import gettext as _

    from incidents import services

    incident = services.incident_open(
        category_code="signalisation-feu",
        description=_("Traffic-signal fault at %(asset)s (alarm %(alarm)s).")
        % {"asset": alarm.asset_ref, "alarm": alarm.pk},  # type: ignore[attr-defined]
        lat=alarm.lat,  # type: ignore[attr-defined]
        lon=alarm.lon,  # type: ignore[attr-defined]
        source=services.Source.EQUIPMENT,
        alarm_id=alarm.pk,  # type: ignore[attr-defined]
    )
    return _("Incident %(reference)s opened: the signalling crew is dispatched.") % {
        "reference": incident.reference
    }


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Incidents")

    def ready(self) -> None:
        from django.urls import path

        from hypervisor.registry import registry
        from hypervisor.roles import Role
        from incidents import demo, live, simulation
        from incidents.consumers import FieldConsumer
        from incidents.selectors import KPIS, CrewLayer, IncidentLayer

        registry.grant(Role.FIELD_AGENT, ["incidents.use_field_tablet"])
        staff = ["incidents.dispatch_incident", "incidents.view_incident"]
        registry.grant(Role.OPERATOR, staff)
        registry.grant(Role.SUPERVISOR, staff)
        registry.grant(Role.ADMIN, staff)
        registry.add_section(
            _("Field tablet"), "field-tablet", permission="incidents.use_field_tablet", order=20
        )
        registry.add_section(
            _("Dispatch queue"),
            "dispatch-queue",
            permission="incidents.dispatch_incident",
            order=15,
        )
        registry.add_section(
            _("Incident search"), "incident-search", permission="incidents.view_incident", order=16
        )
        registry.add_room_link(
            _("Incidents"), "incident-search", permission="incidents.view_incident", order=10
        )
        registry.add_room_link(
            _("Dispatch queue"),
            "dispatch-queue",
            permission="incidents.dispatch_incident",
            order=11,
        )
        registry.add_room_module(
            "incident-desk",
            script="incidents/incident-desk.js",
            template="incidents/room_panel.html",
            permission="incidents.view_incident",
        )
        registry.add_layer(IncidentLayer())
        registry.add_layer(CrewLayer())
        for kpi in KPIS:
            registry.add_kpi(kpi)
        registry.subscribe("incident.opened", _route_when_opened)
        registry.subscribe("incident.status_changed", _dispatch_when_routed_by_hand)
        registry.subscribe("incident.reopened", _dispatch_when_reopened)
        registry.subscribe("incident.located", _route_when_located)
        registry.subscribe("task.changed", live.push_task_changed)
        for kind in (
            "incident.sla_changed",
            "incident.status_changed",
            "incident.rerouted",
            "incident.priority_changed",
        ):
            registry.subscribe(kind, live.push_incident_changed)
        registry.add_websocket_route(path("ws/field/", FieldConsumer.as_asgi()))
        registry.add_periodic_task(
            "incidents-relay-pending", "incidents.tasks.relay_pending_work", every_seconds=15
        )
        registry.add_periodic_task(
            "incidents-watch-deadlines", "incidents.tasks.watch_deadlines", every_seconds=60
        )
        registry.add_demo_seeder(
            "reference configuration", demo.seed_reference_configuration, order=10
        )
        registry.add_demo_seeder("crews and patrols", demo.seed_crews, order=15)
        registry.add_demo_seeder("a shift under way", demo.seed_shift_under_way, order=70)
        registry.add_simulator("crews", simulation.tick)
        registry.add_procedure_action("dispatch_signalling_crew", _dispatch_signalling_crew)
