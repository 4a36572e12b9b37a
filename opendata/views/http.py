"""Response plumbing shared by every open-data endpoint.

Conditional GET (ETag and Last-Modified), gzip when the client accepts it (compressed
bodies of cached layers are cached too), CORS for reads, and the error format.
"""

from __future__ import annotations

import gzip
import hashlib
from datetime import datetime

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.http import http_date, parse_http_date_safe, quote_etag

from opendata.filters import BadParameter
from opendata.store import Body

# Below this size compression costs more than it saves.
GZIP_MIN_BYTES = 1024
_compressed: dict[str, bytes] = {}


def cors(response: HttpResponse) -> HttpResponse:
    """Reads are public: any origin may fetch them; the key header may be sent."""
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    response["Access-Control-Allow-Headers"] = "X-Api-Key, If-None-Match, If-Modified-Since"
    response["Access-Control-Expose-Headers"] = (
        "ETag, Last-Modified, Link, X-RateLimit-Limit, Retry-After"
    )
    return response


def body_of(content: bytes, modified: datetime) -> Body:
    return Body(
        content=content,
        etag=hashlib.blake2b(content, digest_size=16).hexdigest(),
        modified=modified,
    )


def _not_modified(request: HttpRequest, etag: str, modified: datetime) -> bool:
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or quote_etag(etag) in tags
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and int(modified.timestamp()) <= since


def _gzip(content: bytes, etag: str) -> bytes:
    held = _compressed.get(etag)
    if held is None:
        held = gzip.compress(content, compresslevel=5, mtime=0)
        if len(_compressed) > 64:
            _compressed.clear()
        _compressed[etag] = held
    return held


def send(request: HttpRequest, body: Body, content_type: str, **headers: str) -> HttpResponse:
    modified = http_date(int(body.modified.timestamp()))
    if _not_modified(request, body.etag, body.modified):
        response = HttpResponse(status=304)
    else:
        content = body.content
        accepts = request.headers.get("Accept-Encoding", "")
        response = HttpResponse(content_type=content_type)
        if "gzip" in accepts and len(content) >= GZIP_MIN_BYTES:
            content = _gzip(content, body.etag)
            response["Content-Encoding"] = "gzip"
        response.content = content
    response["ETag"] = quote_etag(body.etag)
    response["Last-Modified"] = modified
    response["Vary"] = "Accept-Encoding"
    response["Cache-Control"] = "public, max-age=60"
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return cors(response)


def bad_parameter(error: BadParameter) -> HttpResponse:
    """OGC API exception shape, which also suits the REST API: a code and a description."""
    return cors(
        JsonResponse(
            {
                "code": "InvalidParameterValue",
                "parameter": error.parameter,
                "description": f"{error.parameter}: {error.reason}",
            },
            status=400,
        )
    )


def not_found(what: str) -> HttpResponse:
    return cors(JsonResponse({"code": "NotFound", "description": what}, status=404))
