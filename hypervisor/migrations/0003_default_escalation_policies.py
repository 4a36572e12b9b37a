"""Sensible escalation delays out of the box; supervisors tune them in the admin."""

from django.db import migrations

# severity: (minutes before the supervisors are notified, minutes before the duty officer's SMS)
DEFAULTS = {
    "critical": (5, 15),
    "major": (15, 45),
    "minor": (60, None),
}


def create(apps, schema_editor):
    policy = apps.get_model("hypervisor", "EscalationPolicy")
    for severity, (supervisor, duty_officer) in DEFAULTS.items():
        policy.objects.get_or_create(
            alarm_kind="",
            severity=severity,
            defaults={
                "supervisor_after_minutes": supervisor,
                "duty_officer_after_minutes": duty_officer,
            },
        )


def remove(apps, schema_editor):
    apps.get_model("hypervisor", "EscalationPolicy").objects.filter(
        alarm_kind="", severity__in=DEFAULTS
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("hypervisor", "0002_alarms_notifications_audit")]
    operations = [migrations.RunPython(create, remove)]
