from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from hypervisor.models import Alarm, AlarmState, AuditEntry, Notification, StaffProfile
from hypervisor.services import (
    AlarmAlreadyAcknowledged,
    AlarmAlreadyCleared,
    alarm_acknowledge,
    alarm_apply_rules,
    alarms_escalate_due,
)
from tests.hypervisor.conftest import CabinetPowerBack, CabinetPowerLost, LampDark


def test_an_event_with_a_raise_rule_raises_an_alarm(alarm_rules, happen, english) -> None:
    happen(CabinetPowerLost(asset_id="C-12", lat=47.32, lon=5.04))
    alarm = Alarm.objects.get()
    assert (alarm.kind, alarm.asset_ref, alarm.severity) == (
        "cabinet-power",
        "cabinet:C-12",
        "critical",
    )
    assert alarm.state == AlarmState.ACTIVE


def test_a_repeated_fault_is_one_alarm_counting_its_occurrences(alarm_rules, happen) -> None:
    happen(CabinetPowerLost(asset_id="C-12"))
    happen(CabinetPowerLost(asset_id="C-12"))
    assert Alarm.objects.get().occurrences == 2


def test_the_alarm_clears_by_itself_when_the_condition_returns_to_normal(
    alarm_rules, happen
) -> None:
    happen(CabinetPowerLost(asset_id="C-12"))
    happen(CabinetPowerBack(asset_id="C-12"))
    assert Alarm.objects.get().state == AlarmState.CLEARED


def test_applying_the_rules_to_the_same_event_twice_has_no_second_effect(
    alarm_rules, happen
) -> None:
    record = happen(CabinetPowerLost(asset_id="C-12"))
    alarm_apply_rules(event_id=record.pk)
    assert Alarm.objects.get().occurrences == 1


def test_an_event_without_rule_raises_nothing(alarm_rules, happen) -> None:
    happen(CabinetPowerBack(asset_id="C-99"))
    assert not Alarm.objects.exists()


def test_a_flapping_fault_reopens_the_same_alarm_instead_of_a_new_one(alarm_rules, happen) -> None:
    happen(CabinetPowerLost(asset_id="C-12"))
    happen(CabinetPowerBack(asset_id="C-12"))
    happen(CabinetPowerLost(asset_id="C-12"))
    alarm = Alarm.objects.get()
    assert alarm.state == AlarmState.ACTIVE
    assert alarm.occurrences == 2
    assert alarm.payload["flapping"] is True


def test_a_fault_returning_after_the_flapping_window_is_a_new_alarm(alarm_rules, happen) -> None:
    happen(CabinetPowerLost(asset_id="C-12"))
    happen(CabinetPowerBack(asset_id="C-12"))
    Alarm.objects.update(cleared_at=timezone.now() - timedelta(hours=1))
    happen(CabinetPowerLost(asset_id="C-12"))
    assert Alarm.objects.count() == 2


def test_dark_lamps_of_a_cabinet_without_power_are_consequences_of_one_alarm(
    alarm_rules, happen
) -> None:
    happen(CabinetPowerLost(asset_id="C-12"))
    for lamp in ("L-1", "L-2", "L-3"):
        happen(LampDark(asset_id=lamp, parent="cabinet:C-12"))
    root = Alarm.objects.get(parent__isnull=True)
    assert root.kind == "cabinet-power"
    assert root.consequences.count() == 3


def test_a_root_cause_arriving_after_its_consequences_adopts_them(alarm_rules, happen) -> None:
    happen(LampDark(asset_id="L-1", parent="cabinet:C-12"))
    happen(LampDark(asset_id="L-2", parent="cabinet:C-12"))
    happen(CabinetPowerLost(asset_id="C-12"))
    assert Alarm.objects.filter(parent__isnull=True).count() == 1
    assert Alarm.objects.get(kind="cabinet-power").consequences.count() == 2


def test_clearing_the_root_cause_clears_its_consequences(alarm_rules, happen) -> None:
    happen(CabinetPowerLost(asset_id="C-12"))
    happen(LampDark(asset_id="L-1", parent="cabinet:C-12"))
    happen(CabinetPowerBack(asset_id="C-12"))
    assert set(Alarm.objects.values_list("state", flat=True)) == {AlarmState.CLEARED}


def test_acknowledging_records_who_when_and_why_in_the_audit_log(
    alarm_rules, happen, operator
) -> None:
    happen(CabinetPowerLost(asset_id="C-12"))
    alarm = alarm_acknowledge(
        alarm_id=Alarm.objects.get().pk, by=operator, comment="Équipe prévenue"
    )
    assert alarm.state == AlarmState.ACKNOWLEDGED
    assert alarm.acknowledged_by == operator
    entry = AuditEntry.objects.get(action="alarm.acknowledge")
    assert entry.actor == operator
    assert entry.after["comment"] == "Équipe prévenue"


def test_the_second_operator_to_acknowledge_is_told_who_did(
    alarm_rules, happen, operator, second_operator
) -> None:
    happen(CabinetPowerLost(asset_id="C-12"))
    alarm_id = Alarm.objects.get().pk
    alarm_acknowledge(alarm_id=alarm_id, by=operator)
    with pytest.raises(AlarmAlreadyAcknowledged) as conflict:
        alarm_acknowledge(alarm_id=alarm_id, by=second_operator)
    assert conflict.value.by == operator.get_full_name()


def test_acknowledging_a_cleared_alarm_is_refused(alarm_rules, happen, operator) -> None:
    happen(CabinetPowerLost(asset_id="C-12"))
    happen(CabinetPowerBack(asset_id="C-12"))
    with pytest.raises(AlarmAlreadyCleared):
        alarm_acknowledge(alarm_id=Alarm.objects.get().pk, by=operator)


def test_audit_entries_cannot_be_changed_or_deleted(alarm_rules, happen, operator) -> None:
    happen(CabinetPowerLost(asset_id="C-12"))
    alarm_acknowledge(alarm_id=Alarm.objects.get().pk, by=operator)
    entry = AuditEntry.objects.get(action="alarm.acknowledge")
    entry.summary = "rewritten"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()


@pytest.fixture
def duty_officer(supervisor):  # type: ignore[no-untyped-def]
    StaffProfile.objects.create(user=supervisor, phone="+33600000001", on_duty=True)
    supervisor.email = "samuel@ondijon.example"
    supervisor.save()
    return supervisor


def test_an_unacknowledged_critical_alarm_escalates_in_stages(
    alarm_rules, happen, duty_officer
) -> None:
    with time_machine.travel("2026-11-22 21:00 +01:00", tick=False) as clock:
        happen(CabinetPowerLost(asset_id="C-12"))
        clock.shift(timedelta(minutes=4))
        assert alarms_escalate_due() == 0
        clock.shift(timedelta(minutes=1))  # 5 minutes: the supervisors hear of it
        assert alarms_escalate_due() == 1
        assert set(Notification.objects.values_list("channel", flat=True)) == {"push", "email"}
        clock.shift(timedelta(minutes=10))  # 15 minutes: the duty officer gets an SMS
        assert alarms_escalate_due() == 1
        sms = Notification.objects.get(channel="sms")
        assert sms.address == "+33600000001"
        clock.shift(timedelta(minutes=30))
        assert alarms_escalate_due() == 0
    assert Notification.objects.count() == 3


def test_an_acknowledged_alarm_does_not_escalate(
    alarm_rules, happen, duty_officer, operator
) -> None:
    with time_machine.travel("2026-11-22 21:00 +01:00", tick=False) as clock:
        happen(CabinetPowerLost(asset_id="C-12"))
        alarm_acknowledge(alarm_id=Alarm.objects.get().pk, by=operator)
        clock.shift(timedelta(hours=1))
        assert alarms_escalate_due() == 0
    assert not Notification.objects.exists()


def test_consequences_never_escalate_on_their_own(alarm_rules, happen, duty_officer) -> None:
    with time_machine.travel("2026-11-22 21:00 +01:00", tick=False) as clock:
        happen(CabinetPowerLost(asset_id="C-12"))
        happen(LampDark(asset_id="L-1", parent="cabinet:C-12"))
        clock.shift(timedelta(minutes=20))
        alarms_escalate_due()
    assert set(Notification.objects.values_list("related", flat=True)) == {
        f"alarm:{Alarm.objects.get(kind='cabinet-power').pk}"
    }


def test_a_flapping_alarm_does_not_notify_again(alarm_rules, happen, duty_officer) -> None:
    with time_machine.travel("2026-11-22 21:00 +01:00", tick=False) as clock:
        happen(CabinetPowerLost(asset_id="C-12"))
        clock.shift(timedelta(minutes=6))
        alarms_escalate_due()
        sent = Notification.objects.count()
        happen(CabinetPowerBack(asset_id="C-12"))
        happen(CabinetPowerLost(asset_id="C-12"))
        clock.shift(timedelta(minutes=1))
        alarms_escalate_due()
    assert Notification.objects.count() == sent


def test_a_committed_event_raises_its_alarm_without_anyone_calling_the_rules(
    alarm_rules, django_capture_on_commit_callbacks
) -> None:
    from hypervisor import events

    with django_capture_on_commit_callbacks(execute=True):
        events.publish(CabinetPowerLost(asset_id="C-12"))
    assert Alarm.objects.get().kind == "cabinet-power"


def test_a_fault_at_a_place_under_works_is_suppressed_and_never_escalates(
    db, happen, duty_officer
) -> None:
    from hypervisor.services import alarm_rule_ensure
    from tests.hypervisor.conftest import SignalFaulted

    alarm_rule_ensure(
        event_kind=SignalFaulted.kind,
        action="raise",
        alarm_kind="traffic-signal-fault",
        severity="critical",
    )
    with time_machine.travel("2026-11-22 21:00 +01:00", tick=False) as clock:
        happen(SignalFaulted(asset_id="CR-44", under_works=True))
        happen(SignalFaulted(asset_id="CR-17"))
        clock.shift(timedelta(hours=1))
        alarms_escalate_due()
    under_works, normal = Alarm.objects.get(asset_id="CR-44"), Alarm.objects.get(asset_id="CR-17")
    assert under_works.suppressed_reason
    assert (under_works.escalation_stage, normal.escalation_stage) == (0, 1)


def test_an_event_committed_while_the_broker_is_down_gets_its_alarm_from_the_sweep(
    alarm_rules, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    from hypervisor import events
    from hypervisor.services.alarms import alarm_rules_relay_pending
    from hypervisor.tasks import apply_alarm_rules

    def broker_down(*args: object, **kwargs: object) -> None:
        raise ConnectionRefusedError("broker unreachable")

    with monkeypatch.context() as patch:
        patch.setattr(apply_alarm_rules, "apply_async", broker_down)
        with django_capture_on_commit_callbacks(execute=True):
            events.publish(CabinetPowerLost(asset_id="C-12"))  # the request does not fail
    assert not Alarm.objects.exists()
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        assert alarm_rules_relay_pending() == 1
    assert Alarm.objects.get().kind == "cabinet-power"
    assert alarm_rules_relay_pending() == 0


def test_an_event_no_rule_names_is_marked_applied_without_a_task(
    alarm_rules, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    """A burst of such events (incidents routed, tasks assigned) queues nothing."""
    from hypervisor import events
    from hypervisor.tasks import apply_alarm_rules
    from tests.hypervisor.conftest import SignalFaulted

    queued = []
    monkeypatch.setattr(apply_alarm_rules, "apply_async", lambda *a, **k: queued.append(a))
    with django_capture_on_commit_callbacks(execute=True):
        unnamed = events.publish(SignalFaulted(asset_id="CR-9"))
        named = events.publish(CabinetPowerLost(asset_id="C-9"))
    unnamed.refresh_from_db()
    named.refresh_from_db()
    assert unnamed.rules_applied_at is not None
    assert named.rules_applied_at is None
    assert queued == [((named.pk,),)]


def test_the_sweep_hands_nothing_over_while_a_backlog_is_queued(
    alarm_rules, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    from hypervisor import events
    from hypervisor.services.alarms import alarm_rules_relay_pending
    from hypervisor.tasks import apply_alarm_rules

    monkeypatch.setattr(apply_alarm_rules, "apply_async", lambda *a, **k: None)
    with django_capture_on_commit_callbacks(execute=True):
        events.publish(CabinetPowerLost(asset_id="C-12"))
    later = timezone.now() + timedelta(minutes=1)
    monkeypatch.setattr("ondijon.celery.ordinary_backlog", lambda: 800)
    assert alarm_rules_relay_pending(now=later) == 0
    monkeypatch.setattr("ondijon.celery.ordinary_backlog", lambda: 0)
    assert alarm_rules_relay_pending(now=later) == 1
