"""The operator queue: what needs a person because the automation could not decide."""

from __future__ import annotations

from typing import Any

from incidents.models import OPEN_TASK_STATUSES, Incident, Status, Task
from incidents.selectors.dispatch import crew_candidates


def operator_queue() -> dict[str, list[dict[str, Any]]]:
    """Unroutable incidents (with why) and tasks no crew holds (with why), oldest first."""
    unroutable = Incident.objects.filter(status=Status.NEW, routed_at__isnull=False)
    waiting = Task.objects.filter(
        status__in=OPEN_TASK_STATUSES, needs_operator=True, crew__isnull=True
    ).select_related("incident__category", "trade")
    return {
        "unroutable": [
            {
                "id": incident.pk,
                "reference": incident.reference,
                "category": incident.category.label,
                "reason": str(incident.get_unroutable_reason_display()),
                "detail": incident.routing_note,
                "created_at": incident.created_at,
            }
            for incident in unroutable.select_related("category").order_by("created_at")
        ],
        "tasks": [
            {
                "id": task.pk,
                "reference": task.incident.reference,
                "category": task.incident.category.label,
                "trade": task.trade.label,
                "reason": task.operator_note,
                "priority": task.incident.priority,
                "candidates": (
                    [
                        {"id": c.crew_id, "name": c.name, "distance_m": c.distance_m}
                        for c in crew_candidates(
                            lat=task.lat, lon=task.lon, trade_code=task.trade.code
                        )
                    ]
                    if task.lat is not None and task.lon is not None
                    else []
                ),
            }
            for task in waiting.order_by("incident__due_at")
        ],
    }
