"""Writes on citizen reports."""

from __future__ import annotations

import secrets

from django.db import transaction

from citizens.models import Report
from incidents import services as incident_services
from incidents.services import Source


@transaction.atomic
def report_submit(
    *,
    category_code: str,
    description: str,
    lat: float | None,
    lon: float | None,
    source: Source = Source.WEB,
) -> Report:
    """Store the report and its incident together: both exist, or neither does."""
    incident = incident_services.incident_open(
        category_code=category_code, description=description, lat=lat, lon=lon, source=source
    )
    report = Report(token=secrets.token_urlsafe(18), incident_id=incident.pk)
    report.full_clean()
    report.save()
    return report
