"""The production runtime: real services answer, and Celery is set up not to lose work."""

from __future__ import annotations

import pytest
from channels.layers import get_channel_layer
from django.conf import settings

from ondijon.celery import app as celery_app

pytestmark = pytest.mark.integration


def test_readyz_reports_the_real_database_redis_and_broker_up(real_services, client) -> None:
    body = client.get("/readyz").json()
    assert body["down"] == []
    assert all("mode" not in check for check in body["checks"].values())


def test_the_channel_layer_is_redis_pub_sub(real_services) -> None:
    assert type(get_channel_layer()).__name__ == "RedisPubSubChannelLayer"


EMERGENCY_DEADLINE_SECONDS = 60 * 60


def test_celery_acknowledges_late_and_requeues_work_of_a_dead_worker(real_services) -> None:
    conf = celery_app.conf
    assert conf.broker_url == settings.REDIS_URL
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1


def _longest_retry_countdown() -> int:
    """The longest a retrying OnDijon task waits, held by its worker, before running again."""
    celery_app.loader.import_default_modules()  # every app's tasks module, as a worker does
    countdowns = []
    for name, task in celery_app.tasks.items():
        if name.startswith("celery."):
            continue
        if getattr(task, "retry_backoff", False):
            countdowns.append(int(getattr(task, "retry_backoff_max", 600)))
        else:
            countdowns.append(int(task.default_retry_delay))
    assert len(countdowns) > 10  # the project's tasks are registered
    return max(countdowns)


def test_the_visibility_timeout_is_sized_between_the_longest_task_and_the_emergency_deadline(
    real_services,
) -> None:
    conf = celery_app.conf
    visibility = conf.broker_transport_options["visibility_timeout"]
    # A live worker holds a task unacknowledged while it runs (at most the time limit) or
    # waits for its retry countdown: redelivering it sooner would run it twice.
    assert conf.task_time_limit is not None
    assert conf.task_soft_time_limit < conf.task_time_limit
    assert visibility > conf.task_time_limit + _longest_retry_countdown()
    # A dead worker's tasks come back within the emergency deadline even without the sweep.
    assert visibility <= EMERGENCY_DEADLINE_SECONDS
    # The sweep does not wait for it: emergencies are handed over again within seconds.
    assert settings.INCIDENTS_EMERGENCY_RELAY_AFTER_SECONDS <= 60
    assert visibility > settings.INCIDENTS_RELAY_AFTER_SECONDS


def test_urgent_work_has_its_own_queue_which_workers_read_first(real_services) -> None:
    conf = celery_app.conf
    urgent = settings.CELERY_URGENT_QUEUE
    queues = [queue.name for queue in conf.task_queues]
    assert queues == [urgent, conf.task_default_queue]
    for queue in conf.task_queues:  # each bound to its own name, so a message lands once
        assert queue.exchange.name == queue.name
        assert queue.routing_key == queue.name
    assert conf.broker_transport_options["queue_order_strategy"] == "priority"
    for task in (
        "incidents.tasks.relay_pending_work",
        "incidents.tasks.watch_deadlines",
        "hypervisor.tasks.escalate_alarms",
    ):
        assert conf.task_routes[task] == {"queue": urgent}


def test_publishing_gives_up_within_a_second_when_the_broker_is_down(real_services) -> None:
    conf = celery_app.conf
    policy = conf.task_publish_retry_policy
    waits = [
        min(policy["interval_start"] + attempt * policy["interval_step"], policy["interval_max"])
        for attempt in range(policy["max_retries"])
    ]
    assert sum(waits) <= 0.5
    transport = conf.broker_transport_options
    assert transport["max_retries"] == 0  # one connection attempt per publish
    assert transport["socket_connect_timeout"] <= 2
    assert transport["socket_timeout"] <= 5
    assert conf.broker_connection_timeout <= 2


def test_workers_and_beat_reconnect_to_the_broker_for_as_long_as_it_takes(real_services) -> None:
    conf = celery_app.conf
    assert conf.broker_connection_retry is True
    assert conf.broker_connection_retry_on_startup is True
    assert conf.broker_connection_max_retries is None
    assert conf.worker_cancel_long_running_tasks_on_connection_loss is False


def test_sessions_and_messages_do_not_depend_on_redis(real_services) -> None:
    """A citizen's form keeps working while Redis is down (tests/faults/test_redis_outage.py)."""
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert settings.MESSAGE_STORAGE == "django.contrib.messages.storage.fallback.FallbackStorage"
