"""The roles of the command centre, as Django groups.

Apps grant permissions to roles from their `AppConfig.ready()` through
`hypervisor.registry.grant`; the groups are brought in line after every migrate.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OPERATOR = "operator", _("Control-room operator")
    SUPERVISOR = "supervisor", _("Supervisor")
    FIELD_AGENT = "field_agent", _("Field agent")
    TELEOPERATOR = "teleoperator", _("Teleoperator")
    POLICE = "police", _("Police")
    ELECTED_OFFICIAL = "elected_official", _("Elected official")
    MOBILITY_OPERATOR = "mobility_operator", _("Mobility operator")
    ADMIN = "admin", _("Administrator")


def sync_role_groups() -> None:
    """Create one group per role and give it exactly the permissions granted to it.

    Recorded in the audit log as one entry (how many memberships changed), not hundreds.
    """
    from django.contrib.auth.models import Group, Permission

    from hypervisor.audit_signals import recorded_as_one
    from hypervisor.registry import registry

    with recorded_as_one(action="roles.sync", target="roles", summary=""):
        for role in Role:
            group, _created = Group.objects.get_or_create(name=role.value)
            wanted = []
            for dotted in sorted(registry.permissions_of(role)):
                app_label, codename = dotted.split(".", 1)
                permission = Permission.objects.filter(
                    content_type__app_label=app_label, codename=codename
                ).first()
                if permission is None:
                    raise LookupError(f"Permission {dotted} granted to {role.value} does not exist")
                wanted.append(permission)
            group.permissions.set(wanted)
