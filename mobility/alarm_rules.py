"""What mobility events do to alarms, declared after every migrate when missing.

Rules already present are left alone: operators may have tuned them since.
"""

from __future__ import annotations

from django.apps import apps

from hypervisor.services import alarm_rule_ensure
from mobility.events import ALARM_RULES


def ensure_alarm_rules() -> None:
    existing = set(
        apps.get_model("hypervisor", "AlarmRule").objects.values_list("event_kind", flat=True)
    )
    for event_kind, action, alarm_kind, severity, title_fr, title_en in ALARM_RULES:
        if event_kind not in existing:
            alarm_rule_ensure(
                event_kind=event_kind,
                action=action,
                alarm_kind=alarm_kind,
                severity=severity,
                title_fr=title_fr,
                title_en=title_en,
            )
