"""The accident branch of the traffic-signal procedure also warns the police and dispatches
the signalling crew (it used to stop after texting the elected official)."""

from django.db import migrations
from django.db.models import F

PROCEDURE = "traffic-signal-fault"
WARN_POLICE = {
    "kind": "action",
    "text_fr": "Prévenir la police (SMS et notification).",
    "text_en": "Warn the police (SMS and notification).",
    "action": "notify_police",
    "next_step": "dispatch-crew",
}


def forward(apps, schema_editor):
    step_model = apps.get_model("hypervisor", "ProcedureStep")
    procedure = apps.get_model("hypervisor", "Procedure").objects.filter(code=PROCEDURE).first()
    if procedure is None:
        return
    steps = step_model.objects.filter(procedure=procedure)
    sms = steps.filter(code="sms-elected").first()
    if sms is None or sms.next_step != "done":
        return  # edited by the operators since: leave their version alone
    order = sms.order
    steps.filter(order__gt=order).update(order=F("order") + 1)
    step_model.objects.get_or_create(
        procedure=procedure, code="warn-police", defaults={"order": order + 1, **WARN_POLICE}
    )
    sms.next_step = "warn-police"
    sms.save(update_fields=["next_step"])


def backward(apps, schema_editor):
    step_model = apps.get_model("hypervisor", "ProcedureStep")
    steps = step_model.objects.filter(procedure__code=PROCEDURE)
    steps.filter(code="sms-elected", next_step="warn-police").update(next_step="done")
    steps.filter(code="warn-police").delete()


class Migration(migrations.Migration):
    dependencies = [("hypervisor", "0009_second_factor_permission")]
    operations = [migrations.RunPython(forward, backward)]
