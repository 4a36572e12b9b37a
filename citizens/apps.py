from __future__ import annotations

import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


def _notify_reporters(event: object) -> None:
    """After commit: hand the status change to a task that writes to the reporters.

    A reopening lands in an ordinary open status; reporters are told it was reopened.
    """
    from citizens.tasks import notify_status_change

    reopened = event.kind == "incident.reopened"  # type: ignore[attr-defined]
    arguments = (
        int(event.asset_id),  # type: ignore[attr-defined]
        "reopened" if reopened else event.to_status,  # type: ignore[attr-defined]
        event.note,  # type: ignore[attr-defined]
        event.occurred_at.isoformat(),  # type: ignore[attr-defined]
    )
    try:
        notify_status_change.apply_async(arguments, retry=False)
    except Exception:
        # A dead broker must not break the commit that moved the incident; logged for ops.
        logger.warning("Broker unreachable: reporters of incident %s not notified", arguments[0])


class CitizensConfig(AppConfig):
    name = "citizens"
    verbose_name = _("Citizens")

    def ready(self) -> None:
        from citizens import demo, simulation
        from hypervisor.registry import registry
        from hypervisor.roles import Role

        registry.add_section(_("Report a problem"), "report", permission=None, order=0)
        registry.add_audit_actions(
            {
                "citizens.contact_hidden": _("Citizen's contact details hidden"),
                "citizens.photo_hidden": _("Citizen's photo hidden"),
            }
        )
        registry.add_section(
            _("Phone portal"), "portal", permission="citizens.use_phone_portal", order=40
        )
        registry.add_section(
            _("Moderation of reports"),
            "report-moderation",
            permission="citizens.moderate_report",
            order=41,
        )
        registry.grant(Role.TELEOPERATOR, ["citizens.use_phone_portal"])
        registry.grant(Role.ADMIN, ["citizens.use_phone_portal", "citizens.moderate_report"])
        registry.grant(Role.OPERATOR, ["citizens.moderate_report"])
        registry.grant(Role.SUPERVISOR, ["citizens.moderate_report"])
        registry.subscribe("incident.status_changed", _notify_reporters)
        registry.subscribe("incident.reopened", _notify_reporters)
        registry.add_periodic_task(
            "citizens-purge-contacts", "citizens.tasks.purge_expired_contacts", every_seconds=86_400
        )
        registry.add_periodic_task(
            "citizens-sweep-staged-photos", "citizens.tasks.sweep_staged_photos", every_seconds=3600
        )
        registry.add_simulator("citizen reports", simulation.tick)
        from citizens.selectors import incident_calls_section, incident_reports_section
        from incidents.selectors import add_detail_section

        add_detail_section(
            key="citizen-reports",
            label=_("Citizens"),
            template="citizens/_incident_reports.html",
            provide=incident_reports_section,
            order=10,
        )
        add_detail_section(
            key="citizen-calls",
            label=_("Phone calls"),
            template="citizens/_incident_calls.html",
            provide=incident_calls_section,
            order=11,
        )
        registry.add_demo_seeder("citizen reports", demo.seed_recent_reports, order=50)
