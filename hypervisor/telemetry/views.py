"""POST /api/v1/telemetry/: gateways post batches of readings with their own bearer token."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import authentication, exceptions, serializers, status
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
    """Documents the gateway's bearer token in the OpenAPI schema."""

    target_class = GatewayTokenAuthentication
    name = "GatewayToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer"}


# Any readings: each one is checked on its own and refused with its reason.
_BATCH = {"type": "array", "items": {}, "minItems": 1}
_ERROR = inline_serializer("TelemetryError", {"detail": serializers.CharField()})
_RESULT = inline_serializer(
    "TelemetryResult",
    {
        "accepted": serializers.IntegerField(),
        "duplicates": serializers.IntegerField(),
        "refused": serializers.ListField(
            child=inline_serializer(
                "TelemetryRefusal",
                {
                    "index": serializers.IntegerField(),
                    "message_id": serializers.JSONField(allow_null=True),
                    "reason": serializers.CharField(),
                },
            )
        ),
    },
)


@access.credential("gateway token")  # checked by the authentication class, never a session
class TelemetryView(APIView):
    authentication_classes = [GatewayTokenAuthentication]
    request_body_required = True  # read by the schema: a batch cannot be left out

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        """A method the view does not serve is a 405, even before the token is looked at."""
        method = (request.method or "").lower()
        if method not in self.http_method_names or not hasattr(self, method):
            raise exceptions.MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)

    @staticmethod
    def _body(request: Request) -> bytes | None:
        """The body up to the telemetry limit, or None when it is larger.

        Read from the stream, not through `request.body`, whose general limit
        (DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB, a bare HTML 400) is too small for the
        documented batch of 10,000 readings.
        """
        limit = settings.TELEMETRY_MAX_BODY_BYTES
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            return None
        body = request._request.read(limit + 1)
        return None if len(body) > limit else body

    @extend_schema(
        request={
            "application/json": _BATCH,
            # The same readings, one JSON object per line.
            "application/x-ndjson": _BATCH,
        },
        responses={
            200: OpenApiResponse(_RESULT, description="Accepted, duplicate and refused readings"),
            400: OpenApiResponse(_ERROR, description="The body is neither JSON nor NDJSON"),
            401: OpenApiResponse(_ERROR, description="No valid gateway token"),
            413: OpenApiResponse(_ERROR, description="Too many readings in one batch"),
        },
        summary="Post a batch of readings (JSON array or NDJSON)",
    )
    def post(self, request: Request) -> Response:
        body = self._body(request)
        if body is None:
            limit = settings.TELEMETRY_MAX_BODY_BYTES
            return Response(
                {
                    "detail": _(
                        "A batch body holds at most %(limit)d bytes; split it into smaller batches."
                    )
                    % {"limit": limit},
                    "limit_bytes": limit,
                },
                status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            )
        try:
            media_type = request.content_type.split(";")[0].strip().lower()
            items = services.batch_parse(body, media_type=media_type)
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
