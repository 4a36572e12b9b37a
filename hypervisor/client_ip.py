"""The address of the client behind a request: one rule for every limit keyed on it.

Login throttling, the citizens' submission limit and the logs all count per client
address. Headers such as X-Forwarded-For are written by whoever sends the request, so
they are read only when the operator says a trusted proxy sets one
(`ONDIJON_CLIENT_IP_HEADER`), and then only its right-most entry, the one that proxy
appended; otherwise the address is the TCP peer (REMOTE_ADDR, which uvicorn already
rewrites from the proxy's headers when `FORWARDED_ALLOW_IPS` trusts it).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

UNKNOWN = "unknown"


def _valid(candidate: str) -> str | None:
    candidate = candidate.strip()
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def _meta_key(header: str) -> str:
    return "HTTP_" + header.strip().upper().replace("-", "_")


def client_address(request: HttpRequest) -> str:
    """The client's IP address as text; `unknown` when nothing trustworthy names one."""
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    if header:
        value = request.META.get(_meta_key(header), "")
        entries = [entry for entry in value.split(",") if entry.strip()]
        if entries:
            address = _valid(entries[-1])
            if address:
                return address
    return _valid(request.META.get("REMOTE_ADDR", "")) or UNKNOWN
