"""Pushing committed events to control-room screens as small deltas."""

from __future__ import annotations

import json
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.serializers.json import DjangoJSONEncoder

from hypervisor.models import Event

logger = logging.getLogger(__name__)

CONTROL_ROOM_GROUP = "control-room"


def push_event(record: Event) -> None:
    """Send the deltas of one committed event; a screen that misses it catches up later."""
    from hypervisor.selectors.live import live_deltas_for

    deltas = live_deltas_for([record])
    if not deltas:
        return
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        for delta in deltas:
            # Encoded once here rather than once per screen in every consumer.
            text = json.dumps(delta, cls=DjangoJSONEncoder)
            async_to_sync(layer.group_send)(
                CONTROL_ROOM_GROUP, {"type": "live.delta", "message": delta, "text": text}
            )
    except Exception:
        # Screens reconcile from the event history on reconnect; the write already committed.
        logger.exception("Live push of event #%s failed", record.pk)
