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
    from hypervisor.tasks import apply_alarm_rules

    if getattr(record, "asset_type", "") != "alarm":  # alarms' own events raise nothing
        apply_alarm_rules.delay(record.pk)  # type: ignore[attr-defined]


class HypervisorConfig(AppConfig):
    name = "hypervisor"
    verbose_name = _("Hypervisor")

    def ready(self) -> None:
        from hypervisor import demo
        from hypervisor.alarm_layer import AlarmLayer
        from hypervisor.registry import registry
        from hypervisor.roles import Role

        watch = ["hypervisor.view_control_room", "hypervisor.acknowledge_alarm"]
        oversee = [*watch, "hypervisor.view_kpis", "hypervisor.view_audit_log"]
        registry.grant(Role.OPERATOR, watch)
        registry.grant(Role.SUPERVISOR, oversee)
        registry.grant(Role.ADMIN, oversee)
        registry.add_section(
            _("Control room"), "control-room", permission="hypervisor.view_control_room", order=10
        )
        registry.add_demo_seeder("demo users", demo.seed_demo_users, order=0)
        registry.add_layer(AlarmLayer())
        registry.subscribe_all(_apply_alarm_rules)
        registry.add_periodic_task(
            "escalate-alarms", "hypervisor.tasks.escalate_alarms", every_seconds=60
        )
        registry.add_periodic_task(
            "requeue-stale-notifications",
            "hypervisor.tasks.requeue_stale_notifications",
            every_seconds=120,
        )
        # Groups are synced once every app has created its permissions.
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="hypervisor.sync_roles")
