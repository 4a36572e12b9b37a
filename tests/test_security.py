"""Deployment hardening: Django's deploy checks, HTTPS, cookies, headers, CSP, Argon2."""

from __future__ import annotations

import json
import re
import secrets
from pathlib import Path

import pytest
from django.contrib.auth.hashers import make_password

from ondijon.config import url_origins
from tests.hypervisor.factories import PASSWORD, UserFactory
from tests.test_settings import run_with_env

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "ondijon.example.org",
}
PRINT_SECURITY = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({name: getattr(s, name, None) for name in ("
    "'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', "
    "'SECURE_HSTS_PRELOAD', 'SECURE_PROXY_SSL_HEADER', 'SECURE_REDIRECT_EXEMPT', "
    "'SESSION_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'SESSION_COOKIE_SAMESITE', "
    "'CSRF_COOKIE_SECURE', 'SECURE_REFERRER_POLICY', 'SECURE_CROSS_ORIGIN_OPENER_POLICY', "
    "'SECURE_CONTENT_TYPE_NOSNIFF', 'X_FRAME_OPTIONS', 'CONTENT_SECURITY_POLICY', "
    "'CONTENT_SECURITY_POLICY_REPORT_ONLY', 'LOG_FORMAT')}))"
)


def production_settings(tmp_path: Path, **extra: str) -> dict:
    result = run_with_env(tmp_path, PRINT_SECURITY, **PRODUCTION, **extra)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_deploy_checks_pass_at_warning_level_in_production_mode(tmp_path: Path) -> None:
    code = (
        "import sys; sys.argv = ['manage.py', 'check', '--deploy', '--fail-level', 'WARNING']; "
        "import manage; manage.main()"
    )
    result = run_with_env(tmp_path, code, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_deploy_checks_fail_when_https_is_turned_off(tmp_path: Path) -> None:
    # Guards the test above: the checks do run, and an insecure setting is caught.
    code = (
        "import sys; sys.argv = ['manage.py', 'check', '--deploy', '--fail-level', 'WARNING']; "
        "import manage; manage.main()"
    )
    result = run_with_env(tmp_path, code, **PRODUCTION, DJANGO_SECURE_SSL_REDIRECT="false")
    assert result.returncode != 0
    assert "security.W008" in result.stderr


def test_production_mode_sends_https_only_with_hsts_for_a_year(tmp_path: Path) -> None:
    values = production_settings(tmp_path)
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SECURE_HSTS_SECONDS"] == 31_536_000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_HSTS_PRELOAD"] is False


def test_production_cookies_are_secure_http_only_and_same_site(tmp_path: Path) -> None:
    values = production_settings(tmp_path)
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert values["CSRF_COOKIE_SECURE"] is True


def test_production_headers_deny_framing_sniffing_and_cross_origin_openers(tmp_path: Path) -> None:
    values = production_settings(tmp_path)
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["SECURE_CROSS_ORIGIN_OPENER_POLICY"] == "same-origin"
    assert values["SECURE_REFERRER_POLICY"] == "strict-origin-when-cross-origin"


def test_hsts_preload_and_ssl_redirect_are_configurable(tmp_path: Path) -> None:
    values = production_settings(
        tmp_path, DJANGO_SECURE_HSTS_PRELOAD="true", DJANGO_SECURE_SSL_REDIRECT="false"
    )
    assert values["SECURE_HSTS_PRELOAD"] is True
    assert values["SECURE_SSL_REDIRECT"] is False


def test_production_logs_are_json_lines_by_default(tmp_path: Path) -> None:
    assert production_settings(tmp_path)["LOG_FORMAT"] == "json"


def test_the_content_security_policy_can_be_reported_only(tmp_path: Path) -> None:
    enforced = production_settings(tmp_path)
    reported = production_settings(tmp_path, ONDIJON_CSP_REPORT_ONLY="true")
    assert enforced["CONTENT_SECURITY_POLICY"] is not None
    assert enforced["CONTENT_SECURITY_POLICY_REPORT_ONLY"] is None
    assert reported["CONTENT_SECURITY_POLICY"] is None
    assert reported["CONTENT_SECURITY_POLICY_REPORT_ONLY"] == enforced["CONTENT_SECURITY_POLICY"]


@pytest.fixture
def https_only(settings) -> None:  # type: ignore[no-untyped-def]
    """The production values of the HTTPS settings, in this process."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True


def test_plain_http_is_redirected_to_https(client, db, https_only) -> None:
    response = client.get("/signaler/")
    assert response.status_code == 301
    assert response.url == "https://testserver/signaler/"


@pytest.mark.parametrize("probe", ["/healthz", "/readyz"])
def test_health_probes_answer_over_plain_http(client, db, https_only, probe: str) -> None:
    assert client.get(probe).status_code == 200


def test_https_behind_the_proxy_gets_hsts_with_subdomains(client, db, https_only) -> None:
    response = client.get("/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_the_session_cookie_is_secure_http_only_and_lax(client, operator, https_only) -> None:
    response = client.post(
        "/connexion/",
        {"username": operator.username, "password": PASSWORD},
        HTTP_X_FORWARDED_PROTO="https",
    )
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def test_pages_carry_a_strict_content_security_policy(client, db, settings) -> None:
    policy = directives(client.get("/").headers["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["base-uri"] == ["'self'"]
    assert set(policy["img-src"]) == {"'self'", "data:", *url_origins(settings.TILES_URL)}


def test_the_policy_lets_pages_open_websockets_to_their_own_host_only(client, db) -> None:
    policy = directives(client.get("/", HTTP_HOST="localhost").headers["Content-Security-Policy"])
    assert policy["connect-src"] == ["'self'", "ws://localhost", "wss://localhost"]


def test_the_api_documentation_needs_no_inline_script_or_style(client, db) -> None:
    response = client.get("/api/docs/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<style" not in page
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page) is None
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")


def test_tile_servers_become_csp_sources() -> None:
    assert url_origins("https://tile.openstreetmap.org/{z}/{x}/{y}.png") == [
        "https://tile.openstreetmap.org"
    ]
    assert url_origins("https://{s}.tiles.example.org/{z}/{x}/{y}.png") == [
        "https://*.tiles.example.org"
    ]
    assert url_origins("/tiles/{z}/{x}/{y}.png") == []


TEMPLATES = sorted(
    path
    for path in ROOT.glob("**/templates/**/*.html")
    # Hidden folders hold virtual environments (.venv, bench/.venv-pygeoapi), not ours.
    if not any(part.startswith(".") for part in path.relative_to(ROOT).parts)
    and "var" not in path.parts
)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
STYLE = re.compile(r"\sstyle\s*=|<style", re.IGNORECASE)


def test_the_template_scan_finds_the_templates() -> None:
    assert len(TEMPLATES) > 20
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert EVENT_HANDLER.search('<select onchange="go()">')
    assert STYLE.search('<p style="color: red">')


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT)))
def test_templates_hold_no_inline_script_handler_or_style(template: Path) -> None:
    source = template.read_text(encoding="utf-8")
    assert INLINE_SCRIPT.search(source) is None
    assert EVENT_HANDLER.search(source) is None
    assert STYLE.search(source) is None


def test_new_passwords_are_hashed_with_argon2(db) -> None:
    user = UserFactory(username="nouvelle")
    user.set_password("une phrase de passe assez longue")
    user.save()
    assert user.password.startswith("argon2$argon2id$")


def test_an_older_pbkdf2_hash_is_upgraded_to_argon2_at_login(client, db) -> None:
    user = UserFactory(username="ancienne")
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save()
    response = client.post("/connexion/", {"username": "ancienne", "password": PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$")
