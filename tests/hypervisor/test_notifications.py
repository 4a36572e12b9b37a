from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from hypervisor.models import Notification, StaffProfile
from hypervisor.notifications.backends import NotificationError
from hypervisor.services import notification_deliver, notify
from hypervisor.services.notifications import RetryLater


@pytest.fixture
def reachable_supervisor(supervisor):  # type: ignore[no-untyped-def]
    supervisor.email = "samuel@ondijon.example"
    supervisor.save()
    StaffProfile.objects.create(user=supervisor, phone="+33600000001")
    return supervisor


def test_one_notification_is_stored_per_person_and_channel(reachable_supervisor, operator) -> None:
    notify(users=[reachable_supervisor, operator], channels=["sms", "email"], subject="S", body="B")
    # The operator has neither phone nor e-mail: nothing can reach them on those channels.
    assert sorted(Notification.objects.values_list("channel", "address")) == [
        ("email", "samuel@ondijon.example"),
        ("sms", "+33600000001"),
    ]


def test_notifying_again_with_the_same_key_creates_nothing(reachable_supervisor) -> None:
    for _attempt in range(2):
        notify(users=[reachable_supervisor], channels=["sms"], subject="S", body="B", dedup_key="k")
    assert Notification.objects.count() == 1


def test_the_file_backend_writes_the_message_and_marks_it_sent(
    reachable_supervisor, settings, tmp_path
) -> None:
    settings.NOTIFICATIONS_FILE = tmp_path / "notifications.log"
    [notification] = notify(
        users=[reachable_supervisor], channels=["sms"], subject="Alerte", body="Feu éteint"
    )
    notification_deliver(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    line = json.loads(settings.NOTIFICATIONS_FILE.read_text().splitlines()[0])
    assert (line["to"], line["body"]) == ("+33600000001", "Feu éteint")


def test_delivering_twice_sends_once(reachable_supervisor, settings, tmp_path) -> None:
    settings.NOTIFICATIONS_FILE = tmp_path / "notifications.log"
    [notification] = notify(users=[reachable_supervisor], channels=["sms"], subject="S", body="B")
    notification_deliver(notification_id=notification.pk)
    notification_deliver(notification_id=notification.pk)
    assert len(settings.NOTIFICATIONS_FILE.read_text().splitlines()) == 1


class SmsGateway:
    """A stand-in for the operator's SMS gateway, answering with a chosen status."""

    def __init__(self, status: int) -> None:
        self.received: list[dict] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                gateway.received.append(
                    {"auth": self.headers["Authorization"], **json.loads(self.rfile.read(length))}
                )
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/messages"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def gateway(request, settings) -> Iterator[SmsGateway]:  # type: ignore[no-untyped-def]
    fake = SmsGateway(request.param)
    settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_TOKEN = fake.url, "secret-token"
    yield fake
    fake.server.shutdown()


@pytest.mark.parametrize("gateway", [200], indirect=True)
def test_the_sms_gateway_receives_number_text_and_token(gateway, reachable_supervisor) -> None:
    [sms] = notify(users=[reachable_supervisor], channels=["sms"], subject="S", body="Feu éteint")
    notification_deliver(notification_id=sms.pk)
    assert gateway.received == [
        {"auth": "Bearer secret-token", "to": "+33600000001", "text": "Feu éteint"}
    ]
    sms.refresh_from_db()
    assert sms.status == Notification.Status.SENT


@pytest.mark.parametrize("gateway", [400], indirect=True)
def test_a_refused_sms_fails_for_good_without_retry(gateway, reachable_supervisor) -> None:
    [sms] = notify(users=[reachable_supervisor], channels=["sms"], subject="S", body="B")
    notification_deliver(notification_id=sms.pk)
    sms.refresh_from_db()
    assert (sms.status, sms.attempts) == (Notification.Status.FAILED, 1)


@pytest.mark.parametrize("gateway", [503], indirect=True)
def test_an_unavailable_gateway_is_retried(gateway, reachable_supervisor) -> None:
    [sms] = notify(users=[reachable_supervisor], channels=["sms"], subject="S", body="B")
    with pytest.raises(RetryLater):
        notification_deliver(notification_id=sms.pk)
    sms.refresh_from_db()
    assert (sms.status, sms.attempts) == (Notification.Status.PENDING, 1)
    assert "503" in sms.last_error


def test_an_unreachable_gateway_is_a_retryable_error(settings) -> None:
    from hypervisor.notifications.backends import HttpSmsGatewayBackend

    backend = HttpSmsGatewayBackend("http://127.0.0.1:1/messages", "t", timeout=1)
    with pytest.raises(NotificationError) as error:
        backend.send(Notification(channel="sms", address="+33600000001", subject="S", body="B"))
    assert error.value.permanent is False


def test_pending_notifications_are_handed_over_again_unless_a_backlog_is_queued(
    reachable_supervisor, monkeypatch
) -> None:
    from datetime import timedelta

    from hypervisor.services import notifications
    from hypervisor.tasks import send_notification

    monkeypatch.setattr(send_notification, "delay", lambda *args: None)  # the broker lost it
    notify(users=[reachable_supervisor], channels=["sms"], subject="S", body="B")
    monkeypatch.setattr("ondijon.celery.ordinary_backlog", lambda: 300)
    assert notifications.notifications_requeue_stale(older_than=timedelta(0)) == 0
    monkeypatch.setattr("ondijon.celery.ordinary_backlog", lambda: 0)
    assert notifications.notifications_requeue_stale(older_than=timedelta(0)) == 1
