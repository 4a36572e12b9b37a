"""Procedures finish the job: the accident branch warns the police and dispatches the crew,
a notification that reaches nobody says so, and the end acknowledges the alarm."""

from __future__ import annotations

import pytest

from hypervisor.models import Alarm, AlarmState, Commune, Notification, StaffProfile
from hypervisor.registry import registry
from hypervisor.roles import Role
from hypervisor.services import alarm_acknowledge, alarm_clear
from tests.hypervisor.factories import UserFactory
from tests.hypervisor.test_control_room_views import take


@pytest.fixture
def signal_alarm(db, happen) -> Alarm:
    """A traffic-signal alarm at a Dijon crossroads, whose procedure is the seeded one."""
    from hypervisor.services import alarm_rule_ensure
    from tests.hypervisor.conftest import LampDark

    alarm_rule_ensure(event_kind=LampDark.kind, action="raise", alarm_kind="traffic-signal-fault")
    happen(LampDark(asset_id="CR-17", lat=47.3302, lon=5.0455))
    return Alarm.objects.get()


@pytest.fixture
def crew_dispatcher(monkeypatch):  # type: ignore[no-untyped-def]
    """The incidents app's dispatch action, recorded (it has its own test)."""
    dispatched: list[int] = []
    monkeypatch.setitem(
        registry._procedure_actions,
        "dispatch_signalling_crew",
        lambda *, alarm, by: dispatched.append(alarm.pk) or "crew sent",
    )
    return dispatched


@pytest.fixture
def dijon_official(elected_official, territory):  # type: ignore[no-untyped-def]
    dijon = Commune.objects.get(insee="21231")
    StaffProfile.objects.create(user=elected_official, commune=dijon, phone="+33600000042")
    return elected_official


@pytest.fixture
def police(db):  # type: ignore[no-untyped-def]
    officer = UserFactory(username="pauline", roles=[Role.POLICE])
    StaffProfile.objects.create(user=officer, phone="+33600000017")
    return officer


def _to_accident_sms(client, alarm) -> dict:  # type: ignore[no-untyped-def,type-arg]
    take(client, alarm)
    take(client, alarm, "under-works", "no")
    take(client, alarm, "accident", "yes")
    return take(client, alarm, "call-referee", "done").json()


def test_the_accident_branch_warns_the_police_dispatches_the_crew_and_acknowledges(
    client, operator, signal_alarm, dijon_official, police, crew_dispatcher
) -> None:
    client.force_login(operator)
    _to_accident_sms(client, signal_alarm)
    take(client, signal_alarm, "sms-elected", "done")
    view = take(client, signal_alarm, "warn-police", "done").json()
    assert view["current"]["code"] == "dispatch-crew"
    assert Notification.objects.filter(recipient=police, channel="sms").exists()
    view = take(client, signal_alarm, "dispatch-crew", "done").json()
    assert view["finished"] is True
    assert crew_dispatcher == [signal_alarm.pk]
    signal_alarm.refresh_from_db()
    assert signal_alarm.state == AlarmState.ACKNOWLEDGED
    assert signal_alarm.acknowledged_by == operator


def test_an_sms_step_with_no_official_to_text_says_so_and_stays_current(
    client, operator, signal_alarm, territory
) -> None:
    client.force_login(operator)
    _to_accident_sms(client, signal_alarm)
    view = take(client, signal_alarm, "sms-elected", "done").json()
    assert view["current"]["code"] == "sms-elected"
    assert "Dijon" in view["current"]["not_done"]
    assert not Notification.objects.exists()


def test_an_official_without_a_phone_is_reported_as_nothing_sent(
    client, operator, signal_alarm, elected_official, territory
) -> None:
    StaffProfile.objects.create(
        user=elected_official, commune=Commune.objects.get(insee="21231"), phone=""
    )
    client.force_login(operator)
    _to_accident_sms(client, signal_alarm)
    view = take(client, signal_alarm, "sms-elected", "done").json()
    assert view["current"]["not_done"]


def test_the_operator_continues_by_hand_after_a_step_that_sent_nothing(
    client, operator, signal_alarm, territory
) -> None:
    client.force_login(operator)
    _to_accident_sms(client, signal_alarm)
    take(client, signal_alarm, "sms-elected", "done")
    view = take(client, signal_alarm, "sms-elected", "manual").json()
    assert view["current"]["code"] == "warn-police"
    assert view["current"]["not_done"] == ""
    assert [step["answer"] for step in view["done"] if step["step"] == "sms-elected"] == [
        "not_done",
        "manual",
    ]


def test_only_an_action_can_be_done_by_hand(client, operator, signal_alarm) -> None:
    client.force_login(operator)
    take(client, signal_alarm)
    assert take(client, signal_alarm, "under-works", "manual").status_code == 409


def test_a_procedure_ending_on_an_acknowledged_alarm_says_who_acknowledged(
    client, operator, second_operator, signal_alarm, crew_dispatcher
) -> None:
    alarm_acknowledge(alarm_id=signal_alarm.pk, by=second_operator)
    client.force_login(operator)
    take(client, signal_alarm)
    take(client, signal_alarm, "under-works", "no")
    take(client, signal_alarm, "accident", "no")
    view = take(client, signal_alarm, "dispatch-crew", "done").json()
    assert view["finished"] is True
    name = second_operator.get_full_name() or second_operator.get_username()
    assert name in view["done"][-1]["outcome"]
    assert Alarm.objects.get().acknowledged_by == second_operator


def test_a_procedure_ending_on_a_cleared_alarm_explains_it_acknowledged_nothing(
    client, operator, signal_alarm, crew_dispatcher
) -> None:
    client.force_login(operator)
    take(client, signal_alarm)
    take(client, signal_alarm, "under-works", "no")
    take(client, signal_alarm, "accident", "no")
    alarm_clear(alarm_id=signal_alarm.pk, by=operator)
    view = take(client, signal_alarm, "dispatch-crew", "done").json()
    assert view["finished"] is True
    assert Alarm.objects.get().state == AlarmState.CLEARED
    assert view["done"][-1]["outcome"].endswith(".")
    assert len(view["done"][-1]["outcome"]) > len("Procédure terminée.")
