"""The deadline watchdog: at risk, breached, and who is told."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hypervisor import events
from hypervisor import services as hypervisor_services
from hypervisor.roles import Role
from incidents.events import IncidentSlaChanged
from incidents.models import OPEN_STATUSES, Incident, Priority, SlaState
from incidents.services.lifecycle import PRIORITY_SEVERITY

# An incident is at risk once this share of its time is used up.
AT_RISK_AFTER = 0.75
# Serious incidents: a breach is also texted to the commune's elected officials.
SERIOUS = (Priority.EMERGENCY,)


def sla_state_at(*, incident: Incident, now: datetime) -> SlaState:
    if incident.status not in OPEN_STATUSES:
        reference = incident.resolved_at or now
        return SlaState.MET if reference <= incident.due_at else SlaState.MISSED
    if now >= incident.due_at:
        return SlaState.BREACHED
    # A reopened incident's clock started again when it was reopened.
    started = incident.reopened_at or incident.created_at
    allowed = (incident.due_at - started).total_seconds()
    used = (now - started).total_seconds()
    return SlaState.AT_RISK if allowed > 0 and used >= AT_RISK_AFTER * allowed else SlaState.OK


def _dedup_key(incident: Incident, what: str) -> str:
    """One escalation per deadline: a reopened incident's new deadline is escalated anew."""
    cycle = f":r{incident.reopen_count}" if incident.reopen_count else ""
    return f"incident:{incident.pk}{cycle}:sla:{what}"


def _escalate(incident: Incident, state: SlaState) -> None:
    label = f"{incident.reference} — {incident.category.label}"
    where = incident.commune.name if incident.commune else ""
    if state == SlaState.AT_RISK:
        hypervisor_services.notify(
            users=hypervisor_services.users_with_role(Role.SUPERVISOR),
            channels=["push"],
            subject=_("Deadline at risk: %(incident)s") % {"incident": label},
            body=_("%(incident)s (%(where)s) is due at %(due)s.")
            % {"incident": label, "where": where, "due": timezone.localtime(incident.due_at)},
            related=f"incident:{incident.pk}",
            dedup_key=_dedup_key(incident, "at_risk"),
        )
        return
    supervisors = hypervisor_services.users_with_role(Role.SUPERVISOR)
    hypervisor_services.notify(
        users=[*supervisors, *hypervisor_services.duty_officers()],
        channels=["push", "email"],
        subject=_("Deadline missed: %(incident)s") % {"incident": label},
        body=_("%(incident)s (%(where)s) was due at %(due)s and is still open.")
        % {"incident": label, "where": where, "due": timezone.localtime(incident.due_at)},
        related=f"incident:{incident.pk}",
        dedup_key=_dedup_key(incident, "breached"),
    )
    if incident.priority in SERIOUS and incident.commune_id is not None:
        hypervisor_services.notify(
            users=hypervisor_services.elected_officials_of(incident.commune_id),
            channels=["sms"],
            subject=_("Emergency late in %(where)s") % {"where": where},
            body=_("OnDijon: emergency %(incident)s in %(where)s is past its deadline.")
            % {"incident": label, "where": where},
            related=f"incident:{incident.pk}",
            dedup_key=_dedup_key(incident, "elected"),
        )


@transaction.atomic
def sla_watch(*, now: datetime | None = None) -> int:
    """Mark open incidents at risk or breached and escalate; returns how many changed.

    Safe to run twice: a state already recorded is not recorded again, and notifications
    carry dedup keys.
    """
    now = now or timezone.now()
    changed = 0
    candidates = (
        Incident.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("category", "commune")
        .filter(status__in=OPEN_STATUSES)
        .exclude(sla_state=SlaState.BREACHED)
    )
    for incident in candidates:
        state = sla_state_at(incident=incident, now=now)
        if state == incident.sla_state:
            continue
        incident.sla_state = state
        incident.save(update_fields=["sla_state"])
        events.publish(
            IncidentSlaChanged(
                asset_id=str(incident.pk),
                severity=PRIORITY_SEVERITY[Priority(incident.priority)],
                lat=incident.lat,
                lon=incident.lon,
                sla_state=state,
            )
        )
        if state in (SlaState.AT_RISK, SlaState.BREACHED):
            _escalate(incident, state)
        changed += 1
    return changed
