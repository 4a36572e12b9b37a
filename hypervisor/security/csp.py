"""Content Security Policy header, with the live sockets of this very host allowed."""

from __future__ import annotations

from csp.middleware import CSPMiddleware, PolicyParts
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponseBase


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware; connect-src also names ws:// and wss:// of the request's host.

    CSP Level 3 browsers match those with 'self' already; naming them keeps older engines
    (and tablets that lag behind) connecting to /ws/ without opening connect-src to others.
    The host is the one Django validated against ALLOWED_HOSTS.
    """

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        try:
            host = request.get_host()
        except DisallowedHost:  # the response is already an error page
            return parts
        sockets = [f"ws://{host}", f"wss://{host}"]
        update = dict(parts.update or {})
        update["connect-src"] = [*update.get("connect-src", []), *sockets]
        parts.update = update
        return parts
