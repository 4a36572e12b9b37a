"""Quotas: anonymous callers per address, key holders per key (a higher quota)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from hypervisor.client_address import client_ip
from opendata import selectors
from opendata.models import ApiKey

KEY_HEADER = "X-Api-Key"


class ApiKeyAuthentication(BaseAuthentication):
    """A key in the X-Api-Key header raises the quota; an unknown key is refused."""

    def authenticate(self, request: Request) -> tuple[AnonymousUser, ApiKey] | None:
        raw = request.headers.get(KEY_HEADER)
        if not raw:
            return None
        key = selectors.api_key_active(raw=raw)
        if key is None:
            raise AuthenticationFailed(_("Unknown or revoked API key."))
        return AnonymousUser(), key

    def authenticate_header(self, request: Request) -> str:
        return KEY_HEADER


class OpenDataThrottle(SimpleRateThrottle):
    """A counter per caller and window (one cache increment per request).

    DRF's own throttle keeps every request's time in one cached list, which an hourly
    quota of thousands of requests would turn into a large read and write per request.
    """

    scope = "opendata"

    def get_rate(self) -> str:
        return settings.OPENDATA_RATE_ANONYMOUS

    def allow_request(self, request: Request, view: Any) -> bool:
        keyed = isinstance(request.auth, ApiKey)
        self.rate = settings.OPENDATA_RATE_KEY if keyed else settings.OPENDATA_RATE_ANONYMOUS
        self.num_requests, self.duration = self.parse_rate(self.rate)
        if self.num_requests is None or self.duration is None:
            return True
        caller = self.get_cache_key(request, view)
        now = self.timer()
        window = int(now // self.duration)
        self.window_end = (window + 1) * self.duration
        key = f"{caller}:{self.duration}:{window}"
        # add() then incr(): the first request of a window creates the counter, with an
        # expiry, and concurrent requests never reset it.
        self.cache.add(key, 0, timeout=self.duration + 1)
        try:
            count = self.cache.incr(key)
        except ValueError:  # expired between the two calls
            self.cache.add(key, 1, timeout=self.duration + 1)
            count = 1
        return bool(count <= self.num_requests)

    def wait(self) -> float | None:
        return max(1.0, self.window_end - self.timer())

    def get_ident(self, request: Request) -> str:
        """The client address every other limit counts (DRF's own trusts X-Forwarded-For)."""
        return client_ip(request)

    def get_cache_key(self, request: Request, view: Any) -> str:
        if isinstance(request.auth, ApiKey):
            return f"throttle_opendata_key_{request.auth.pk}"
        return f"throttle_opendata_anon_{self.get_ident(request)}"


class ApiKeyScheme(OpenApiAuthenticationExtension):
    """Documents the key header in the OpenAPI schema."""

    target_class = "opendata.throttling.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "header", "name": KEY_HEADER}
