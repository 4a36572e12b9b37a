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


class HypervisorConfig(AppConfig):
    name = "hypervisor"
    verbose_name = _("Hypervisor")

    def ready(self) -> None:
        from hypervisor import demo
        from hypervisor.registry import registry
        from hypervisor.roles import Role

        registry.grant(Role.OPERATOR, ["hypervisor.view_control_room"])
        registry.grant(Role.SUPERVISOR, ["hypervisor.view_control_room", "hypervisor.view_kpis"])
        registry.grant(Role.ADMIN, ["hypervisor.view_control_room", "hypervisor.view_kpis"])
        registry.add_section(
            _("Control room"), "control-room", permission="hypervisor.view_control_room", order=10
        )
        registry.add_demo_seeder("demo users", demo.seed_demo_users, order=0)
        # Groups are synced once every app has created its permissions.
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="hypervisor.sync_roles")
