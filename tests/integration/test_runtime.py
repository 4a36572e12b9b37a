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


def test_celery_acknowledges_late_and_requeues_work_of_a_dead_worker(real_services) -> None:
    conf = celery_app.conf
    assert conf.broker_url == settings.REDIS_URL
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    # Redelivery after a worker death must come well within the one-hour emergency deadline.
    assert conf.broker_transport_options["visibility_timeout"] <= 600
