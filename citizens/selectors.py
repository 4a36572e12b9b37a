from __future__ import annotations

from typing import Any

from citizens.models import Report
from incidents import selectors as incident_selectors


def report_tracking(*, token: str) -> dict[str, Any] | None:
    """The tracking page's content: the incident's public view, nothing about reporters."""
    report = Report.objects.filter(token=token).only("incident_id", "created_at").first()
    if report is None:
        return None
    return incident_selectors.incident_public_view(incident_id=report.incident_id)
