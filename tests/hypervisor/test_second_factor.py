"""Optional TOTP second factor: enrolment, login with a code, replays, mandatory roles."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from hypervisor.models import AuditEntry
from tests.hypervisor.factories import PASSWORD

START = timezone.datetime(2026, 3, 2, 7, 0, 10, tzinfo=timezone.get_current_timezone())


@pytest.fixture(autouse=True)
def _fresh_login_counters() -> None:
    # Wrong codes count against the login throttle, kept in the cache (Redis with REDIS_URL).
    cache.clear()


@pytest.fixture
def clock():  # type: ignore[no-untyped-def]
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def code_of(device: TOTPDevice) -> str:
    """The code the user's phone shows right now."""
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:0{device.digits}d}"


@pytest.fixture
def enrolled_operator(operator) -> tuple:  # type: ignore[no-untyped-def]
    device = TOTPDevice.objects.create(user=operator, name="authenticator", confirmed=True)
    return operator, device


def password_step(client, user):  # type: ignore[no-untyped-def]
    return client.post("/connexion/", {"username": user.username, "password": PASSWORD})


def test_a_user_without_a_device_logs_in_with_the_password_alone(client, operator) -> None:
    response = password_step(client, operator)
    assert response.status_code == 302
    assert response.url == "/"


def test_an_enrolled_user_is_asked_for_a_code_after_the_password(
    client, enrolled_operator, territory, clock
) -> None:
    user, _device = enrolled_operator
    response = password_step(client, user)
    assert response.status_code == 302
    assert response.url == "/connexion/code/"
    assert client.get("/controle/").status_code == 302  # not logged in yet


def test_the_password_alone_never_opens_the_session(client, enrolled_operator, clock) -> None:
    user, _device = enrolled_operator
    password_step(client, user)
    response = client.post("/connexion/code/", {"code": ""})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_valid_code_completes_the_login(client, enrolled_operator, territory, clock) -> None:
    user, device = enrolled_operator
    password_step(client, user)
    response = client.post("/connexion/code/", {"code": code_of(device)})
    assert response.status_code == 302
    assert client.get("/controle/").status_code == 200
    assert client.session["otp_device_id"] == device.persistent_id


def test_a_wrong_code_is_refused(client, enrolled_operator, territory, clock) -> None:
    user, device = enrolled_operator
    password_step(client, user)
    wrong = f"{(int(code_of(device)) + 1) % 1_000_000:06d}"
    response = client.post("/connexion/code/", {"code": wrong})
    assert response.status_code == 200
    assert client.get("/controle/").status_code == 302


def test_a_replayed_code_is_refused(client, enrolled_operator, territory, clock) -> None:
    user, device = enrolled_operator
    code = code_of(device)
    password_step(client, user)
    assert client.post("/connexion/code/", {"code": code}).status_code == 302
    client.post("/deconnexion/")
    clock.shift(timedelta(seconds=5))  # same 30-second step: the phone still shows that code
    password_step(client, user)
    response = client.post("/connexion/code/", {"code": code})
    assert response.status_code == 200
    assert client.get("/controle/").status_code == 302


def test_the_code_step_expires(client, enrolled_operator, clock) -> None:
    user, device = enrolled_operator
    password_step(client, user)
    clock.shift(timedelta(minutes=6))
    response = client.post("/connexion/code/", {"code": code_of(device)})
    assert response.status_code == 302
    assert response.url == "/connexion/"
    assert "_auth_user_id" not in client.session


def test_the_code_step_without_a_password_goes_back_to_the_login(client, db) -> None:
    response = client.get("/connexion/code/")
    assert response.status_code == 302
    assert response.url == "/connexion/"


def test_the_enrolment_page_shows_a_qr_code_and_the_key(client, operator) -> None:
    client.force_login(operator)
    page = client.get("/compte/double-authentification/").content.decode()
    device = TOTPDevice.objects.get(user=operator, confirmed=False)
    assert '<svg class="qr-code"' in page
    secret = page.split('<code class="otp-secret">')[1].split("</code>")[0]
    assert len(secret.replace(" ", "")) == 32
    assert client.get("/compte/double-authentification/").content.decode().count(secret) == 1
    assert TOTPDevice.objects.filter(user=operator).count() == 1
    assert device.confirmed is False


def test_a_first_code_confirms_the_device_and_is_audited(client, operator, clock) -> None:
    client.force_login(operator)
    client.get("/compte/double-authentification/")
    device = TOTPDevice.objects.get(user=operator)
    response = client.post("/compte/double-authentification/", {"code": code_of(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed is True
    assert AuditEntry.objects.filter(action="otp.enrolled", target=f"user:{operator.pk}").exists()
    assert client.session["otp_device_id"] == device.persistent_id


def test_a_wrong_first_code_leaves_the_device_unconfirmed(client, operator, clock) -> None:
    client.force_login(operator)
    client.get("/compte/double-authentification/")
    device = TOTPDevice.objects.get(user=operator)
    response = client.post("/compte/double-authentification/", {"code": "000000"})
    if code_of(device) == "000000":
        pytest.skip("the current code happens to be 000000")
    assert response.status_code == 200
    device.refresh_from_db()
    assert device.confirmed is False


def test_other_sessions_must_log_in_again_with_a_code_once_enrolled(
    client, operator, territory, clock
) -> None:
    from django.test import Client

    other = Client()
    other.force_login(operator)
    client.force_login(operator)
    client.get("/compte/double-authentification/")
    device = TOTPDevice.objects.get(user=operator)
    client.post("/compte/double-authentification/", {"code": code_of(device)})
    assert client.get("/controle/").status_code == 200
    response = other.get("/controle/")
    assert response.status_code == 302
    assert response.url.startswith("/connexion/")


def test_the_second_factor_can_be_turned_off_with_a_current_code(
    client, enrolled_operator, clock
) -> None:
    user, device = enrolled_operator
    password_step(client, user)
    client.post("/connexion/code/", {"code": code_of(device)})
    clock.shift(timedelta(seconds=30))
    response = client.post("/compte/double-authentification/", {"code": code_of(device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert AuditEntry.objects.filter(action="otp.removed").exists()


def test_a_mandatory_role_cannot_go_anywhere_before_enrolling(
    client, supervisor, settings, territory
) -> None:
    settings.OTP_REQUIRED_FOR = ["supervisor"]
    client.force_login(supervisor)
    response = client.get("/controle/kpis/")
    assert response.status_code == 302
    assert response.url == "/compte/double-authentification/"
    assert client.get("/compte/double-authentification/").status_code == 200


def test_a_mandatory_role_cannot_turn_the_second_factor_off(
    client, supervisor, settings, clock
) -> None:
    settings.OTP_REQUIRED_FOR = ["supervisor"]
    device = TOTPDevice.objects.create(user=supervisor, name="authenticator", confirmed=True)
    password_step(client, supervisor)
    client.post("/connexion/code/", {"code": code_of(device)})
    clock.shift(timedelta(seconds=30))
    client.post("/compte/double-authentification/", {"code": code_of(device)})
    assert TOTPDevice.objects.filter(user=supervisor, confirmed=True).exists()


def test_superusers_can_be_required_to_use_a_second_factor(client, settings, db) -> None:
    from tests.hypervisor.factories import UserFactory

    settings.OTP_REQUIRED_FOR = ["superuser"]
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url == "/compte/double-authentification/"


def test_roles_outside_the_list_are_not_required_to_enrol(
    client, operator, settings, territory
) -> None:
    settings.OTP_REQUIRED_FOR = ["supervisor"]
    client.force_login(operator)
    assert client.get("/controle/").status_code == 200


def test_an_unknown_role_in_the_setting_stops_the_start_up(settings) -> None:
    settings.OTP_REQUIRED_FOR = ["supervisor", "chef"]
    with pytest.raises(SystemCheckError, match="chef"):
        call_command("check")
