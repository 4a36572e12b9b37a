"""Nothing is lost while the broker is unreachable: every incident is routed exactly once.

The application reaches Redis (as a broker) through a TCP relay that the test cuts and
restores, so the real Redis keeps serving everyone else while OnDijon sees it vanish.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.utils import timezone

from hypervisor.models import Event
from incidents import services
from incidents.models import Incident, Status
from ondijon.celery import app as celery_app
from ondijon.celery import breaker

pytestmark = pytest.mark.integration


class CuttableRelay:
    """Forwards a local port to Redis until cut; restored on the same port."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = 0
        self.connections: list[socket.socket] = []
        self.listener: socket.socket | None = None
        self.open()

    def open(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.connections += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            with contextlib.suppress(OSError):
                while data := source.recv(65536):
                    sink.sendall(data)
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.close()

    def cut(self) -> None:
        """Refuse new connections and drop the open ones: the broker is gone."""
        assert self.listener is not None
        self.listener.close()
        for connection in self.connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
                connection.close()
        self.connections = []


def _point_broker_at(url: str) -> None:
    celery_app.conf.broker_url = url
    celery_app.conf.broker_write_url = url
    celery_app.conf.broker_read_url = url
    celery_app._pool = None  # the pools cache the old address
    celery_app.amqp._producer_pool = None
    breaker.reset()


@pytest.fixture
def relayed_broker(real_services) -> Iterator[CuttableRelay]:  # type: ignore[no-untyped-def]
    redis = urlsplit(settings.CELERY_BROKER_URL)
    relay = CuttableRelay(redis.hostname or "127.0.0.1", redis.port or 6379)
    original = celery_app.conf.broker_url
    _point_broker_at(f"redis://127.0.0.1:{relay.port}{redis.path}")
    celery_app.conf.task_always_eager = False
    yield relay
    relay.cut()
    _point_broker_at(original)


def _report(client, index: int) -> float:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    response = client.post(
        "/signaler/",
        {
            "category": "signalisation-feu" if index % 2 else "eclairage-panne",
            "description": f"Signalement {index} pendant la panne",
            "lat": 47.3225 + index * 0.001,
            "lon": 5.0317,
        },
    )
    assert response.status_code == 302
    return time.monotonic() - started


def test_reports_made_while_the_broker_is_down_are_routed_exactly_once_when_it_is_back(
    relayed_broker, reference_configuration, client
) -> None:
    from celery.contrib.testing.worker import start_worker

    relayed_broker.cut()
    durations = [_report(client, index) for index in range(6)]
    # The citizen is not kept waiting by the dead broker, and nothing is routed yet.
    assert max(durations) < 3
    assert Incident.objects.count() == 6
    assert not Incident.objects.filter(routed_at__isnull=False).exists()

    relayed_broker.open()
    breaker.reset()  # publishing pauses for a few seconds after a failure; skip the wait
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        later = timezone.now() + timedelta(minutes=5)
        # Two sweeps in a row hand every incident over twice: the second must do nothing.
        assert services.incidents_relay_pending(now=later)["route"] == 6
        services.incidents_relay_pending(now=later)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if not Incident.objects.filter(status=Status.NEW).exists():
                break
            time.sleep(0.1)
        time.sleep(0.5)  # let the duplicate deliveries run too

    for incident in Incident.objects.all():
        assert incident.status in (Status.ROUTED, Status.ASSIGNED), incident.reference
        assert incident.transitions.filter(to_status=Status.ROUTED).count() == 1
        assert Event.objects.filter(kind="incident.routed", asset_id=str(incident.pk)).count() == 1


def test_an_emergency_is_handed_over_again_within_seconds_not_an_hour(
    relayed_broker, reference_configuration, client
) -> None:
    relayed_broker.cut()
    _report(client, 1)  # a traffic light out: an emergency
    incident = Incident.objects.get()
    assert incident.priority == "emergency"
    relayed_broker.open()
    breaker.reset()  # publishing pauses for a few seconds after a failure; skip the wait
    soon = incident.created_at + timedelta(
        seconds=settings.INCIDENTS_EMERGENCY_RELAY_AFTER_SECONDS + 1
    )
    assert services.incidents_relay_pending(now=soon)["route"] == 1
    celery_app.control.purge()  # no worker here: leave no message behind for other tests
