"""A live socket is accepted only from a page of this very site: scheme, host and port.

Channels' `AllowedHostsOriginValidator` compares the Origin's host name with
ALLOWED_HOSTS only: a page served by another port of the same host (another service on
the machine) or over plain HTTP could open the staff's sockets with their cookies. Here
the Origin must name the host and port the socket was opened on (its Host header), and
HTTPS whenever the site redirects to HTTPS; the host must still be an allowed one.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from channels.security.websocket import AllowedHostsOriginValidator, WebsocketDenier
from django.conf import settings


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


def same_origin(origin: str, host_header: str) -> bool:
    """Whether `origin` is this site as the socket's Host header names it."""
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    if parts.scheme == "http" and settings.SECURE_SSL_REDIRECT:
        return False
    expected = urlsplit(f"//{host_header}")
    if not expected.hostname or expected.hostname.lower() != parts.hostname.lower():
        return False
    try:
        origin_port = parts.port or _default_port(parts.scheme)
        host_port = expected.port or _default_port(parts.scheme)
    except ValueError:
        return False
    return origin_port == host_port


class SameOriginValidator:
    """ASGI middleware for WebSockets: refuses a foreign origin (403 at the handshake)."""

    def __init__(self, application: Any) -> None:
        self.allowed_hosts = AllowedHostsOriginValidator(application)
        self.application = application

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        headers = dict(scope.get("headers", []))
        origin = headers.get(b"origin", b"").decode("latin-1")
        host = headers.get(b"host", b"").decode("latin-1")
        # HTTP/1.1 clients always send Host; only in-process test clients leave it out, and
        # then the allowed-hosts check below still applies.
        if scope["type"] == "websocket" and host and not same_origin(origin, host):
            denier = WebsocketDenier()
            return await denier(scope, receive, send)
        return await self.allowed_hosts(scope, receive, send)
