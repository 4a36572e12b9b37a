"""Telling field tablets that one of their crew's tasks changed."""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from incidents.models import OPEN_TASK_STATUSES, Task

logger = logging.getLogger(__name__)


def crew_group(crew_id: int) -> str:
    return f"field-crew-{crew_id}"


def _send(crew_ids: set[int], task_ids: list[int]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        for crew_id in sorted(crew_ids):
            for task_id in task_ids:
                async_to_sync(layer.group_send)(
                    crew_group(crew_id), {"type": "field.task", "task_id": task_id}
                )
    except Exception:
        # A tablet that misses it gets a fresh snapshot when it reconnects.
        logger.exception("Field push of tasks %s failed", task_ids)


def push_task_changed(event: object) -> None:
    """Subscriber of task.changed: each crew concerned re-reads the task through its socket."""
    _send(set(event.crew_ids), [int(event.asset_id)])  # type: ignore[attr-defined]


def push_incident_changed(event: object) -> None:
    """Subscriber of incident changes: the tablets holding its tasks refresh them."""
    rows = Task.objects.filter(
        incident_id=int(event.asset_id),  # type: ignore[attr-defined]
        status__in=OPEN_TASK_STATUSES,
        crew__isnull=False,
    ).values_list("pk", "crew_id")
    for task_id, crew_id in rows:
        _send({crew_id}, [task_id])
