"""Publishing to a broker that is down fails fast, then is not even tried for a moment."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from kombu.exceptions import OperationalError

from ondijon.celery import BrokerUnavailable, app, breaker, ordinary_backlog
from tests.conftest import free_port


@pytest.fixture
def dead_broker() -> Iterator[None]:
    """Tasks are published (not run in-process) to a port nobody listens on."""
    conf = app.conf
    saved = conf.broker_url, conf.broker_write_url, conf.broker_read_url, conf.task_always_eager
    url = f"redis://127.0.0.1:{free_port()}/0"
    conf.broker_url = conf.broker_write_url = conf.broker_read_url = url
    conf.task_always_eager = False
    app._pool = None
    app.amqp._producer_pool = None
    breaker.reset()
    yield
    conf.broker_url, conf.broker_write_url, conf.broker_read_url, conf.task_always_eager = saved
    app._pool = None
    app.amqp._producer_pool = None
    breaker.reset()


def test_a_publish_to_a_dead_broker_fails_within_a_second(dead_broker) -> None:
    from incidents.tasks import route_incident

    started = time.monotonic()
    with pytest.raises(OperationalError):
        route_incident.apply_async((1,), retry=False)
    assert time.monotonic() - started < 1


def test_after_a_failed_publish_the_next_ones_fail_at_once_without_connecting(
    dead_broker, monkeypatch
) -> None:
    from celery import Task

    from hypervisor.tasks import apply_alarm_rules

    with pytest.raises(OperationalError):
        apply_alarm_rules.delay(1)
    attempts = []
    monkeypatch.setattr(Task, "apply_async", lambda *args, **kwargs: attempts.append(args))
    with pytest.raises(BrokerUnavailable):
        apply_alarm_rules.delay(2)
    assert attempts == []
    assert breaker.open


def test_publishing_is_tried_again_once_the_pause_is_over(dead_broker, monkeypatch) -> None:
    from incidents.tasks import route_incident

    with pytest.raises(OperationalError):
        route_incident.apply_async((1,), retry=False)
    monkeypatch.setattr(breaker, "_until", time.monotonic() - 1)
    with pytest.raises(OperationalError) as tried:
        route_incident.apply_async((1,), retry=False)
    assert not isinstance(tried.value, BrokerUnavailable)


def test_tasks_run_in_process_are_not_guarded(dead_broker, db) -> None:
    from incidents.tasks import route_incident

    breaker.failed(OperationalError("down"))
    app.conf.task_always_eager = True
    result = route_incident.apply_async((999_999,))  # runs here; no such incident, logged
    assert result.successful()


def test_an_unreachable_broker_reports_no_backlog(dead_broker) -> None:
    assert ordinary_backlog() == 0
