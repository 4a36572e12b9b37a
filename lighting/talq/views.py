"""/talq/: the CMS API of the TALQ 2.7.1 specification, served to authenticated gateways.

Views only parse, authorise and call services; every error is a list of TALQ error
messages (key, description, references), as the published CMS API file defines them.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, ClassVar
from uuid import UUID

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status, throttling
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hypervisor import access
from lighting.talq import published, selectors, services
from lighting.talq.authentication import TalqGatewayAuthentication
from lighting.talq.models import TalqDocument, TalqGateway

API_VERSION_HEADER = "talq-api-version"
SUPPORTED_MAJOR = "2"


class TalqError(exceptions.APIException):
    """A request refused with TALQ error messages."""

    def __init__(self, code: int, messages: list[dict[str, Any]]) -> None:
        super().__init__()
        self.status_code = code
        self.messages = messages


def error(key: str, description: str, address: str = "") -> dict[str, Any]:
    message: dict[str, Any] = {"key": key, "description": description}
    if address:
        message["references"] = [{"address": {"resource": "device", "address": address}}]
    return message


def refusals(refused: list[services.Refusal]) -> list[dict[str, Any]]:
    return [error(item.key, item.description, item.address) for item in refused]


class TalqGatewayThrottle(throttling.SimpleRateThrottle):
    """Requests per gateway; beyond the rate a gateway gets 429 with Retry-After."""

    scope = "talq"

    def get_rate(self) -> str:
        return str(settings.TALQ_GATEWAY_RATE)

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        gateway = request.auth
        return f"throttle_talq_{gateway.pk}" if isinstance(gateway, TalqGateway) else None


# Python refuses to read integers of more than 4,300 digits; far below that, a number is
# kept as infinity, which every check refuses where it is read.
MAX_INTEGER_DIGITS = 4000
SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
LONG_DIGITS = re.compile(rf"\d{{{MAX_INTEGER_DIGITS + 1}}}")


def _parse_integer(text: str) -> float | int:
    return int(text) if len(text) <= MAX_INTEGER_DIGITS else math.inf


def _not_storable(value: Any) -> str:
    """Why a value cannot be kept (a non-finite number, a NUL or a lone surrogate), or ""."""
    if isinstance(value, float) and not math.isfinite(value):
        return _("Numbers must be finite (no NaN, no infinity, at most 4,000 digits).")
    if isinstance(value, str):
        if "\x00" in value:
            return _("Text cannot contain NUL characters.")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return _("Text must be valid Unicode.")
        return ""
    if isinstance(value, dict):
        items: list[Any] = [*value.keys(), *value.values()]
    elif isinstance(value, list):
        items = value
    else:
        return ""
    for item in items:
        reason = _not_storable(item)
        if reason:
            return reason
    return ""


@access.credential("TALQ gateway credentials")
class TalqView(APIView):
    """Common ground: authentication, the TALQ headers and parameters, TALQ errors."""

    authentication_classes = [TalqGatewayAuthentication]
    throttle_classes = [TalqGatewayThrottle]
    renderer_classes = [JSONRenderer]
    parser_classes = []  # the body is read by `payload`, strictly
    schema = None  # described by the published TALQ CMS API file, not by our schema
    # Only the methods the file defines: no HEAD or OPTIONS, which it does not document.
    http_method_names = ["get", "post", "put", "patch", "delete"]
    spec_path: ClassVar[str] = ""  # the operation's path in the published CMS API file

    @property
    def gateway(self) -> TalqGateway:
        gateway = self.request.auth
        assert isinstance(gateway, TalqGateway)  # set by TalqGatewayAuthentication
        return gateway

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        method = (request.method or "").lower()
        if method not in self.http_method_names or not hasattr(self, method):
            raise exceptions.MethodNotAllowed(method.upper())
        super().initial(request, *args, **kwargs)
        version = request.headers.get(API_VERSION_HEADER)
        if version is None:
            raise TalqError(
                400, [error("headerMissing", _("The talq-api-version header is missing."))]
            )
        if version.split(".")[0] != SUPPORTED_MAJOR:
            raise TalqError(
                400,
                [
                    error(
                        "headerValueNotValid",
                        _("OnDijon implements the TALQ API 2.7.1, not version %(version)s.")
                        % {"version": version[:20]},
                    )
                ],
            )
        client = request.query_params.get("clientAddress")
        if client is None:
            raise TalqError(400, [error("parameterMissing", _("clientAddress is missing."))])
        try:
            client_address = UUID(client)
        except ValueError:
            raise TalqError(
                400, [error("parameterValueNotValid", _("clientAddress is not a UUID."))]
            ) from None
        if client_address != self.gateway.address:
            raise TalqError(
                400,
                [
                    error(
                        "parameterValueNotValid",
                        _("clientAddress is not the address of the authenticated gateway."),
                    )
                ],
            )
        for name in ("talqRequestId", "talqOriginRequestId"):
            value = request.query_params.get(name)
            if value is None:
                if name == "talqRequestId" and self.requires_request_id(method):
                    raise TalqError(
                        400, [error("parameterMissing", _("talqRequestId is missing."))]
                    )
                continue
            try:
                UUID(value)
            except ValueError:
                raise TalqError(
                    400,
                    [
                        error(
                            "parameterValueNotValid", _("%(name)s is not a UUID.") % {"name": name}
                        )
                    ],
                ) from None

    def requires_request_id(self, method: str) -> bool:
        return method != "get"

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, TalqError):
            return Response(exc.messages, status=exc.status_code)
        response = super().handle_exception(exc)
        detail = response.data.get("detail") if isinstance(response.data, dict) else response.data
        key = "genericError"
        if isinstance(exc, exceptions.MethodNotAllowed):
            key = "resourceNotFound"
        response.data = [error(key, str(detail))]
        return response

    def payload(self, *, many: bool, entries_checked_alone: bool = False) -> Any:
        """The JSON body; NaN, infinities and numbers beyond reason are refused.

        With `entries_checked_alone` (log reports), such values are left for each entry's
        own check, so that one bad value refuses its entry and not the whole report.
        """
        text = request_text_or_error(self.request)
        try:
            # Python reads NaN and infinities as floats; integers beyond reason need the hook,
            # which costs a call per integer, so it is used only when such a run of digits is
            # in the body.
            hook = _parse_integer if LONG_DIGITS.search(text) else None
            body = json.loads(text, parse_int=hook)
        except (ValueError, RecursionError) as problem:
            raise TalqError(
                400,
                [
                    error(
                        "payloadError",
                        _("The body is not valid JSON: %(error)s") % {"error": str(problem)[:200]},
                    )
                ],
            ) from None
        if not entries_checked_alone:
            # Well-formed, but what cannot be kept is refused as a semantic error.
            reason = _not_storable(body)
            if reason:
                raise TalqError(422, [error("payloadError", reason)])
            self.check_against_published_file(body)
        if many and not isinstance(body, list):
            raise TalqError(400, [error("payloadError", _("The body must be a JSON array."))])
        if not many and not isinstance(body, dict):
            raise TalqError(400, [error("payloadError", _("The body must be a JSON object."))])
        if many and len(body) > settings.TELEMETRY_MAX_BATCH:
            raise TalqError(
                400,
                [
                    error(
                        "payloadError",
                        _("At most %(limit)d items per request.")
                        % {"limit": settings.TELEMETRY_MAX_BATCH},
                    )
                ],
            )
        return body

    def check_against_published_file(self, body: Any) -> None:
        """A body the published CMS API file does not allow is refused, saying why."""
        method = (self.request.method or "").lower()
        problems = published.errors_of(
            published.body_validator(path=self.spec_path, method=method), body
        )
        if problems:
            raise TalqError(400, [error("payloadError", problem) for problem in problems])


def request_text(request: Request) -> str:
    return request.body.decode("utf-8") if request.body else ""


def request_text_or_error(request: Request) -> str:
    try:
        return request_text(request)
    except UnicodeDecodeError:
        raise TalqError(400, [error("payloadError", _("The body is not UTF-8 text."))]) from None


def _not_found(what: str) -> TalqError:
    return TalqError(
        404, [error("resourceNotFound", _("%(what)s does not exist.") % {"what": what})]
    )


class ServicesView(TalqView):
    spec_path = "/services"

    def post(self, request: Request) -> Response:
        announced = self.payload(many=True)
        if not all(
            isinstance(item, dict) and isinstance(item.get("name"), str) for item in announced
        ):
            raise TalqError(400, [error("payloadError", _("Each service needs its name."))])
        services.talq_services_announce(gateway=self.gateway, services=announced)
        return Response(status=status.HTTP_201_CREATED)


class DevicesView(TalqView):
    spec_path = "/devices"

    def get(self, request: Request) -> Response:
        classes = request.query_params.getlist("deviceClasses")
        devices = selectors.talq_devices(gateway=self.gateway, classes=classes)
        headers: dict[str, str] = {}
        if "offset" in request.query_params or "limit" in request.query_params:
            try:
                offset = max(int(request.query_params.get("offset", 0)), 0)
                limit = int(request.query_params.get("limit", settings.TALQ_PAGE_SIZE))
            except ValueError:
                raise TalqError(
                    400, [error("parameterValueNotValid", _("offset and limit are integers."))]
                ) from None
            limit = min(max(limit, 0), settings.TALQ_PAGE_SIZE)
            total = devices.count()
            devices = devices[offset : offset + limit]
            headers = {
                "pagination-offset": str(offset),
                "pagination-defaultLimit": str(settings.TALQ_PAGE_SIZE),
                "pagination-totalCount": str(total),
            }
        documents = [selectors.device_document(device) for device in devices]
        if headers:
            headers["pagination-count"] = str(len(documents))
        return Response(documents, headers=headers)

    def _declare(
        self, *, replace: bool = False, partial: bool = False, created: int = 200
    ) -> Response:
        kept, refused = services.talq_devices_declare(
            gateway=self.gateway, devices=self.payload(many=True), replace=replace, partial=partial
        )
        if refused:
            code = 409 if all(item.key == "resourceConflict" for item in refused) else 422
            if all(item.key == "resourceNotFound" for item in refused):
                code = 404
            raise TalqError(code, refusals(refused))
        if partial:
            return Response(status=status.HTTP_200_OK)
        return Response([selectors.device_document(device) for device in kept], status=created)

    def post(self, request: Request) -> Response:
        return self._declare(created=status.HTTP_201_CREATED)

    def put(self, request: Request) -> Response:
        return self._declare(replace=True)

    def patch(self, request: Request) -> Response:
        return self._declare(partial=True)


class OneDeviceView(TalqView):
    def _device(self, address: str) -> Any:
        device = selectors.talq_device(gateway=self.gateway, address=address)
        if device is None:
            raise _not_found(address[:60])
        return device


class DeviceView(OneDeviceView):
    spec_path = "/devices/{deviceAddress}"

    def get(self, request: Request, address: str) -> Response:
        return Response(selectors.device_document(self._device(address)))

    def delete(self, request: Request, address: str) -> Response:
        device = self._device(address)
        document = selectors.device_document(device)
        services.talq_device_delete(device=device)
        return Response(document)

    def _one(self, address: str, *, partial: bool) -> Response:
        self._device(address)
        body = self.payload(many=False)
        body = {**body, "address": address}
        kept, refused = services.talq_devices_declare(
            gateway=self.gateway, devices=[body], replace=True, partial=partial
        )
        if refused:
            raise TalqError(422, refusals(refused))
        if partial:
            return Response(status=status.HTTP_200_OK)
        return Response(selectors.device_document(kept[0]))

    def put(self, request: Request, address: str) -> Response:
        return self._one(address, partial=False)

    def patch(self, request: Request, address: str) -> Response:
        return self._one(address, partial=True)


class DeviceFunctionView(OneDeviceView):
    def get(self, request: Request, address: str, function: str, attribute: str = "") -> Response:
        device = self._device(address)
        found = next((f for f in device.functions if f.get("id") == function), None)
        if found is None:
            raise _not_found(function[:60])
        if not attribute:
            return Response(found)
        value = found.get(attribute)
        if not isinstance(value, dict) or not isinstance(value.get("type"), str):
            raise _not_found(attribute[:60])
        return Response(value)


class DocumentsView(TalqView):
    """Device classes, lamp types, luminaire types: kept as the gateway sent them."""

    kind: ClassVar[str] = ""

    def _put(self, mode: str, created: int) -> Response:
        kept, refused = services.talq_documents_put(
            gateway=self.gateway, kind=self.kind, documents=self.payload(many=True), mode=mode
        )
        if refused:
            code = 409 if all(item.key == "resourceConflict" for item in refused) else 422
            if all(item.key == "resourceNotFound" for item in refused):
                code = 404
            raise TalqError(code, refusals(refused))
        return Response(kept, status=created)

    def post(self, request: Request) -> Response:
        return self._put("create", status.HTTP_201_CREATED)

    def put(self, request: Request) -> Response:
        # Device classes are declared again as a whole: a new one is accepted too.
        mode = "upsert" if self.kind == TalqDocument.Kind.DEVICE_CLASS else "replace"
        return self._put(mode, status.HTTP_200_OK)


class ListedDocumentsView(DocumentsView):
    """Lamp and luminaire types are listed too (device classes are not, in the file)."""

    def get(self, request: Request) -> Response:
        return Response(
            [d.body for d in selectors.talq_documents(gateway=self.gateway, kind=self.kind)]
        )


class DocumentCountView(TalqView):
    kind: ClassVar[str] = ""

    def get(self, request: Request) -> Response:
        return Response(selectors.talq_documents(gateway=self.gateway, kind=self.kind).count())


class DocumentView(TalqView):
    kind: ClassVar[str] = ""

    def _document(self, key: str) -> Any:
        document = selectors.talq_document(gateway=self.gateway, kind=self.kind, address=key)
        if document is None:
            raise _not_found(key[:60])
        return document

    def put(self, request: Request, key: str) -> Response:
        if self.kind != TalqDocument.Kind.DEVICE_CLASS:
            self._document(key)
        body = self.payload(many=False)
        field = "name" if self.kind == TalqDocument.Kind.DEVICE_CLASS else "address"
        kept, refused = services.talq_documents_put(
            gateway=self.gateway, kind=self.kind, documents=[{**body, field: key}], mode="upsert"
        )
        if refused:
            raise TalqError(422, refusals(refused))
        return Response(kept[0])

    def delete(self, request: Request, key: str) -> Response:
        document = self._document(key)
        body = document.body
        services.talq_document_delete(document=document)
        return Response(body)


class ReadableDocumentView(DocumentView):
    def get(self, request: Request, key: str) -> Response:
        return Response(self._document(key).body)


class LogReportsView(TalqView):
    spec_path = "/log-reports"

    @extend_schema(exclude=True)
    def post(self, request: Request) -> Response:
        report = self.payload(many=False, entries_checked_alone=True)
        entries = report.get("entries", [])
        if not isinstance(entries, list):
            raise TalqError(400, [error("payloadError", _("entries must be a JSON array."))])
        # The report itself is checked here; its entries one by one, by the service.
        envelope = {**report, "entries": []}
        reason = _not_storable(envelope)
        if reason:
            raise TalqError(422, [error("payloadError", reason)])
        self.check_against_published_file(envelope)
        if len(entries) > settings.TELEMETRY_MAX_BATCH:
            raise TalqError(
                400,
                [
                    error(
                        "payloadError",
                        _("At most %(limit)d entries per report.")
                        % {"limit": settings.TELEMETRY_MAX_BATCH},
                    )
                ],
            )
        # Broken Unicode in JSON can only come as an escaped lone surrogate: without one in
        # the body, the entries need no such check one by one.
        outcome = services.talq_log_report_receive(
            gateway=self.gateway,
            report=report,
            broken_text_possible=SURROGATE_ESCAPE.search(request_text(self.request)) is not None,
        )
        if outcome.refused:
            # The other entries were kept; the gateway learns which ones were not, and why.
            raise TalqError(422, refusals(outcome.refused))
        return Response(status=status.HTTP_201_CREATED)


class LoggerConfigView(TalqView):
    def get(self, request: Request, address: str) -> Response:
        config = selectors.logger_config(
            gateway=self.gateway, address=address, cms_address=str(settings.TALQ_CMS_ADDRESS)
        )
        if config is None:
            raise _not_found(address[:60])
        return Response(config)
