"""Permissions of the hypervisor that belong to no table."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ControlRoomAccess(models.Model):
    """Holds the hypervisor's permissions; no table."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_control_room", _("Can watch the control room")),
            ("view_kpis", _("Can see the KPI board")),
            ("acknowledge_alarm", _("Can acknowledge alarms")),
            ("view_audit_log", _("Can read the audit log")),
            ("run_procedures", _("Can run operator procedures")),
            ("manage_crisis", _("Can activate and close a crisis")),
            ("view_elected_board", _("Can see the elected officials' board")),
            ("use_second_factor", _("Can turn on their own two-factor authentication")),
        ]

    def __str__(self) -> str:
        return "control room access"
