"""Alarms: raised and cleared by rules from events, acknowledged by operators, escalated.

Suppression: an event whose payload carries `suppressed_reason`, or `under_works` set (the
crossroads is under works), raises an alarm shown as suppressed, which never escalates.

Correlation: an event may name the asset its fault stems from (`parent` in its payload,
e.g. "cabinet:12"). While that asset has an open alarm, the new alarm is one of its
consequences: shown under it, never notified or escalated on its own, cleared with it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from hypervisor import events
from hypervisor.models import Alarm, AlarmRule, AlarmState, EscalationPolicy, Event, Severity
from hypervisor.roles import Role
from hypervisor.services.audit import audit_record
from hypervisor.services.notifications import duty_officers, notify, users_with_role

logger = logging.getLogger(__name__)
# An event whose rules have not been applied after this long is handed to the broker again.
PENDING_RULES_AFTER = timedelta(seconds=30)


class AlarmConflict(Exception):
    """The alarm is no longer in a state that allows this action."""


class AlarmAlreadyCleared(AlarmConflict):
    pass


class AlarmAlreadyAcknowledged(AlarmConflict):
    def __init__(self, *, by: str, at: datetime | None) -> None:
        super().__init__(by)
        self.by, self.at = by, at


@dataclass(frozen=True, kw_only=True)
class AlarmRaised(events.DomainEvent):
    kind = "alarm.raised"
    asset_type = "alarm"
    alarm_kind: str
    title: str


@dataclass(frozen=True, kw_only=True)
class AlarmAcknowledged(events.DomainEvent):
    kind = "alarm.acknowledged"
    asset_type = "alarm"
    by: str


@dataclass(frozen=True, kw_only=True)
class AlarmCleared(events.DomainEvent):
    kind = "alarm.cleared"
    asset_type = "alarm"
    automatic: bool


@transaction.atomic
def alarm_rule_ensure(
    *,
    event_kind: str,
    action: str,
    alarm_kind: str,
    severity: str = Severity.MAJOR,
    title_fr: str = "",
    title_en: str = "",
    flap_window_seconds: int = 600,
) -> AlarmRule:
    """Declare what an event does to alarms; apps call it when seeding their rules."""
    rule, _created = AlarmRule.objects.update_or_create(
        event_kind=event_kind,
        defaults={
            "action": action,
            "alarm_kind": alarm_kind,
            "severity": severity,
            "title_fr": title_fr,
            "title_en": title_en,
            "flap_window_seconds": flap_window_seconds,
        },
    )
    rule.full_clean()
    return rule


def _title(rule: AlarmRule) -> str:
    english = (get_language() or "fr").startswith("en")
    return (rule.title_en if english else rule.title_fr) or rule.title_fr or rule.alarm_kind


def _publish(alarm: Alarm, event_class: type[events.DomainEvent], **fields: Any) -> None:
    events.publish(
        event_class(
            asset_id=str(alarm.pk), severity=alarm.severity, lat=alarm.lat, lon=alarm.lon, **fields
        )
    )


def _open_alarms_of(asset_ref: str) -> Q:
    asset_type, _sep, asset_id = asset_ref.partition(":")
    return Q(asset_type=asset_type, asset_id=asset_id) & ~Q(state=AlarmState.CLEARED)


def relay_alarm_rules(*, event_id: int, kind: str | None = None) -> bool:
    """Hand an event to the rules task; with the broker down, the sweep does it later.

    An event of a kind that no active rule names is marked applied at once instead: the
    task would find nothing to do, and a burst of incidents would otherwise queue one
    such task per event ahead of useful work. The publish gives up within about half a
    second (CELERY_TASK_PUBLISH_RETRY_POLICY); the event itself (`rules_applied_at` still
    empty) is the record of the work to do.
    """
    from hypervisor.tasks import apply_alarm_rules

    if kind is not None and not AlarmRule.objects.filter(event_kind=kind, active=True).exists():
        Event.objects.filter(pk=event_id, rules_applied_at__isnull=True).update(
            rules_applied_at=timezone.now()
        )
        return True
    try:
        apply_alarm_rules.apply_async((event_id,))
    except Exception:
        logger.warning("Broker unreachable: alarm rules of event #%s kept for the sweep", event_id)
        return False
    return True


def alarm_rules_relay_pending(*, now: datetime | None = None, limit: int = 1000) -> int:
    """Hand over again the events the broker never got (it was down when they committed).

    Nothing is handed over while the ordinary queue holds a backlog: the events are most
    likely in it, and copies behind it would only slow it down.
    """
    from ondijon.celery import ordinary_backlog

    if ordinary_backlog():
        return 0
    now = now or timezone.now()
    waiting = (
        Event.objects.filter(
            rules_applied_at__isnull=True, recorded_at__lt=now - PENDING_RULES_AFTER
        )
        .exclude(asset_type="alarm")
        .order_by("id")
        .values_list("pk", "kind")[:limit]
    )
    return sum(relay_alarm_rules(event_id=event_id, kind=kind) for event_id, kind in waiting)


@transaction.atomic
def alarm_apply_rules(*, event_id: int) -> Alarm | None:
    """What an event does to alarms; applying it twice has no second effect."""
    event = Event.objects.select_for_update().get(pk=event_id)
    if event.rules_applied_at is not None:
        return None
    event.rules_applied_at = timezone.now()
    event.save(update_fields=["rules_applied_at"])
    rule = AlarmRule.objects.filter(event_kind=event.kind, active=True).first()
    if rule is None:
        return None
    if rule.action == AlarmRule.Action.CLEAR:
        return _clear_from_event(rule, event)
    return _raise_from_event(rule, event)


def _raise_from_event(rule: AlarmRule, event: Event) -> Alarm:
    now = event.occurred_at
    key = {"kind": rule.alarm_kind, "asset_type": event.asset_type, "asset_id": event.asset_id}
    alarm = (
        Alarm.objects.select_for_update().filter(**key).exclude(state=AlarmState.CLEARED).first()
    )
    if alarm is not None:
        alarm.occurrences += 1
        alarm.last_raised_at = now
        alarm.save(update_fields=["occurrences", "last_raised_at"])
        return alarm
    recently_cleared = (
        Alarm.objects.select_for_update()
        .filter(**key, state=AlarmState.CLEARED)
        .filter(cleared_at__gte=now - timedelta(seconds=rule.flap_window_seconds))
        .order_by("-cleared_at")
        .first()
    )
    if recently_cleared is not None:
        # Flapping: the same alarm comes back; its escalation stage is kept, so nobody is
        # notified again for a fault that keeps coming and going.
        alarm = recently_cleared
        alarm.state = AlarmState.ACTIVE
        alarm.cleared_at = None
        alarm.occurrences += 1
        alarm.last_raised_at = now
        alarm.payload = {**alarm.payload, "flapping": True}
        alarm.save()
    else:
        alarm = Alarm(
            **key,
            severity=rule.severity,
            title=_title(rule),
            lat=event.lat,
            lon=event.lon,
            payload=event.payload,
            raised_at=now,
            last_raised_at=now,
            suppressed_reason=_suppression(event.payload),
        )
        alarm.full_clean()
        alarm.save()
    _correlate(alarm, event)
    _publish(alarm, AlarmRaised, alarm_kind=alarm.kind, title=alarm.title)
    return alarm


def _suppression(payload: dict[str, Any]) -> str:
    """Why the fault needs no intervention, when its event says so (works in progress)."""
    if payload.get("suppressed_reason"):
        return str(payload["suppressed_reason"])[:200]
    if payload.get("under_works"):
        return _("Works in progress at this place.")
    return ""


def _correlate(alarm: Alarm, event: Event) -> None:
    parent_ref = event.payload.get("parent")
    if parent_ref:
        root = (
            Alarm.objects.filter(_open_alarms_of(str(parent_ref)), parent__isnull=True)
            .exclude(pk=alarm.pk)
            .order_by("raised_at")
            .first()
        )
        if root is not None:
            alarm.parent = root
            alarm.save(update_fields=["parent"])
            return
    # The root cause may arrive after its consequences: adopt them.
    Alarm.objects.filter(parent__isnull=True, payload__parent=alarm.asset_ref).exclude(
        state=AlarmState.CLEARED
    ).exclude(pk=alarm.pk).update(parent=alarm)


def _clear_from_event(rule: AlarmRule, event: Event) -> Alarm | None:
    alarm = (
        Alarm.objects.select_for_update()
        .filter(kind=rule.alarm_kind, asset_type=event.asset_type, asset_id=event.asset_id)
        .exclude(state=AlarmState.CLEARED)
        .first()
    )
    if alarm is None:
        return None
    _clear(alarm, automatic=True, by=None)
    return alarm


def _clear(alarm: Alarm, *, automatic: bool, by: User | None) -> None:
    now = timezone.now()
    alarm.state = AlarmState.CLEARED
    alarm.cleared_at = now
    alarm.save(update_fields=["state", "cleared_at"])
    _publish(alarm, AlarmCleared, automatic=automatic)
    # Consequences go with their root cause.
    for child in alarm.consequences.exclude(state=AlarmState.CLEARED).select_for_update():
        _clear(child, automatic=automatic, by=by)


def _display_name(user: User | None) -> str:
    if user is None:
        return "?"
    return getattr(user, "get_full_name", lambda: "")() or user.get_username()


@transaction.atomic
def alarm_acknowledge(*, alarm_id: int, by: User, comment: str = "") -> Alarm:
    """First operator wins; the second is told who acknowledged it and when."""
    alarm = Alarm.objects.select_for_update().get(pk=alarm_id)
    if alarm.state == AlarmState.CLEARED:
        raise AlarmAlreadyCleared(_("This alarm has already cleared."))
    if alarm.state == AlarmState.ACKNOWLEDGED:
        who = (
            alarm.acknowledged_by.get_full_name() or alarm.acknowledged_by.get_username()
            if alarm.acknowledged_by
            else "?"
        )
        raise AlarmAlreadyAcknowledged(by=who, at=alarm.acknowledged_at)
    before = {"state": alarm.state}
    alarm.state = AlarmState.ACKNOWLEDGED
    alarm.acknowledged_at = timezone.now()
    alarm.acknowledged_by = by
    alarm.acknowledgement_comment = comment.strip()[:500]
    alarm.full_clean()
    alarm.save()
    audit_record(
        actor=by,
        action="alarm.acknowledge",
        target=f"alarm:{alarm.pk}",
        summary=alarm.title,
        before=before,
        after={"state": alarm.state, "comment": alarm.acknowledgement_comment},
    )
    _publish(alarm, AlarmAcknowledged, by=by.get_username())
    return alarm


@transaction.atomic
def alarm_clear(*, alarm_id: int, by: User) -> Alarm:
    """An operator clears an alarm whose cause is gone but never reported back."""
    alarm = Alarm.objects.select_for_update().get(pk=alarm_id)
    if alarm.state == AlarmState.CLEARED:
        raise AlarmAlreadyCleared(_("This alarm has already cleared."))
    _clear(alarm, automatic=False, by=by)
    audit_record(actor=by, action="alarm.clear", target=f"alarm:{alarm.pk}", summary=alarm.title)
    return alarm


def escalation_policy_for(alarm: Alarm) -> EscalationPolicy | None:
    candidates = EscalationPolicy.objects.filter(
        Q(alarm_kind=alarm.kind) | Q(alarm_kind=""), Q(severity=alarm.severity) | Q(severity="")
    )
    return max(
        candidates,
        key=lambda policy: (bool(policy.alarm_kind), bool(policy.severity)),
        default=None,
    )


def alarms_escalate_due(*, now: datetime | None = None) -> int:
    """Escalate unacknowledged root alarms whose delay has passed; returns how many moved."""
    now = now or timezone.now()
    moved = 0
    pending = Alarm.objects.filter(
        state=AlarmState.ACTIVE, parent__isnull=True, escalation_stage__lt=2, suppressed_reason=""
    ).values_list("pk", flat=True)
    for alarm_id in list(pending):
        moved += _escalate_one(alarm_id, now)
    return moved


@transaction.atomic
def _escalate_one(alarm_id: int, now: datetime) -> int:
    alarm = Alarm.objects.select_for_update().get(pk=alarm_id)
    policy = escalation_policy_for(alarm)
    if alarm.state != AlarmState.ACTIVE or policy is None:
        return 0
    age = now - alarm.raised_at
    subject = _("Unacknowledged alarm: %(title)s") % {"title": alarm.title}
    body = _("%(title)s (%(asset)s) has been waiting %(minutes)d minutes for an operator.") % {
        "title": alarm.title,
        "asset": alarm.asset_ref,
        "minutes": age.total_seconds() // 60,
    }
    if (
        alarm.escalation_stage == 0
        and policy.supervisor_after_minutes is not None
        and age >= timedelta(minutes=policy.supervisor_after_minutes)
    ):
        notify(
            users=users_with_role(Role.SUPERVISOR),
            channels=["push", "email"],
            subject=subject,
            body=body,
            related=f"alarm:{alarm.pk}",
            dedup_key=f"alarm:{alarm.pk}:stage1",
        )
        alarm.escalation_stage = 1
        alarm.save(update_fields=["escalation_stage"])
        return 1
    if (
        alarm.escalation_stage <= 1
        and policy.duty_officer_after_minutes is not None
        and age >= timedelta(minutes=policy.duty_officer_after_minutes)
    ):
        notify(
            users=duty_officers(),
            channels=["sms"],
            subject=subject,
            body=body,
            related=f"alarm:{alarm.pk}",
            dedup_key=f"alarm:{alarm.pk}:stage2",
        )
        alarm.escalation_stage = 2
        alarm.save(update_fields=["escalation_stage"])
        return 1
    return 0
