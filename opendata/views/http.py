"""Response plumbing shared by every open-data endpoint.

Conditional GET (ETag and Last-Modified), gzip when the client accepts it (a cached layer
is compressed once per content and shared through the cache), CORS for reads, and the
error format.
"""

from __future__ import annotations

import gzip
from datetime import datetime

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.http import http_date, parse_http_date_safe, quote_etag

from opendata import store
from opendata.filters import BadParameter
from opendata.store import Body

# Below this size compression costs more than it saves.
GZIP_MIN_BYTES = 1024


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
        etag=store.etag_of(content),
        modified=modified,
    )


def _not_modified(request: HttpRequest, etag: str, modified: datetime) -> bool:
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or quote_etag(etag) in tags
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and int(modified.timestamp()) <= since


def _compress(content: bytes) -> bytes:
    return gzip.compress(content, compresslevel=5, mtime=0)


def _gzip(body: Body) -> bytes:
    """Cached bodies (whole layers) are compressed once; a filtered answer each time, as it
    is rendered each time: keeping every filter combination would fill the cache."""
    return store.compressed(body, _compress) if body.shared else _compress(body.content)


def send(request: HttpRequest, body: Body, content_type: str, **headers: str) -> HttpResponse:
    modified = http_date(int(body.modified.timestamp()))
    if _not_modified(request, body.etag, body.modified):
        response = HttpResponse(status=304)
    else:
        content = body.content
        accepts = request.headers.get("Accept-Encoding", "")
        response = HttpResponse(content_type=content_type)
        if "gzip" in accepts and len(content) >= GZIP_MIN_BYTES:
            content = _gzip(body)
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
