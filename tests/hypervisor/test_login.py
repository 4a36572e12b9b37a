"""Login throttling: per username and per client address, whatever headers claim."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine
from django.core.cache import cache
from django.utils import translation

from hypervisor.models import AuditEntry
from tests.hypervisor.factories import PASSWORD

WRONG = "not the password"


@pytest.fixture(autouse=True)
def _fresh_counters(settings) -> Iterator[None]:  # type: ignore[no-untyped-def]
    # A process-local cache, whose clock time-machine moves; tests/integration/
    # test_login_throttle.py runs the counters against Redis with concurrent attempts.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "login-tests",
        }
    }
    settings.LOGIN_ATTEMPTS_PER_USERNAME = 5
    settings.LOGIN_ATTEMPTS_PER_ADDRESS = 20
    settings.LOGIN_LOCKOUT_SECONDS = 900
    cache.clear()
    yield
    cache.clear()


def log_in(client, username: str, password: str, **headers: str):  # type: ignore[no-untyped-def]
    return client.post("/connexion/", {"username": username, "password": password}, **headers)


def test_the_right_password_logs_in(client, operator) -> None:
    response = log_in(client, operator.username, PASSWORD)
    assert response.status_code == 302
    assert client.get("/controle/").status_code == 200


def test_a_wrong_password_is_refused_with_the_usual_message(
    english_visitor, client, operator, english
) -> None:
    response = log_in(client, operator.username, WRONG)
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_after_five_failures_even_the_right_password_is_refused(client, operator) -> None:
    for _ in range(5):
        assert log_in(client, operator.username, WRONG).status_code == 200
    response = log_in(client, operator.username, PASSWORD)
    assert response.status_code == 429
    assert client.get("/controle/").status_code == 302  # not logged in


def test_the_lockout_message_is_in_french_by_default(client, operator) -> None:
    for _ in range(6):
        response = log_in(client, operator.username, WRONG)
    with translation.override("fr"):
        french = translation.ngettext(
            "Too many failed login attempts. Try again in %(minutes)d minute, or ask an "
            "administrator.",
            "Too many failed login attempts. Try again in %(minutes)d minutes, or ask an "
            "administrator.",
            1,
        )
    assert french.startswith("Trop de tentatives")
    # Past the limit the wait is the first delay (30 s, shown as a minute), not a lockout.
    assert french % {"minutes": 1} in response.content.decode()


def test_the_lockout_message_is_in_english_for_visitors_who_chose_english(
    english_visitor, client, operator
) -> None:
    for _ in range(6):
        response = log_in(client, operator.username, WRONG)
    assert "Too many failed login attempts. Try again in 1 minute" in response.content.decode()


def test_a_lockout_is_audited_once(client, operator) -> None:
    for _ in range(9):
        log_in(client, operator.username, WRONG)
    [entry] = AuditEntry.objects.filter(action="login.locked")
    assert entry.target == f"username:{operator.username}"
    assert entry.after["address"] == "127.0.0.1"


def test_a_lockout_of_the_longest_username_is_audited(client, db) -> None:
    username = "x" * 150
    for _ in range(6):
        response = log_in(client, username, WRONG)
    assert response.status_code == 429
    [entry] = AuditEntry.objects.filter(action="login.locked")
    assert entry.target.startswith("username:xxx")


def test_supervisors_see_lockouts_in_the_audit_log(client, operator, supervisor) -> None:
    for _ in range(6):
        log_in(client, operator.username, WRONG)
    client.force_login(supervisor)
    response = client.get("/controle/journal/?action=login.locked")
    assert response.status_code == 200
    assert f"username:{operator.username}" in response.content.decode()


def test_the_lockout_ends_after_its_window(client, operator) -> None:
    with time_machine.travel("2026-03-02 08:00 +0100", tick=False) as clock:
        for _ in range(6):
            log_in(client, operator.username, WRONG)
        assert log_in(client, operator.username, PASSWORD).status_code == 429
        clock.shift(901)
        assert log_in(client, operator.username, PASSWORD).status_code == 302


def test_a_success_clears_the_username_counter(client, operator) -> None:
    for _ in range(4):
        log_in(client, operator.username, WRONG)
    assert log_in(client, operator.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        log_in(client, operator.username, WRONG)
    assert log_in(client, operator.username, PASSWORD).status_code == 302


def test_the_username_counter_ignores_case_and_spaces(client, operator) -> None:
    for variant in ("OLIVIA", "Olivia", " olivia", "olivia ", "oLiViA"):
        log_in(client, variant, WRONG)
    assert log_in(client, operator.username, PASSWORD).status_code == 429


def test_a_changing_x_forwarded_for_does_not_reset_the_counters(client, operator) -> None:
    for number in range(5):
        log_in(client, operator.username, WRONG, HTTP_X_FORWARDED_FOR=f"203.0.113.{number}")
    response = log_in(client, operator.username, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 429


def test_one_address_trying_many_usernames_is_locked_out(client, operator, settings) -> None:
    settings.LOGIN_ATTEMPTS_PER_ADDRESS = 4
    for number in range(4):
        log_in(client, f"guess{number}", WRONG, HTTP_X_FORWARDED_FOR=f"203.0.113.{number}")
    assert log_in(client, operator.username, PASSWORD).status_code == 429
    [entry] = AuditEntry.objects.filter(action="login.locked")
    assert entry.target == "address:127.0.0.1"


def test_another_address_is_not_locked_out_by_one_that_is(client, operator, settings) -> None:
    settings.LOGIN_ATTEMPTS_PER_ADDRESS = 4
    for number in range(5):
        log_in(client, f"guess{number}", WRONG)
    response = log_in(client, operator.username, PASSWORD, REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 302


def test_successful_logins_do_not_use_up_a_shared_office_address(client, db, settings) -> None:
    from tests.hypervisor.factories import UserFactory

    settings.LOGIN_ATTEMPTS_PER_ADDRESS = 3
    for number in range(5):
        user = UserFactory(username=f"agent{number}")
        assert log_in(client, user.username, PASSWORD).status_code == 302
        client.logout()


def test_the_admin_login_is_the_site_login(client, db) -> None:
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url == "/connexion/?next=/admin/"
