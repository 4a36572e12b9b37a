"""Running operator procedures step by step; every step taken is audited."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hypervisor.models import (
    Alarm,
    AlarmState,
    Commune,
    Procedure,
    ProcedureRun,
    ProcedureStep,
    StepRecord,
)
from hypervisor.registry import registry
from hypervisor.roles import Role
from hypervisor.services.alarms import alarm_acknowledge
from hypervisor.services.audit import audit_record
from hypervisor.services.notifications import elected_officials_of, notify, users_with_role

# "manual": the operator did an action step by hand (the automatic one could not).
ANSWERS = {"yes", "no", "done", "manual"}
NOT_DONE = "not_done"
"""Answer recorded when an action step ran but could not do its job; the step stays current."""


class ProcedureError(Exception):
    """The step cannot be taken (not the current one, wrong answer, no such procedure)."""


class ActionNotDone(Exception):
    """An action ran and achieved nothing (nobody to text): the operator must do it by hand.

    Its message says what is missing, in the operator's words.
    """


def _steps(procedure: Procedure) -> dict[str, ProcedureStep]:
    return {step.code: step for step in procedure.steps.all()}


def _record(
    run: ProcedureRun, step: ProcedureStep, *, answer: str, outcome: str, by: User | None
) -> None:
    StepRecord.objects.create(run=run, step=step, answer=answer, outcome=outcome[:300], by=by)
    audit_record(
        actor=by,
        action="procedure.step",
        target=f"alarm:{run.alarm_id}",
        summary=f"{run.procedure.code}/{step.code}: {answer or 'done'}",
        after={"answer": answer, "outcome": outcome},
    )


def _advance(run: ProcedureRun, next_code: str, by: User | None) -> None:
    """Move to the next step, answering by itself any question the alarm's data answers."""
    steps = _steps(run.procedure)
    while next_code:
        step = steps.get(next_code)
        if step is None:
            raise ProcedureError(
                _("The procedure refers to a missing step: %(code)s") % {"code": next_code}
            )
        run.current_step = step.code
        if step.kind == ProcedureStep.Kind.END:
            outcome = " ".join(filter(None, [step.text, _acknowledge_on_finish(run, by)]))
            _record(run, step, answer="", outcome=outcome, by=by)
            run.finished_at = timezone.now()
            break
        known = step.answer_from_payload and step.answer_from_payload in run.alarm.payload
        if step.kind == ProcedureStep.Kind.QUESTION and known:
            answer = "yes" if run.alarm.payload[step.answer_from_payload] else "no"
            _record(run, step, answer=answer, outcome=_("Answered from the alarm's data"), by=None)
            next_code = step.next_if_yes if answer == "yes" else step.next_if_no
            continue
        break
    run.save()


def _acknowledge_on_finish(run: ProcedureRun, by: User | None) -> str:
    """A finished procedure acknowledges its alarm; otherwise it says why it did not."""
    alarm = Alarm.objects.select_related("acknowledged_by").get(pk=run.alarm_id)
    if alarm.state == AlarmState.CLEARED:
        return _("The alarm had already cleared: nothing to acknowledge.")
    if alarm.state == AlarmState.ACKNOWLEDGED:
        who = alarm.acknowledged_by
        name = (who.get_full_name() or who.get_username()) if who else _("someone")
        return _("The alarm was already acknowledged by %(name)s.") % {"name": name}
    if by is None:
        return _("Nobody took the last step: acknowledge the alarm by hand.")
    alarm_acknowledge(
        alarm_id=alarm.pk,
        by=by,
        comment=_("Procedure complete: %(title)s") % {"title": run.procedure.title},
    )
    run.alarm.refresh_from_db()
    return _("Alarm acknowledged.")


@transaction.atomic
def procedure_start(*, alarm_id: int, by: User) -> ProcedureRun:
    """Open the procedure of an alarm's kind (once: starting again returns the same run)."""
    alarm = Alarm.objects.select_for_update().get(pk=alarm_id)
    existing = ProcedureRun.objects.filter(alarm=alarm).first()
    if existing is not None:
        return existing
    procedure = Procedure.objects.filter(alarm_kind=alarm.kind).first()
    if procedure is None:
        raise ProcedureError(_("No procedure is attached to this kind of alarm."))
    first = procedure.steps.order_by("order").first()
    if first is None:
        raise ProcedureError(_("This procedure has no steps."))
    run = ProcedureRun.objects.create(alarm=alarm, procedure=procedure, started_by=by)
    audit_record(
        actor=by, action="procedure.start", target=f"alarm:{alarm.pk}", summary=procedure.code
    )
    _advance(run, first.code, by)
    return run


@transaction.atomic
def procedure_answer(*, alarm_id: int, step_code: str, answer: str, by: User) -> ProcedureRun:
    """Take the current step: tick a check, answer a question, or run an action."""
    run = (
        ProcedureRun.objects.select_for_update()
        .select_related("procedure", "alarm")
        .get(alarm_id=alarm_id)
    )
    if run.finished_at is not None:
        raise ProcedureError(_("This procedure is already complete."))
    if step_code != run.current_step:
        raise ProcedureError(_("This step is not the current one; the page may be out of date."))
    if answer not in ANSWERS:
        raise ProcedureError(_("Unknown answer."))
    step = _steps(run.procedure)[step_code]
    if step.kind == ProcedureStep.Kind.QUESTION:
        if answer not in {"yes", "no"}:
            raise ProcedureError(_("Answer this question with yes or no."))
        _record(run, step, answer=answer, outcome="", by=by)
        _advance(run, step.next_if_yes if answer == "yes" else step.next_if_no, by)
        return run
    if answer == "manual":
        if step.kind != ProcedureStep.Kind.ACTION:
            raise ProcedureError(_("Only an action can be done by hand."))
        _record(run, step, answer="manual", outcome=_("Done by hand by the operator."), by=by)
        _advance(run, step.next_step, by)
        return run
    outcome = ""
    if step.kind == ProcedureStep.Kind.ACTION:
        handler = registry.procedure_action(step.action)
        if handler is None:
            raise ProcedureError(
                _("This action is not available: %(action)s") % {"action": step.action}
            )
        try:
            with transaction.atomic():
                outcome = handler(alarm=run.alarm, by=by)
        except ActionNotDone as not_done:
            # Recorded, and the step stays current: the operator retries or does it by hand.
            _record(run, step, answer=NOT_DONE, outcome=str(not_done), by=by)
            return run
    _record(run, step, answer="done", outcome=outcome, by=by)
    _advance(run, step.next_step, by)
    return run


def notify_elected_officials_of_alarm(*, alarm: Alarm, by: User) -> str:
    """Procedure action: text the elected officials of the commune where the alarm is."""
    if alarm.lat is None or alarm.lon is None:
        return _("The alarm has no location: no commune to warn.")
    from hypervisor.selectors import commune_at

    insee = commune_at(lat=alarm.lat, lon=alarm.lon)
    commune = Commune.objects.filter(insee=insee).first()
    if commune is None:
        return _("The alarm lies outside the territory: no commune to warn.")
    officials = elected_officials_of(commune.pk)
    if not officials:
        raise ActionNotDone(
            _("No elected official of %(commune)s is registered: nothing was sent.")
            % {"commune": commune.name}
        )
    sent = notify(
        users=officials,
        channels=["sms"],
        subject=alarm.title,
        body=_("%(title)s in %(commune)s. The control room is handling it.")
        % {"title": alarm.title, "commune": commune.name},
        related=f"alarm:{alarm.pk}",
        dedup_key=f"alarm:{alarm.pk}:elected",
    )
    if not sent:
        raise ActionNotDone(
            _("No elected official of %(commune)s has a phone number: nothing was sent.")
            % {"commune": commune.name}
        )
    return _("%(count)d SMS sent to the elected officials of %(commune)s.") % {
        "count": len(sent),
        "commune": commune.name,
    }


def notify_police_of_alarm(*, alarm: Alarm, by: User) -> str:
    """Procedure action: warn the police (SMS and in-app) of what happened and where."""
    officers = users_with_role(Role.POLICE)
    place = (
        _("at %(lat).5f, %(lon).5f") % {"lat": alarm.lat, "lon": alarm.lon}
        if alarm.lat is not None and alarm.lon is not None
        else ""
    )
    sent = notify(
        users=officers,
        channels=["sms", "push"],
        subject=alarm.title,
        body=_("%(title)s %(place)s: an accident is reported. The control room asks for a patrol.")
        % {"title": alarm.title, "place": place},
        related=f"alarm:{alarm.pk}",
        dedup_key=f"alarm:{alarm.pk}:police",
    )
    reached = {notification.recipient_id for notification in sent}
    if not reached:
        raise ActionNotDone(_("No police officer could be reached: nothing was sent."))
    return _("%(count)d police officers warned.") % {"count": len(reached)}


__all__ = [
    "ActionNotDone",
    "ProcedureError",
    "notify_elected_officials_of_alarm",
    "notify_police_of_alarm",
    "procedure_answer",
    "procedure_start",
]
