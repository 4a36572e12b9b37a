"""The reference deployment and its documented configuration stay in line with the code."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
SETTINGS = ROOT / "ondijon" / "settings.py"
README = ROOT / "README.md"

_CONFIG_READ = re.compile(
    r"""config\.(?:string|boolean|integer|number|items|lat_lon|database|redis_url|email|is_set)"""
    r"""\(\s*["']([A-Z][A-Z0-9_]*)["']"""
)
_ENVIRON_READ = re.compile(
    r"""os\.(?:environ\.get\(|environ\[|getenv\()\s*["']([A-Z][A-Z0-9_]*)["']"""
)
_DOCUMENTED = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=", re.MULTILINE)
_COMPOSE_INTERPOLATED = re.compile(r"\$\{([A-Z][A-Z0-9_]*)")

APPLICATION_SERVICES = ("web", "worker", "beat", "mqtt_bridge")


def _variables_read_by_settings() -> set[str]:
    source = SETTINGS.read_text(encoding="utf-8")
    return set(_CONFIG_READ.findall(source)) | set(_ENVIRON_READ.findall(source))


def _variables_documented() -> set[str]:
    return set(_DOCUMENTED.findall(ENV_EXAMPLE.read_text(encoding="utf-8")))


def _compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


def test_compose_file_follows_the_compose_specification():
    check_jsonschema = Path(sys.executable).parent / "check-jsonschema"
    result = subprocess.run(
        [str(check_jsonschema), "--builtin-schema", "vendor.compose-spec", str(COMPOSE_FILE)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    print(result.stdout)
    print(result.stderr)
    assert result.returncode == 0, f"{COMPOSE_FILE.name} does not follow the Compose spec"


def test_settings_variables_are_found_by_the_scan():
    # Guards the scan itself: a regex that matched nothing would let every check below pass.
    found = _variables_read_by_settings()
    assert {"DJANGO_DEBUG", "DATABASE_URL", "REDIS_URL", "ONDIJON_VAR_DIR"} <= found
    assert "DJANGO_ALLOWED_HOSTS" in found  # read through a call split over two lines


def test_every_variable_read_by_the_settings_is_documented_in_the_env_example():
    missing = sorted(_variables_read_by_settings() - _variables_documented())
    assert not missing, f".env.example does not document: {', '.join(missing)}"


def test_the_env_example_documents_no_variable_that_nothing_reads():
    read_by_compose = set(_COMPOSE_INTERPOLATED.findall(COMPOSE_FILE.read_text(encoding="utf-8")))
    unread = sorted(_variables_documented() - _variables_read_by_settings() - read_by_compose)
    assert not unread, f".env.example documents variables nothing reads: {', '.join(unread)}"


def test_readme_configuration_table_lists_every_documented_variable():
    readme = README.read_text(encoding="utf-8")
    missing = sorted(name for name in _variables_documented() if f"`{name}`" not in readme)
    assert not missing, f"README.md's configuration table lacks: {', '.join(missing)}"


def test_compose_declares_every_service_of_the_reference_deployment():
    services = _compose()["services"]
    expected = {"postgres", "redis", "mosquitto", "web", "worker", "beat", "mqtt_bridge"}
    assert expected <= set(services)


def test_web_service_is_healthy_only_when_ready():
    web = _compose()["services"]["web"]
    assert "/readyz" in " ".join(web["healthcheck"]["test"])
    for dependency in ("postgres", "redis"):
        assert web["depends_on"][dependency]["condition"] == "service_healthy"


def test_application_services_run_in_production_mode_against_the_compose_services():
    services = _compose()["services"]
    for name in APPLICATION_SERVICES:
        service = services[name]
        environment = service["environment"]
        assert service["env_file"] == ".env", name
        assert environment["DJANGO_DEBUG"] == "false", name
        # The web service goes through the pooler; the others hold few, long connections.
        database = "@pgbouncer:6432/" if name == "web" else "@postgres:5432/"
        assert database in environment["DATABASE_URL"], name
        assert environment["REDIS_URL"].startswith("redis://redis:6379/"), name


def test_compose_file_has_no_obsolete_version_key():
    assert "version" not in _compose()


def test_the_worker_reads_the_urgent_queue_before_the_ordinary_one():
    from django.conf import settings

    command = _compose()["services"]["worker"]["command"]
    queues = command[command.index("-Q") + 1].split(",")
    assert queues == [settings.CELERY_URGENT_QUEUE, settings.CELERY_TASK_DEFAULT_QUEUE]


NGINX_CONF = ROOT / "deploy" / "nginx" / "ondijon.conf"


def test_the_web_service_counts_limits_per_client_behind_the_proxy():
    """Replays 'everyone is one address': the compose file configured no client header."""
    from hypervisor.client_address import meta_key

    web = _compose()["services"]["web"]["environment"]
    header = web["ONDIJON_CLIENT_IP_HEADER"]
    assert header.startswith("${ONDIJON_CLIENT_IP_HEADER:-")
    default = header.removeprefix("${ONDIJON_CLIENT_IP_HEADER:-").removesuffix("}")
    # The reference proxy replaces that very header with the address it sees.
    directives = NGINX_CONF.read_text(encoding="utf-8")
    assert f"proxy_set_header {default} $remote_addr;" in directives
    assert meta_key(default) == "HTTP_X_FORWARDED_FOR"


def test_the_reference_proxy_serves_no_media_volume():
    """Replays the hidden photo still served: the docs had the proxy serve all of /media/."""
    directives = [
        line.split("#", 1)[0].strip() for line in NGINX_CONF.read_text(encoding="utf-8").split("\n")
    ]
    assert "location / {" in directives  # positive control: the file is read
    assert not [
        line for line in directives if line.startswith(("alias", "root", "location /media"))
    ]
    readme = README.read_text(encoding="utf-8")
    assert "serve `/media/` from the media volume" not in readme


def test_the_web_service_reaches_postgresql_through_a_bounded_pool():
    """Replays the burst that exhausted PostgreSQL: 200 reports opened 78 connections."""
    services = _compose()["services"]
    pooler = services["pgbouncer"]["environment"]
    assert pooler["POSTGRESQL_HOST"] == "postgres"
    assert int(pooler["PGBOUNCER_DEFAULT_POOL_SIZE"]) < 100  # PostgreSQL's max_connections
    assert "@pgbouncer:6432/" in services["web"]["environment"]["DATABASE_URL"]
    assert services["web"]["depends_on"]["pgbouncer"]["condition"] == "service_healthy"
