"""Pushing committed events to control-room screens as small deltas."""

from __future__ import annotations

import json
import logging

from django.core.serializers.json import DjangoJSONEncoder

from hypervisor import fanout
from hypervisor.models import Event

logger = logging.getLogger(__name__)


def push_event(record: Event) -> None:
    """Send the deltas of one committed event; a screen that misses it catches up later."""
    from hypervisor.selectors.live import delta_audience, live_deltas_for

    deltas = live_deltas_for([record])
    try:
        for delta in deltas:
            # Encoded once here, not once per screen or per server process.
            text = json.dumps(delta, cls=DjangoJSONEncoder)
            fanout.publish(audience=delta_audience(delta), text=text)
    except Exception:
        # Screens reconcile from the event history on reconnect; the write already committed.
        logger.exception("Live push of event #%s failed", record.pk)


CRISIS_GROUP = "crisis"
"""Channel-layer group of every open staff screen's crisis banner (/ws/crisis/)."""


def push_crisis_state(event: object) -> None:
    """A crisis was activated, changed or closed: every open screen's banner follows."""
    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer

    from hypervisor.selectors import crisis_state

    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(
            CRISIS_GROUP, {"type": "crisis.state", "state": crisis_state()}
        )
    except Exception:
        # A screen that misses it reads the state again when its socket reconnects.
        logger.exception("Crisis banner push failed")
