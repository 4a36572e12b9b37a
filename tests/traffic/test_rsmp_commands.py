"""Commands from the control room: through their procedure, audited, closed by the site's
own status, or failed after the timeout."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from hypervisor.models import AlarmState, AuditEntry
from tests.traffic.factories import CrossroadFactory
from tests.traffic.rsmp_harness import RsmpHarness, wait_for
from tests.traffic.rsmp_schemas import require_rsmp_schemas, schema_errors
from traffic import services
from traffic.models import ControllerState, Crossroad, RsmpSite, SignalCommand


@pytest.fixture
def rsmp(transactional_db) -> Iterator[RsmpHarness]:  # type: ignore[no-untyped-def]
    require_rsmp_schemas()
    harness = RsmpHarness(watchdog_interval=1.0, ack_timeout=2.0)
    yield harness
    harness.stop()


def _mapped(reference: str, site_id: str, *, main_axis: bool = False) -> Crossroad:
    crossroad = CrossroadFactory(reference=reference, main_axis=main_axis)
    RsmpSite.objects.create(site_id=site_id, crossroad=crossroad)
    return crossroad


def _status(command: SignalCommand) -> str:
    return SignalCommand.objects.get(pk=command.pk).status


@pytest.mark.django_db(transaction=True)
def test_a_yellow_flash_is_closed_only_when_the_sites_status_confirms_it(rsmp, operator):
    crossroad = _mapped("CAR-401", "KK+AG0401")
    site = rsmp.site("KK+AG0401")
    wait_for(lambda: Crossroad.objects.get(pk=crossroad.pk).time_plan is not None)
    command = services.signal_command_request(
        crossroad=crossroad, action="yellow_flash", reason="Manifestation place Wilson", by=operator
    )
    wait_for(lambda: _status(command) == SignalCommand.Status.CONFIRMED, message="confirmed")
    assert site.position == "YellowFlash"
    crossroad.refresh_from_db()
    assert crossroad.functional_position == "YellowFlash"
    assert crossroad.state == ControllerState.FLASHING
    requests = [m for m in rsmp.supervisor_sent if m["type"] == "CommandRequest"]
    assert requests
    assert all(schema_errors(m) == [] for m in [*requests, *rsmp.sites_sent])
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"signal.command.yellow_flash", "signal.command.confirmed"} <= actions


@pytest.mark.django_db(transaction=True)
def test_a_commanded_yellow_flash_raises_a_suppressed_alarm_not_an_intervention(rsmp, operator):
    from hypervisor.models import Alarm

    crossroad = _mapped("CAR-402", "KK+AG0402")
    rsmp.site("KK+AG0402")
    wait_for(lambda: Crossroad.objects.get(pk=crossroad.pk).time_plan is not None)
    command = services.signal_command_request(
        crossroad=crossroad, action="yellow_flash", reason="Travaux de voirie", by=operator
    )
    wait_for(lambda: _status(command) == SignalCommand.Status.CONFIRMED)
    alarm = wait_for(lambda: Alarm.objects.filter(kind="traffic-signal-fault").first())
    assert alarm.suppressed_reason
    assert alarm.state != AlarmState.CLEARED


@pytest.mark.django_db(transaction=True)
def test_a_time_plan_change_is_confirmed_by_the_plan_the_site_reports(rsmp, operator):
    crossroad = _mapped("CAR-403", "KK+AG0403")
    site = rsmp.site("KK+AG0403")
    wait_for(lambda: Crossroad.objects.get(pk=crossroad.pk).time_plan is not None)
    command = services.signal_command_request(
        crossroad=crossroad, action="time_plan", time_plan=9, reason="Match au stade", by=operator
    )
    wait_for(lambda: _status(command) == SignalCommand.Status.CONFIRMED)
    assert site.time_plan == 9
    assert Crossroad.objects.get(pk=crossroad.pk).time_plan_source == "forced"


@pytest.mark.django_db(transaction=True)
def test_a_command_the_site_never_confirms_fails_after_the_timeout(rsmp, operator, settings):
    settings.RSMP_COMMAND_TIMEOUT_SECONDS = 1
    crossroad = _mapped("CAR-404", "KK+AG0404")
    site = rsmp.site("KK+AG0404", security_code="not-ours")  # refuses our security code
    wait_for(lambda: site.connected.is_set())
    command = services.signal_command_request(
        crossroad=crossroad, action="dark", reason="Essai", by=operator
    )
    wait_for(lambda: _status(command) == SignalCommand.Status.FAILED, timeout=15)
    assert site.position == "NormalControl"
    assert SignalCommand.objects.get(pk=command.pk).outcome


@pytest.mark.django_db
def test_a_yellow_flash_on_a_main_axis_waits_for_a_supervisor(operator, supervisor):
    crossroad = _mapped("CAR-405", "KK+AG0405", main_axis=True)
    command = services.signal_command_request(
        crossroad=crossroad, action="yellow_flash", reason="Accident", by=operator
    )
    assert command.status == SignalCommand.Status.AWAITING_CONFIRMATION
    confirmed = services.signal_command_confirm(command=command, by=supervisor, approve=True)
    assert confirmed.status == SignalCommand.Status.PENDING
    assert confirmed.confirmed_by == supervisor


@pytest.mark.django_db
def test_an_operator_cannot_confirm_a_yellow_flash_on_a_main_axis(operator, second_operator):
    crossroad = _mapped("CAR-406", "KK+AG0406", main_axis=True)
    command = services.signal_command_request(
        crossroad=crossroad, action="yellow_flash", reason="Accident", by=operator
    )
    with pytest.raises(PermissionDenied):
        services.signal_command_confirm(command=command, by=second_operator, approve=True)


@pytest.mark.django_db
def test_a_command_without_a_reason_is_refused(operator):
    crossroad = _mapped("CAR-407", "KK+AG0407")
    with pytest.raises(ValidationError):
        services.signal_command_request(crossroad=crossroad, action="dark", reason=" ", by=operator)
    assert not SignalCommand.objects.exists()


@pytest.mark.django_db
def test_the_crossroads_page_shows_every_signal_group(client, operator):
    crossroad = _mapped("CAR-408", "KK+AG0408")
    Crossroad.objects.filter(pk=crossroad.pk).update(
        signal_group_status="1B1B", time_plan=3, functional_position="NormalControl"
    )
    client.force_login(operator)
    page = client.get(reverse("crossroad-detail", args=["CAR-408"]))
    assert page.status_code == 200
    assert page.content.decode().count('class="signal-group"') == 4


@pytest.mark.django_db
def test_a_field_agent_may_not_command_a_controller(client, field_agent):
    _mapped("CAR-409", "KK+AG0409")
    client.force_login(field_agent)
    response = client.post(
        reverse("crossroad-command", args=["CAR-409"]), {"action": "dark", "reason": "x"}
    )
    assert response.status_code == 403
    assert not SignalCommand.objects.exists()


@pytest.mark.django_db
def test_an_operator_commands_a_controller_from_its_page(client, operator):
    _mapped("CAR-410", "KK+AG0410")
    client.force_login(operator)
    response = client.post(
        reverse("crossroad-command", args=["CAR-410"]),
        {"action": "time_plan", "time_plan": "2", "reason": "Pointe du soir"},
    )
    assert response.status_code == 302
    assert SignalCommand.objects.get().status == SignalCommand.Status.PENDING


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected", "wrong"),
    [
        ("en", "Control mode: ", "Control mode : "),
        ("fr", "Mode de contrôle : ", "Mode de contrôle:"),
    ],
)
def test_the_crossroads_page_punctuates_the_control_mode_in_the_readers_language(
    client, settings, operator, language, expected, wrong
):
    _mapped("CAR-411", "KK+AG0411")
    client.force_login(operator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("crossroad-detail", args=["CAR-411"])).content.decode()
    assert expected in page
    assert wrong not in page


@pytest.mark.django_db
def test_the_crossroads_page_names_who_sent_a_command_by_their_name(client, operator):
    crossroad = _mapped("CAR-412", "KK+AG0412")
    services.signal_command_request(
        crossroad=crossroad, action="time_plan", time_plan=2, reason="Pointe", by=operator
    )
    client.force_login(operator)
    page = client.get(reverse("crossroad-detail", args=["CAR-412"])).content.decode()
    assert f"<td>{operator.get_full_name()}</td>" in page
    assert f"<td>{operator.username}</td>" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Refused by a supervisor"), ("fr", "Refusée par un superviseur")],
)
def test_a_commands_outcome_is_shown_in_the_readers_language(
    client, settings, operator, supervisor, language, expected
):
    crossroad = _mapped("CAR-413", "KK+AG0413", main_axis=True)
    command = services.signal_command_request(
        crossroad=crossroad, action="yellow_flash", reason="Accident", by=operator
    )
    services.signal_command_confirm(command=command, by=supervisor, approve=False)
    client.force_login(operator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("crossroad-detail", args=["CAR-413"])).content.decode()
    assert f" · {expected}\n" in page
