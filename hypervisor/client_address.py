"""The client's address as rate limits count it: the socket's, or a trusted proxy's header.

django-ratelimit reads it through `RATELIMIT_IP_META_KEY` (see settings), so every limit
keyed on the client address (citizen reports, Open311 POST, open-data key requests) agrees.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def meta_key(header: str) -> str:
    """`X-Forwarded-For` → `HTTP_X_FORWARDED_FOR`, the name Django gives it in META."""
    name = header.strip().upper().replace("-", "_")
    return name if name.startswith("HTTP_") else f"HTTP_{name}"


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or the address the reverse proxy wrote in `ONDIJON_CLIENT_IP_HEADER`.

    Without a configured header, forwarding headers are ignored: anyone can send an
    X-Forwarded-For, and trusting it would let one client take a fresh address per request.
    With one, the right-most address of the header is used: the one the nearest proxy
    appended, which the client cannot choose (what it sent itself stays on the left). A
    request without the header, or with something that is not an address, counts under the
    socket's address.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    header = settings.CLIENT_IP_HEADER
    if not header:
        return remote
    forwarded = request.META.get(meta_key(header), "")
    candidate = forwarded.rsplit(",", 1)[-1].strip()
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
