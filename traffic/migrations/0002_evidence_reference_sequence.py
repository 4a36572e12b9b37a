"""A database sequence numbers evidence requests: concurrent filings never share a number."""

from __future__ import annotations

from typing import Any

from django.db import migrations

SEQUENCE = "traffic_evidence_reference_seq"


def create_sequence(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite writes one transaction at a time (IMMEDIATE): no sequence needed
    count = apps.get_model("traffic", "EvidenceRequest").objects.count()
    schema_editor.execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE} START WITH {count + 1}")


def drop_sequence(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")


class Migration(migrations.Migration):
    dependencies = [("traffic", "0001_initial")]

    operations = [migrations.RunPython(create_sequence, drop_sequence)]
