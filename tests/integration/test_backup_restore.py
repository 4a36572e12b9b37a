"""The backup procedure of docs/operations.md, restored and checked.

`pg_dump -Fc` of the test database, `pg_restore` into a fresh database, then the same rows
in the key tables and `manage.py migrate --check` passing against the restored copy: the
dump is complete and the application accepts it as its own schema.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest
from django.db import connection

from citizens import services as citizen_services
from incidents import services
from tests.services import database_url, unavailable

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
KEY_TABLES = [
    "auth_user",
    "hypervisor_commune",
    "hypervisor_routingrule",
    "hypervisor_event",
    "incidents_category",
    "incidents_incident",
    "incidents_transition",
    "incidents_task",
    "citizens_report",
    "django_migrations",
]


def _libpq_environment() -> dict[str, str]:
    settings = connection.settings_dict
    environment = dict(os.environ)
    environment.update(
        PGHOST=settings["HOST"] or "127.0.0.1",
        PGPORT=str(settings["PORT"] or 5432),
        PGUSER=settings["USER"] or "postgres",
    )
    if settings["PASSWORD"]:
        environment["PGPASSWORD"] = settings["PASSWORD"]
    return environment


def _run(arguments: list[str], **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        arguments,
        env={**_libpq_environment(), **extra},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def restored_name(real_services: None) -> Iterator[str]:
    """The name of a database to restore into, dropped afterwards."""
    for tool in ("pg_dump", "pg_restore", "createdb", "dropdb"):
        if shutil.which(tool) is None:
            unavailable(f"needs {tool} (apt-get install postgresql-client)")
    name = f"{connection.settings_dict['NAME']}_restored"
    _run(["dropdb", "--if-exists", "--force", name])
    yield name
    _run(["dropdb", "--if-exists", "--force", name])


def _counts(dbname: str) -> dict[str, int]:
    settings = connection.settings_dict
    with (
        psycopg2.connect(
            dbname=dbname,
            user=settings["USER"],
            password=settings["PASSWORD"] or None,
            host=settings["HOST"] or "127.0.0.1",
            port=settings["PORT"] or 5432,
        ) as database,
        database.cursor() as cursor,
    ):
        counts = {}
        for table in KEY_TABLES:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (fixed names)
            counts[table] = cursor.fetchone()[0]
    database.close()
    return counts


def test_a_custom_format_dump_restores_into_a_database_the_application_accepts(
    restored_name: str, reference_configuration: None, operator: object, tmp_path: Path
) -> None:
    for number in range(5):
        citizen_services.report_submit(
            category_code="eclairage-panne",
            description=f"Lampadaire éteint n° {number}",
            lat=47.3225 + number * 0.001,
            lon=5.0317,
            contact_email=f"habitant{number}@example.org",
            contact_consent=True,
        )
        services.incident_route_and_dispatch(
            incident_id=services.incident_open(
                category_code="signalisation-feu",
                description=f"Feu éteint n° {number}",
                lat=47.3225,
                lon=5.0317 + number * 0.001,
                source=services.Source.PHONE,
            ).pk
        )
    source = connection.settings_dict["NAME"]
    dump = tmp_path / "ondijon.dump"

    dumped = _run(["pg_dump", "--format=custom", "--file", str(dump), source])
    assert dumped.returncode == 0, dumped.stderr
    created = _run(["createdb", restored_name])
    assert created.returncode == 0, created.stderr
    restored = _run(
        ["pg_restore", "--no-owner", "--exit-on-error", "--dbname", restored_name, str(dump)]
    )
    assert restored.returncode == 0, restored.stderr

    expected = _counts(source)
    assert expected["incidents_incident"] == 10
    assert expected["citizens_report"] == 5
    assert _counts(restored_name) == expected
    check = _run(
        [sys.executable, "manage.py", "migrate", "--check"],
        DATABASE_URL=database_url(restored_name),
        DJANGO_SETTINGS_MODULE="ondijon.settings",
    )
    assert check.returncode == 0, check.stdout + check.stderr
