"""Alarm rows name the lighting asset and count its consequences; the board shows outages."""

from __future__ import annotations

import time_machine

from hypervisor.models import Alarm
from hypervisor.registry import registry
from hypervisor.services import alarm_acknowledge
from lighting import services
from tests.lighting.test_faults import WINTER_NIGHT, WINTER_NOON


def _row(alarm: Alarm) -> dict:  # type: ignore[type-arg]
    feature = registry.layer("alarms").feature(str(alarm.pk))
    assert feature is not None
    return feature


def _power_cut(cabinet, at, capture) -> Alarm:  # type: ignore[no-untyped-def]
    with time_machine.travel(at, tick=False), capture(execute=True):
        services.cabinet_power_set(cabinet=cabinet, powered=False)
    return Alarm.objects.get(kind="cabinet-power")


def test_a_cabinet_alarm_names_the_cabinet_its_street_and_commune(
    lamps, territory, django_capture_on_commit_callbacks
) -> None:
    alarm = _power_cut(lamps[0].cabinet, WINTER_NIGHT, django_capture_on_commit_callbacks)
    row = _row(alarm)
    assert row["asset_name"] == "Cabinet ARM-21231-001"
    assert row["asset_street"] == "rue de la Liberté"
    assert row["asset_commune"] == "Dijon"


def test_a_cabinet_alarm_counts_its_dark_lamps_in_words(
    lamps, django_capture_on_commit_callbacks
) -> None:
    alarm = _power_cut(lamps[0].cabinet, WINTER_NIGHT, django_capture_on_commit_callbacks)
    assert _row(alarm)["consequences_label"] == "+ 3 lamps"


def test_an_alarm_without_consequences_has_no_consequence_words(
    lamps, django_capture_on_commit_callbacks
) -> None:
    # In daytime the lamps are off anyway: the cabinet alarm stands alone.
    alarm = _power_cut(lamps[0].cabinet, WINTER_NOON, django_capture_on_commit_callbacks)
    assert _row(alarm)["consequences_label"] == ""


def test_the_row_shows_who_acknowledged_and_their_comment(
    lamps, operator, django_capture_on_commit_callbacks
) -> None:
    alarm = _power_cut(lamps[0].cabinet, WINTER_NIGHT, django_capture_on_commit_callbacks)
    alarm_acknowledge(alarm_id=alarm.pk, by=operator, comment="Enedis prévenu")
    row = _row(alarm)
    assert row["acknowledged_by"] == (operator.get_full_name() or operator.get_username())
    assert row["acknowledgement_comment"] == "Enedis prévenu"


def test_the_board_counts_lamps_of_a_cabinet_without_power_in_daytime_as_out_of_order(
    client, supervisor, lamps, django_capture_on_commit_callbacks
) -> None:
    client.force_login(supervisor)
    before = client.get("/eclairage/")
    assert before.context["lamps_available"] == 100.0
    assert before.context["cabinet_outages"] == []
    _power_cut(lamps[0].cabinet, WINTER_NOON, django_capture_on_commit_callbacks)
    after = client.get("/eclairage/")
    assert after.context["lamps_available"] == 0.0
    assert [o["reference"] for o in after.context["cabinet_outages"]] == ["ARM-21231-001"]
    assert 'data-testid="cabinet-outages"' in after.content.decode()
