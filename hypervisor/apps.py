from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender: AppConfig, using: str = "default", **kwargs: object) -> None:
    """Create every app's permissions first, whatever order apps migrate in, then sync."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    from hypervisor.roles import sync_role_groups

    for config in apps.get_app_configs():
        create_permissions(config, verbosity=0, using=using)
    sync_role_groups()


def _apply_alarm_rules(record: object) -> None:
    from hypervisor.services.alarms import relay_alarm_rules

    if getattr(record, "asset_type", "") != "alarm":  # alarms' own events raise nothing
        relay_alarm_rules(event_id=record.pk, kind=record.kind)  # type: ignore[attr-defined]


class HypervisorConfig(AppConfig):
    name = "hypervisor"
    verbose_name = _("Hypervisor")

    def ready(self) -> None:
        from hypervisor import audit_signals, demo, live, services
        from hypervisor.alarm_layer import AlarmLayer
        from hypervisor.registry import registry
        from hypervisor.roles import Role
        from hypervisor.security import (
            second_factor,  # noqa: F401 (registers its check)
            socket_sessions,
        )
        from hypervisor.security import sessions as security_sessions
        from hypervisor.selectors.control import AlarmAcknowledgementKpi, AlarmCountKpi, CrisisLayer

        watch = [
            "hypervisor.view_control_room",
            "hypervisor.acknowledge_alarm",
            "hypervisor.run_procedures",
        ]
        oversee = [
            *watch,
            "hypervisor.view_kpis",
            "hypervisor.view_audit_log",
            "hypervisor.manage_crisis",
        ]
        registry.grant(Role.OPERATOR, watch)
        registry.grant(Role.SUPERVISOR, oversee)
        registry.grant(Role.ADMIN, oversee)
        registry.grant(Role.ELECTED_OFFICIAL, ["hypervisor.view_elected_board"])
        for role in Role:
            registry.grant(role, ["hypervisor.use_second_factor"])
        registry.add_section(
            _("Crisis cell"), "crisis", permission="hypervisor.view_control_room", order=11
        )
        registry.add_section(_("KPI board"), "kpis", permission="hypervisor.view_kpis", order=12)
        registry.add_section(
            _("Audit log"), "audit-log", permission="hypervisor.view_audit_log", order=13
        )
        registry.add_section(
            _("My commune"), "elected-board", permission="hypervisor.view_elected_board", order=14
        )
        registry.add_section(
            _("Two-factor authentication"),
            "second-factor",
            permission="hypervisor.use_second_factor",
            order=90,
        )
        registry.add_layer(CrisisLayer())
        registry.add_kpi(AlarmAcknowledgementKpi())
        registry.add_kpi(AlarmCountKpi())
        registry.add_procedure_action(
            "notify_elected_officials", services.notify_elected_officials_of_alarm
        )
        registry.add_procedure_action("notify_police", services.notify_police_of_alarm)
        registry.add_audit_actions(
            {
                "alarm.acknowledge": _("Alarm acknowledged"),
                "alarm.clear": _("Alarm cleared by hand"),
                "crisis.activate": _("Crisis cell activated"),
                "crisis.close": _("Crisis cell closed"),
                "crisis.member": _("Member added to the crisis cell"),
                "crisis.message": _("Message in the crisis log"),
                "crisis.decision": _("Decision in the crisis log"),
                "export.kpis": _("KPI board exported"),
                "login.locked": _("Login locked after failed attempts"),
                "otp.enrolled": _("Two-factor authentication enabled"),
                "otp.removed": _("Two-factor authentication removed"),
                "permissions.change": _("Permissions changed"),
                "procedure.start": _("Procedure started"),
                "procedure.step": _("Procedure step taken"),
                "roles.sync": _("Role permissions brought in line"),
                "demo.users": _("Demo users set up"),
                "demo.seed": _("Demo data loaded"),
            }
        )
        for kind in ("crisis.activated", "crisis.updated", "crisis.closed"):
            registry.subscribe(kind, live.push_crisis_state)
        registry.add_section(
            _("Control room"), "control-room", permission="hypervisor.view_control_room", order=10
        )
        registry.add_demo_seeder("demo users", demo.seed_demo_users, order=0)
        registry.add_demo_seeder("alarm work under way", demo.seed_alarm_work_under_way, order=90)
        registry.add_layer(AlarmLayer())
        registry.subscribe_all(_apply_alarm_rules)
        audit_signals.connect()
        security_sessions.connect()
        socket_sessions.connect()
        registry.add_periodic_task(
            "escalate-alarms", "hypervisor.tasks.escalate_alarms", every_seconds=60
        )
        registry.add_periodic_task(
            "apply-pending-alarm-rules",
            "hypervisor.tasks.apply_pending_alarm_rules",
            every_seconds=30,
        )
        registry.add_periodic_task(
            "requeue-stale-notifications",
            "hypervisor.tasks.requeue_stale_notifications",
            every_seconds=120,
        )
        registry.add_periodic_task(
            "event-retention", "hypervisor.tasks.purge_events", every_seconds=3600
        )
        registry.add_periodic_task(
            "telemetry-retention", "hypervisor.tasks.purge_telemetry", every_seconds=3600
        )
        # Groups are synced once every app has created its permissions.
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="hypervisor.sync_roles")
