"""Reads for publication as open data: facts without free text or reporter data, as tuples."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Count, DateField, F, Q
from django.db.models.functions import TruncMonth

from incidents.models import Category, Incident, Priority, Status

# A duplicate is the same problem as its master, which is published; a rejected report was
# not an incident in public space (out of scope, not competent, abusive).
NOT_PUBLISHED = (Status.DUPLICATE, Status.REJECTED)


def incident_publication_rows() -> list[tuple[int, datetime, str, str, str, float, float]]:
    """(id, created at, commune INSEE, category code, status, lat, lon) of every located
    incident, open or not, duplicates and rejected reports left out.

    Only these seven facts are read: no description, photo or reporter field. The
    commune code is "" when the place lies outside every commune.
    """
    rows = (
        Incident.objects.filter(lat__isnull=False, lon__isnull=False)
        .exclude(status__in=NOT_PUBLISHED)
        .order_by("pk")
        .values_list("pk", "created_at", "commune__insee", "category__code", "status", "lat", "lon")
    )
    return [(pk, at, insee or "", *rest) for pk, at, insee, *rest in rows]  # type: ignore[misc]


def incident_category_codes() -> list[str]:
    """Every category code, retired ones included (past incidents may carry them)."""
    return list(Category.objects.order_by("code").values_list("code", flat=True))


def incident_priority_codes() -> list[str]:
    return list(Priority.values)


def incident_status_codes() -> list[str]:
    """The statuses a published incident can have."""
    return [status for status in Status.values if status not in NOT_PUBLISHED]


def incident_deadline_counts(
    *, start: datetime, end: datetime
) -> list[tuple[date, str, str, str, int, int]]:
    """(month, service code, service name, priority, on time, late) of the incidents
    resolved in [start, end), grouped by local month of resolution, service and priority.

    On time means resolved by the deadline, as the control room's "deadlines met" figure
    counts it. Unrouted incidents have an empty service code.
    """
    rows = (
        Incident.objects.filter(resolved_at__gte=start, resolved_at__lt=end)
        .annotate(month=TruncMonth("resolved_at", output_field=DateField()))
        .values("month", "service__code", "service__name", "priority")
        .annotate(
            on_time=Count("pk", filter=Q(resolved_at__lte=F("due_at"))),
            late=Count("pk", filter=Q(resolved_at__gt=F("due_at"))),
        )
        .order_by("month", "service__code", "priority")
        .values_list("month", "service__code", "service__name", "priority", "on_time", "late")
    )
    return [
        (month, code or "", name or "", priority, on_time, late)
        for month, code, name, priority, on_time, late in rows
    ]
