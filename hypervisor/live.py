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
