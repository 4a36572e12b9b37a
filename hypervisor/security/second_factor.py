"""Optional TOTP second factor for staff (django-otp), mandatory for the roles configured.

A user with a confirmed device logs in with password then code; the session then carries
the device (django-otp's `otp_device_id`). `ONDIJON_OTP_REQUIRED_FOR` lists roles (and
`superuser`) that must enrol: until they do, they may only open the enrolment page.
"""

from __future__ import annotations

import base64
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.db import transaction
from django.utils.html import escape
from django.utils.translation import gettext
from django_otp import DEVICE_ID_SESSION_KEY, user_has_device
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from hypervisor.roles import Role
from hypervisor.services import audit_record

SUPERUSER = "superuser"
DEVICE_NAME = "authenticator"


def required_for(user: Any) -> bool:
    """Whether this user must use a second factor, by role or as a superuser."""
    wanted = set(settings.OTP_REQUIRED_FOR)
    if not wanted or not user.is_authenticated:
        return False
    if SUPERUSER in wanted and user.is_superuser:
        return True
    roles = wanted - {SUPERUSER}
    return bool(roles) and user.groups.filter(name__in=roles).exists()


def enrolled(user: Any) -> bool:
    """Whether the user has a confirmed device, i.e. logs in with a code."""
    return bool(user.is_authenticated and user_has_device(user, confirmed=True))


def session_verified(user: Any, session: Any) -> bool:
    """Whether this session was opened with one of the user's confirmed devices."""
    persistent_id = session.get(DEVICE_ID_SESSION_KEY)
    if not persistent_id:
        return False
    device = Device.from_persistent_id(persistent_id)
    return bool(device is not None and device.user_id == user.pk and device.confirmed)


def verify(user: Any, token: str) -> TOTPDevice | None:
    """The confirmed device that accepts this code, if any (django-otp refuses replays)."""
    token = token.strip().replace(" ", "")
    if not token.isdigit():
        return None
    with transaction.atomic():
        for device in TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True):
            if device.verify_token(token):
                return device
    return None


def pending_device(user: Any) -> TOTPDevice:
    """The unconfirmed device being enrolled; the same secret is shown until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_of(device: TOTPDevice) -> str:
    """The key in base 32, grouped by four, for typing into an authenticator app."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// URL as an inline SVG QR code (no image request, no script)."""
    image = qrcode.make(
        device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2
    )
    svg: str = image.to_string(encoding="unicode")
    # An image needs a name (WCAG 1.1.1): the key is also printed below it as text.
    label = escape(gettext("QR code of the authenticator key"))
    return svg.replace("<svg ", f'<svg class="qr-code" role="img" aria-label="{label}" ', 1)


@transaction.atomic
def enrolment_confirm(*, user: Any, device: TOTPDevice, token: str) -> bool:
    """Confirm the pending device with its first code; the user's other devices go."""
    token = token.strip().replace(" ", "")
    if not token.isdigit() or not device.verify_token(token):
        return False
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(actor=user, action="otp.enrolled", target=f"user:{user.pk}")
    return True


@transaction.atomic
def second_factor_remove(*, user: Any, token: str) -> bool:
    """Turn the second factor off, proven by a current code."""
    if verify(user, token) is None:
        return False
    TOTPDevice.objects.filter(user=user).delete()
    audit_record(actor=user, action="otp.removed", target=f"user:{user.pk}")
    return True


@register()
def check_required_roles(**kwargs: Any) -> list[CheckMessage]:
    """ONDIJON_OTP_REQUIRED_FOR names roles that exist, or `superuser`."""
    known = {role.value for role in Role} | {SUPERUSER}
    unknown = sorted(set(settings.OTP_REQUIRED_FOR) - known)
    if not unknown:
        return []
    return [
        Error(
            f"ONDIJON_OTP_REQUIRED_FOR names unknown roles: {', '.join(unknown)}",
            hint=f"Use any of: {', '.join(sorted(known))}.",
            id="ondijon.E001",
        )
    ]
