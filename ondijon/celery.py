"""The Celery application; reads the CELERY_* names of ondijon.settings.

Publishing is guarded by a breaker: once a publish has failed because the broker is
unreachable, this process refuses to publish for a few seconds instead of paying a failed
connection on every request. Callers already treat a refused publish as "the sweep will
hand it over" (the database is the record of the work), so an outage costs each process
one failed attempt every few seconds.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any

from celery import Celery
from celery import Task as BaseTask
from kombu.exceptions import ChannelError, OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ondijon.settings")

logger = logging.getLogger(__name__)
# Seconds during which publishing is refused after the broker was found unreachable.
BROKER_PAUSE_SECONDS = 5.0


class BrokerUnavailable(OperationalError):
    """The broker failed a moment ago; this publish was not attempted."""


class PublishBreaker:
    """Remembers, per process, that the broker was unreachable a moment ago."""

    def __init__(self, pause: float) -> None:
        self.pause = pause
        self._until = 0.0
        self._lock = threading.Lock()

    @property
    def open(self) -> bool:
        return time.monotonic() < self._until

    def failed(self, error: Exception) -> None:
        with self._lock:
            first = self._until == 0.0
            self._until = time.monotonic() + self.pause
        if first:
            logger.warning("Broker unreachable (%s): publishing paused for %ss", error, self.pause)

    def reset(self) -> None:
        """Forget a past failure: the next publish tries the broker."""
        with self._lock:
            self._until = 0.0

    def succeeded(self) -> None:
        if self._until:
            with self._lock:
                self._until = 0.0
            logger.warning("Broker reachable again: publishing resumed")


breaker = PublishBreaker(BROKER_PAUSE_SECONDS)


class Task(BaseTask):
    """Every OnDijon task: publishing fails fast while the broker is known to be down."""

    def apply_async(self, *args: Any, **kwargs: Any) -> Any:
        if self.app.conf.task_always_eager:
            return super().apply_async(*args, **kwargs)
        if breaker.open:
            raise BrokerUnavailable("the broker was unreachable a moment ago")
        try:
            result = super().apply_async(*args, **kwargs)
        except OperationalError as error:
            breaker.failed(error)
            raise
        breaker.succeeded()
        return result


app = Celery("ondijon", task_cls=Task)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def ordinary_backlog() -> int:
    """Messages waiting in the ordinary queue: 0 when it is empty or cannot be read.

    The sweeps that hand lost work over again ask first: while a backlog is queued, the
    work they would hand over is most likely in it, merely waiting, and a second copy
    behind it would only slow the rest down.
    """
    if app.conf.task_always_eager:
        return 0
    try:
        with app.connection_for_read() as connection:
            declared = connection.default_channel.queue_declare(
                queue=app.conf.task_default_queue, passive=True
            )
    except ChannelError:
        return 0  # on Redis an empty queue does not exist
    except Exception:
        return 0  # unreachable: the sweep goes on, and its publishing reports the outage
    return int(declared.message_count)


# Task log lines carry the task id and the id of the request that enqueued the task.
from ondijon import logs  # noqa: E402

logs.install()
