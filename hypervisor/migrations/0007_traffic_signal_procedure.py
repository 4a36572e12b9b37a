"""The traffic-signal fault procedure the control room follows (editable in the admin)."""

from django.db import migrations

ALARM_KIND = "traffic-signal-fault"

# code, kind, French text, English text, action, answered by, next, next if yes, next if no
STEPS = [
    ("under-works", "question", "Le carrefour est-il en travaux ?", "Is the crossroads under works?", "", "under_works", "", "suppressed", "accident"),
    ("suppressed", "end", "Panne neutralisée : le carrefour est en travaux, aucune intervention.", "Fault suppressed: the crossroads is under works, no intervention.", "", "", "", "", ""),
    ("accident", "question", "Un accident de la route est-il signalé à ce carrefour ?", "Has a road accident been reported at this crossroads?", "", "", "", "call-referee", "dispatch-crew"),
    ("call-referee", "check", "Appeler l'arbitre d'astreinte.", "Call the duty referee.", "", "", "sms-elected", "", ""),
    ("sms-elected", "action", "Envoyer un SMS à l'élu de la commune.", "Send an SMS to the commune's elected official.", "notify_elected_officials", "", "done", "", ""),
    ("dispatch-crew", "action", "Dépêcher l'équipe signalisation.", "Dispatch the signalling crew.", "dispatch_signalling_crew", "", "done", "", ""),
    ("done", "end", "Procédure terminée.", "Procedure complete.", "", "", "", "", ""),
]  # fmt: skip


def create(apps, schema_editor):
    procedure_model = apps.get_model("hypervisor", "Procedure")
    step_model = apps.get_model("hypervisor", "ProcedureStep")
    procedure, _created = procedure_model.objects.get_or_create(
        code="traffic-signal-fault",
        defaults={
            "alarm_kind": ALARM_KIND,
            "title_fr": "Panne de feux tricolores",
            "title_en": "Traffic signal fault",
        },
    )
    for order, (code, kind, text_fr, text_en, action, answered_by, nxt, yes, no) in enumerate(STEPS):
        step_model.objects.get_or_create(
            procedure=procedure,
            code=code,
            defaults={
                "order": order,
                "kind": kind,
                "text_fr": text_fr,
                "text_en": text_en,
                "action": action,
                "answer_from_payload": answered_by,
                "next_step": nxt,
                "next_if_yes": yes,
                "next_if_no": no,
            },
        )


def remove(apps, schema_editor):
    apps.get_model("hypervisor", "Procedure").objects.filter(code="traffic-signal-fault").delete()


class Migration(migrations.Migration):
    dependencies = [("hypervisor", "0006_procedures_crisis")]
    operations = [migrations.RunPython(create, remove)]
