"""The published TALQ 2.7.1 OpenAPI files, and a TALQ gateway's side of a conversation.

Responses of /talq/ are checked against the published CMS API file with openapi-core,
never against our own reading of it. The files live in ../shared/standards: tests that
need them fail in CI when they are missing and skip with the reason elsewhere.
"""

from __future__ import annotations

import base64
import json
import uuid
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.conf import settings

from tests.services import unavailable

TALQ_DIR = Path(settings.BASE_DIR).parent / "shared" / "standards" / "talq-2.7.1"
CMS_API = TALQ_DIR / "talq-api-cms-2-7-1-online.json"
GATEWAY_API = TALQ_DIR / "talq-api-gateway-2-7-1-online.json"
# The published files' server; requests are re-addressed to it before validation.
PUBLISHED_SERVER = "https://talq-consortium.org"
PUBLISHED_PREFIX = "/v2"


def require_talq_files() -> None:
    if not CMS_API.exists() or not GATEWAY_API.exists():
        unavailable(f"needs the published TALQ 2.7.1 OpenAPI files in {TALQ_DIR}")


@cache
def _openapi(path: str) -> Any:
    from jsonschema_path import SchemaPath
    from openapi_core import OpenAPI

    return OpenAPI(SchemaPath.from_file_path(path))


def cms_api() -> Any:
    require_talq_files()
    return _openapi(str(CMS_API))


def gateway_api() -> Any:
    require_talq_files()
    return _openapi(str(GATEWAY_API))


def validate_cms_exchange(
    *,
    method: str,
    path: str,
    query: dict[str, Any],
    headers: dict[str, str],
    body: Any,
    response: Any,
) -> None:
    """Raise if the response (and the request) does not follow the published CMS API file."""
    from openapi_core.testing import MockRequest, MockResponse

    assert path.startswith("/talq/"), path
    request = MockRequest(
        PUBLISHED_SERVER,
        method.lower(),
        PUBLISHED_PREFIX + path.removeprefix("/talq"),
        args=query,
        headers=headers,
        data=json.dumps(body).encode() if body is not None else None,
        content_type="application/json",
    )
    content = response.content or None
    mock = MockResponse(
        content,
        status_code=response.status_code,
        content_type=response.get("Content-Type", "application/json").split(";")[0],
        headers={key: value for key, value in response.items()},
    )
    cms_api().validate_response(request, mock)


class TalqGatewayClient:
    """Speaks to /talq/ as a gateway would, validating every answer against the CMS file."""

    def __init__(self, client: Any, *, address: uuid.UUID, secret: str, basic: bool = True) -> None:
        self.client, self.address, self.secret, self.basic = client, address, secret, basic
        self.validate = True

    def authorization(self) -> str:
        if self.basic:
            pair = f"{self.address}:{self.secret}".encode()
            return "Basic " + base64.b64encode(pair).decode()
        return f"Bearer {self.secret}"

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        query: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
    ) -> Any:
        params = {"clientAddress": str(self.address)}
        if method != "get":
            params["talqRequestId"] = str(uuid.uuid4())
        params.update(query or {})
        sent_headers = {"talq-api-version": "2.7.1", **(headers or {})}
        extra = {
            "HTTP_" + name.upper().replace("-", "_"): value for name, value in sent_headers.items()
        }
        extra["HTTP_AUTHORIZATION"] = self.authorization()
        url = "/talq/" + path.lstrip("/") + "?" + urlencode(params, doseq=True)
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        response = getattr(self.client, method)(
            url, data=data, content_type="application/json", **extra
        )
        if self.validate and response.status_code not in (401, 429):
            # 401 and 429 are the deployment's (authentication, throttling), not in the file.
            validate_cms_exchange(
                method=method,
                path="/talq/" + path.lstrip("/"),
                query=params,
                headers=sent_headers,
                body=body if raw is None else None,
                response=response,
            )
        return response
