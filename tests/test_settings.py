"""Configuration comes from the environment; mistakes stop the start-up with a clear message."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from ondijon.config import Config

ROOT = Path(__file__).resolve().parent.parent
PRINT_RUNTIME = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'db': s.DATABASES['default']['ENGINE'], "
    "'layer': s.CHANNEL_LAYERS['default']['BACKEND'], 'eager': s.CELERY_TASK_ALWAYS_EAGER, "
    "'broker': s.CELERY_BROKER_URL, 'demo': s.DEMO_MODE}))"
)


def run_with_env(tmp_path: Path, code: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "ONDIJON_", "DATABASE_", "REDIS_", "CELERY_"))
    }
    clean.update(env)
    clean["ONDIJON_VAR_DIR"] = str(tmp_path)
    clean["DJANGO_SETTINGS_MODULE"] = "ondijon.settings"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def run_manage_check(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return run_with_env(
        tmp_path, "import sys; sys.argv=['manage.py','check']; import manage; manage.main()", **env
    )


def test_a_malformed_boolean_names_the_variable() -> None:
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG"):
        Config({"DJANGO_DEBUG": "maybe"}).boolean("DJANGO_DEBUG", default=True)


def test_a_malformed_number_names_the_variable() -> None:
    with pytest.raises(ImproperlyConfigured, match="ONDIJON_MAP_ZOOM"):
        Config({"ONDIJON_MAP_ZOOM": "twelve"}).integer("ONDIJON_MAP_ZOOM", default=12)


def test_a_malformed_map_centre_names_the_variable() -> None:
    with pytest.raises(ImproperlyConfigured, match="ONDIJON_MAP_CENTER"):
        Config({"ONDIJON_MAP_CENTER": "47.3"}).lat_lon("ONDIJON_MAP_CENTER", default=(0, 0))


def test_a_database_url_with_an_unknown_scheme_names_the_variable() -> None:
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        Config({"DATABASE_URL": "oracle-ish://nowhere"}).database("DATABASE_URL")


def test_a_redis_url_that_is_not_redis_names_the_variable() -> None:
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL"):
        Config({"REDIS_URL": "http://127.0.0.1:6379"}).redis_url("REDIS_URL")


def test_start_up_with_a_malformed_variable_prints_its_name_without_traceback(
    tmp_path: Path,
) -> None:
    result = run_manage_check(tmp_path, DJANGO_DEBUG="sometimes")
    assert result.returncode == 2
    assert "DJANGO_DEBUG" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_mode_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    result = run_manage_check(tmp_path, DJANGO_DEBUG="false", DJANGO_ALLOWED_HOSTS="ondijon.fr")
    assert result.returncode == 2
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_mode_refuses_to_start_without_allowed_hosts(tmp_path: Path) -> None:
    result = run_manage_check(tmp_path, DJANGO_DEBUG="false", DJANGO_SECRET_KEY="k" * 50)
    assert result.returncode == 2
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_production_mode_refuses_demo_users(tmp_path: Path) -> None:
    result = run_manage_check(
        tmp_path,
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="k" * 50,
        DJANGO_ALLOWED_HOSTS="ondijon.fr",
        ONDIJON_DEMO="true",
    )
    assert result.returncode == 2
    assert "ONDIJON_DEMO" in result.stderr


def test_with_nothing_set_the_product_runs_embedded(tmp_path: Path) -> None:
    result = run_with_env(tmp_path, PRINT_RUNTIME)
    assert result.returncode == 0, result.stderr
    runtime = json.loads(result.stdout)
    assert runtime == {
        "db": "django.db.backends.sqlite3",
        "layer": "channels.layers.InMemoryChannelLayer",
        "eager": True,
        "broker": "memory://localhost/",
        "demo": True,
    }


def test_database_and_redis_urls_switch_to_postgresql_channels_redis_and_celery(
    tmp_path: Path,
) -> None:
    result = run_with_env(
        tmp_path,
        PRINT_RUNTIME,
        DATABASE_URL="postgres://ondijon@db.example:5432/ondijon",
        REDIS_URL="redis://cache.example:6379/0",
    )
    assert result.returncode == 0, result.stderr
    runtime = json.loads(result.stdout)
    assert runtime == {
        "db": "django.db.backends.postgresql",
        "layer": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "eager": False,
        "broker": "redis://cache.example:6379/0",
        "demo": False,
    }
