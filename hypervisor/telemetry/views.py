"""POST /api/v1/telemetry/: gateways post batches of readings with their own bearer token."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import authentication, exceptions, permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hypervisor import access
from hypervisor.models import Gateway
from hypervisor.telemetry import services


class GatewayTokenAuthentication(authentication.BaseAuthentication):
    """Authorization: Bearer <token>; the token is compared by its hash."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        scheme, _sep, token = header.partition(" ")
        if scheme != self.keyword or not token.strip():
            return None
        gateway = services.gateway_authenticate(token=token.strip())
        if gateway is None:
            raise exceptions.AuthenticationFailed(_("Unknown or inactive gateway token."))
        return (None, gateway)

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="telemetry"'


class GatewayTokenScheme(OpenApiAuthenticationExtension):
    """Describes the gateway token in the OpenAPI schema (a bearer token)."""

    target_class = GatewayTokenAuthentication
    name = "gatewayToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=GatewayTokenAuthentication.keyword
        )


class IsGateway(permissions.BasePermission):
    message = "A gateway token is required."

    def has_permission(self, request: Request, view: Any) -> bool:
        return request.auth is not None


@access.public  # No user session: the gateway token is checked by the authentication class.
class TelemetryView(APIView):
    authentication_classes = [GatewayTokenAuthentication]
    permission_classes = [IsGateway]

    @extend_schema(
        request={"application/json": {"type": "array"}, "application/x-ndjson": str},
        responses={200: OpenApiResponse(description="accepted, duplicates and refused readings")},
        summary="Post a batch of readings (JSON array or NDJSON)",
    )
    def post(self, request: Request) -> Response:
        try:
            items = services.batch_parse(request.body)
        except (services.BatchUnreadable, UnicodeDecodeError) as error:
            return Response({"detail": str(error)}, status=status.HTTP_400_BAD_REQUEST)
        if len(items) > settings.TELEMETRY_MAX_BATCH:
            return Response(
                {
                    "detail": _("A batch holds at most %(limit)d readings.")
                    % {"limit": settings.TELEMETRY_MAX_BATCH}
                },
                status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            )
        gateway = cast(Gateway, request.auth)  # set by GatewayTokenAuthentication
        result = services.telemetry_ingest(gateway=gateway, items=items)
        return Response(result.as_dict(), status=status.HTTP_200_OK)
