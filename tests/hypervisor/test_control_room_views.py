"""The control room's HTTP actions: alarms, procedures, layers by viewport."""

from __future__ import annotations

import json
from typing import Any

import pytest

from hypervisor.models import Alarm, AuditEntry, Notification, ProcedureRun, StaffProfile
from hypervisor.registry import registry
from tests.hypervisor.conftest import CabinetPowerLost


def post_json(client, url: str, body: dict[str, Any] | None = None):  # type: ignore[no-untyped-def]
    return client.post(url, json.dumps(body or {}), content_type="application/json")


@pytest.fixture
def cabinet_alarm(alarm_rules, happen) -> Alarm:
    happen(CabinetPowerLost(asset_id="C-12", lat=47.3215, lon=5.0392))
    return Alarm.objects.get()


def test_an_operator_acknowledges_an_alarm_with_a_comment(client, operator, cabinet_alarm) -> None:
    client.force_login(operator)
    response = post_json(
        client, f"/controle/alarmes/{cabinet_alarm.pk}/acquitter/", {"comment": "vu"}
    )
    assert response.json() == {"state": "acknowledged"}
    cabinet_alarm.refresh_from_db()
    assert cabinet_alarm.acknowledgement_comment == "vu"


def test_the_second_acknowledgement_is_a_conflict_naming_who_did_it(
    client, operator, second_operator, cabinet_alarm
) -> None:
    client.force_login(operator)
    post_json(client, f"/controle/alarmes/{cabinet_alarm.pk}/acquitter/")
    client.force_login(second_operator)
    response = post_json(client, f"/controle/alarmes/{cabinet_alarm.pk}/acquitter/")
    assert response.status_code == 409
    assert operator.get_full_name() in response.json()["error"]


@pytest.mark.parametrize(
    "persona", ["field_agent", "teleoperator", "police_officer", "elected_official"]
)
def test_roles_outside_the_control_room_cannot_acknowledge(
    client, request, persona, cabinet_alarm
) -> None:
    client.force_login(request.getfixturevalue(persona))
    response = post_json(client, f"/controle/alarmes/{cabinet_alarm.pk}/acquitter/")
    assert response.status_code == 403
    cabinet_alarm.refresh_from_db()
    assert cabinet_alarm.state == "active"


def test_acknowledging_needs_a_post(client, operator, cabinet_alarm) -> None:
    client.force_login(operator)
    assert client.get(f"/controle/alarmes/{cabinet_alarm.pk}/acquitter/").status_code == 405


@pytest.fixture
def signal_alarm(db, happen) -> Alarm:
    from hypervisor.services import alarm_rule_ensure
    from tests.hypervisor.conftest import LampDark

    alarm_rule_ensure(event_kind=LampDark.kind, action="raise", alarm_kind="traffic-signal-fault")
    happen(LampDark(asset_id="CR-17", lat=47.3302, lon=5.0455))
    return Alarm.objects.get()


def take(client, alarm: Alarm, step: str = "", answer: str = ""):  # type: ignore[no-untyped-def]
    return post_json(
        client, f"/controle/alarmes/{alarm.pk}/procedure/etape/", {"step": step, "answer": answer}
    )


def test_the_traffic_signal_procedure_dispatches_the_crew_when_no_accident(
    client, operator, signal_alarm, monkeypatch
) -> None:
    dispatched: list[int] = []
    monkeypatch.setitem(
        registry._procedure_actions,
        "dispatch_signalling_crew",
        lambda *, alarm, by: dispatched.append(alarm.pk) or "crew sent",
    )
    client.force_login(operator)
    view = take(client, signal_alarm).json()
    assert view["current"]["code"] == "under-works"
    view = take(client, signal_alarm, "under-works", "no").json()
    view = take(client, signal_alarm, "accident", "no").json()
    assert view["current"]["code"] == "dispatch-crew"
    view = take(client, signal_alarm, "dispatch-crew", "done").json()
    assert view["finished"] is True
    assert dispatched == [signal_alarm.pk]
    assert AuditEntry.objects.filter(action="procedure.step").count() >= 3


def test_an_accident_at_the_crossroads_texts_the_commune_elected_official(
    client, operator, signal_alarm, elected_official, territory
) -> None:
    from hypervisor.models import Commune

    dijon = Commune.objects.get(insee="21231")
    StaffProfile.objects.create(user=elected_official, commune=dijon, phone="+33600000042")
    client.force_login(operator)
    take(client, signal_alarm)
    take(client, signal_alarm, "under-works", "no")
    take(client, signal_alarm, "accident", "yes")
    take(client, signal_alarm, "call-referee", "done")
    view = take(client, signal_alarm, "sms-elected", "done").json()
    assert view["current"]["code"] == "warn-police"
    assert Notification.objects.get().address == "+33600000042"


def test_a_crossroads_under_works_answers_the_first_question_by_itself(
    client, operator, db, happen
) -> None:
    from hypervisor.services import alarm_rule_ensure
    from tests.hypervisor.conftest import LampDark

    alarm_rule_ensure(event_kind=LampDark.kind, action="raise", alarm_kind="traffic-signal-fault")
    record = happen(LampDark(asset_id="CR-44"))
    Alarm.objects.update(payload={**record.payload, "under_works": True})
    client.force_login(operator)
    view = take(client, Alarm.objects.get()).json()
    assert view["finished"] is True
    assert view["done"][0]["answer"] == "yes"


def test_a_stale_step_is_refused_with_a_clear_message(client, operator, signal_alarm) -> None:
    from django.utils import translation

    client.force_login(operator)
    take(client, signal_alarm)
    response = take(client, signal_alarm, "dispatch-crew", "done")
    assert response.status_code == 409
    with translation.override("fr"):
        expected = translation.gettext(
            "This step is not the current one; the page may be out of date."
        )
    assert response.json()["error"] == expected
    assert ProcedureRun.objects.get().records.count() == 0


class FakeLights:
    name = "test-lights"
    label = "Lights"
    legend = {"ok": "OK", "fault": "Fault"}
    event_kinds = frozenset()

    def snapshot(self) -> list:
        return []

    def feature(self, asset_id: str) -> None:
        return None

    def tile(self, *, bbox, zoom):  # type: ignore[no-untyped-def]
        return {
            "kind": "points",
            "fields": ["id", "lat", "lon", "status"],
            "rows": [[1, 47.3, 5.0, "ok"]],
            "bbox": bbox,
        }


@pytest.fixture
def fake_lights():  # type: ignore[no-untyped-def]
    registry.add_layer(FakeLights())
    yield
    registry._layers.pop("test-lights")


def test_an_equipment_layer_is_read_by_viewport(client, operator, fake_lights) -> None:
    client.force_login(operator)
    response = client.get("/controle/couches/test-lights/?bbox=4.9,47.2,5.2,47.4&zoom=15")
    assert response.json()["rows"] == [[1, 47.3, 5.0, "ok"]]


@pytest.mark.parametrize(
    "query", ["", "?bbox=5,47", "?bbox=5.2,47.2,4.9,47.4&zoom=12", "?bbox=a,b,c,d"]
)
def test_a_malformed_viewport_is_a_400(client, operator, fake_lights, query: str) -> None:
    client.force_login(operator)
    assert client.get(f"/controle/couches/test-lights/{query}").status_code == 400


def test_an_unknown_layer_is_a_404(client, operator) -> None:
    client.force_login(operator)
    assert client.get("/controle/couches/nothing/?bbox=4.9,47.2,5.2,47.4").status_code == 404


def test_a_field_agent_cannot_read_equipment_layers(client, field_agent, fake_lights) -> None:
    client.force_login(field_agent)
    assert client.get("/controle/couches/test-lights/?bbox=4.9,47.2,5.2,47.4").status_code == 403


def test_the_procedure_dispatches_the_signalling_crew_through_an_incident(
    client, operator, signal_alarm, reference_configuration
) -> None:
    from incidents.selectors import incident_map_features

    client.force_login(operator)
    take(client, signal_alarm)
    take(client, signal_alarm, "under-works", "no")
    take(client, signal_alarm, "accident", "no")
    view = take(client, signal_alarm, "dispatch-crew", "done").json()
    assert view["finished"] is True
    outcome = next(step["outcome"] for step in view["done"] if step["step"] == "dispatch-crew")
    [incident] = [f for f in incident_map_features() if f["reference"] in outcome]
    assert incident["category"] == "Feu tricolore en panne"
