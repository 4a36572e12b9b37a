"""How a TALQ gateway signs in: HTTP Basic or Bearer, with the secret an admin issued.

Vendors' gateways can be configured with HTTP Basic credentials (user name = the gateway's
TALQ address, password = the secret) or with a bearer token; both carry the same secret,
compared by its hash. A revoked gateway is refused at once.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from hypervisor.telemetry.services import gateway_authenticate
from lighting.talq import selectors


class TalqGatewayAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        scheme, _sep, credentials = header.partition(" ")
        scheme = scheme.lower()
        if scheme == "bearer":
            secret = credentials.strip()
        elif scheme == "basic":
            try:
                decoded = base64.b64decode(credentials.strip(), validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                raise exceptions.AuthenticationFailed(_("Malformed Basic credentials.")) from None
            _user, _colon, secret = decoded.partition(":")
        else:
            return None
        credential = gateway_authenticate(token=secret)
        gateway = (
            selectors.talq_gateway_for_credential(credential_id=credential.pk)
            if credential is not None
            else None
        )
        if gateway is None:
            raise exceptions.AuthenticationFailed(_("Unknown or revoked gateway credentials."))
        return (None, gateway)

    def authenticate_header(self, request: Request) -> str:
        return 'Basic realm="talq", charset="UTF-8"'
