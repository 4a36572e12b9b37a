"""The operator queue: what needs a person because the automation could not decide."""

from __future__ import annotations

from typing import Any

from incidents.models import OPEN_TASK_STATUSES, Incident, Status, Task
from incidents.selectors.desk import crew_options, incidents_to_locate


def operator_queue() -> dict[str, list[dict[str, Any]]]:
    """Incidents to place on a map, unroutable ones (with why), tasks no crew holds (with why).

    Each waiting task offers every crew of its trade, on shift and nearest first.
    """
    unroutable = Incident.objects.filter(
        status=Status.NEW, routed_at__isnull=False, lat__isnull=False
    )
    waiting = Task.objects.filter(
        status__in=OPEN_TASK_STATUSES, needs_operator=True, crew__isnull=True
    ).select_related("incident__category", "trade")
    return {
        "to_locate": [
            {
                "id": incident.pk,
                "reference": incident.reference,
                "category": incident.category.label,
                "address": incident.address,
                "source": str(incident.get_source_display()),
                "created_at": incident.created_at,
            }
            for incident in incidents_to_locate()
        ],
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
                "incident_id": task.incident_id,
                "candidates": crew_options(task=task),
            }
            for task in waiting.order_by("incident__due_at")
        ],
    }
