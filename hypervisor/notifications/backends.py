"""Adapters that deliver notifications to the outside world.

Each adapter raises `NotificationError` saying whether the failure is permanent (a bad
number, a refused request) or worth retrying (a timeout, a 503), so the task knows.
"""

from __future__ import annotations

import json
import logging
import smtplib
import urllib.error
import urllib.request
from pathlib import Path
from typing import Protocol

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from hypervisor.models import Channel, Notification

logger = logging.getLogger(__name__)


class NotificationError(Exception):
    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent


class Backend(Protocol):
    def send(self, notification: Notification) -> None: ...


class ConsoleFileBackend:
    """Embedded mode: writes each message to the log and to a file, sends nothing."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path or settings.NOTIFICATIONS_FILE)

    def send(self, notification: Notification) -> None:
        line = json.dumps(
            {
                "at": timezone.now().isoformat(),
                "channel": notification.channel,
                "to": notification.address,
                "subject": notification.subject,
                "body": notification.body,
            },
            ensure_ascii=False,
        )
        # The file is the embedded mode's outbox; the log says only that a message went
        # there, never to whom nor what (recipients are often citizens).
        logger.info(
            "Notification %s (%s) written to %s", notification.pk, notification.channel, self.path
        )
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(line + "\n")
        except OSError as error:
            raise NotificationError(
                f"cannot write {self.path}: {error}", permanent=False
            ) from error


class DjangoMailBackend:
    """E-mail through Django's configured mail backend (SMTP in production)."""

    def send(self, notification: Notification) -> None:
        try:
            send_mail(
                notification.subject,
                notification.body,
                settings.DEFAULT_FROM_EMAIL,
                [notification.address],
                fail_silently=False,
            )
        except smtplib.SMTPRecipientsRefused as error:
            # The refusal names the address: the message says only what went wrong.
            codes = sorted({code for code, _reply in error.recipients.values()})
            raise NotificationError(
                f"mail server refused the recipient ({', '.join(map(str, codes))})",
                permanent=all(500 <= code < 600 for code in codes),
            ) from None
        except smtplib.SMTPResponseException as error:
            raise NotificationError(
                f"mail server answered {error.smtp_code}", permanent=500 <= error.smtp_code < 600
            ) from None
        except (OSError, TimeoutError) as error:
            raise NotificationError(
                f"mail server unreachable: {type(error).__name__}", permanent=False
            ) from error


class HttpSmsGatewayBackend:
    """An HTTP SMS gateway: POST {"to", "text"} with a bearer token."""

    def __init__(self, url: str, token: str, timeout: float = 5.0) -> None:
        self.url, self.token, self.timeout = url, token, timeout

    def send(self, notification: Notification) -> None:
        request = urllib.request.Request(  # noqa: S310 (the URL is the operator's configuration)
            self.url,
            data=json.dumps({"to": notification.address, "text": notification.body}).encode(),
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout):  # noqa: S310
                return
        except urllib.error.HTTPError as error:
            # 4xx means the request itself is wrong (bad number, bad token): retrying is useless,
            # except 429 which asks us to come back later.
            permanent = 400 <= error.code < 500 and error.code != 429
            raise NotificationError(
                f"SMS gateway answered {error.code}", permanent=permanent
            ) from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise NotificationError(f"SMS gateway unreachable: {error}", permanent=False) from error


class PushBackend:
    """In-app push to the recipient's open screens (control room, tablet)."""

    def send(self, notification: Notification) -> None:
        layer = get_channel_layer()
        if layer is None or notification.recipient_id is None:
            return
        try:
            async_to_sync(layer.group_send)(
                user_group(notification.recipient_id),
                {
                    "type": "notification.push",
                    "message": {
                        "type": "notification",
                        "id": notification.pk,
                        "subject": notification.subject,
                        "body": notification.body,
                    },
                },
            )
        except Exception as error:
            raise NotificationError(f"channel layer: {error}", permanent=False) from error


def user_group(user_id: int) -> str:
    return f"user-{user_id}"


def backend_for(channel: str) -> Backend:
    if channel == Channel.PUSH:
        return PushBackend()
    if channel == Channel.SMS and settings.SMS_GATEWAY_URL:
        return HttpSmsGatewayBackend(settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_TOKEN)
    if channel == Channel.EMAIL and settings.EMAIL_DELIVERY == "smtp":
        return DjangoMailBackend()
    return ConsoleFileBackend()
