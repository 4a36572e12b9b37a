"""Open data over real HTTP, on PostgreSQL with the shared Redis cache."""

from __future__ import annotations

import gzip
import http.client
import json
from urllib.parse import urlsplit

import pytest

from opendata import store
from tests.lighting.factories import LightPointFactory

pytestmark = pytest.mark.integration


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        connection.request("GET", parts.path, headers=headers)
        response = connection.getresponse()
        received = {name.lower(): value for name, value in response.getheaders()}
        return response.status, received, response.read()
    finally:
        connection.close()


@pytest.fixture
def layer(real_services, asgi_server) -> str:  # type: ignore[no-untyped-def]
    for n in range(20):
        LightPointFactory(reference=f"LP-HTTP-{n:03d}", lat=47.32 + n * 1e-3, lon=5.04)
    store.forget()
    return f"{asgi_server.url}/api/v1/datasets/light-points/geojson/"


def test_a_second_process_serves_the_same_layer_with_the_same_etag(layer):
    status, headers, body = fetch(layer)
    assert status == 200
    store.forget()  # as another worker process would start: nothing held in memory
    again_status, again_headers, again_body = fetch(layer)
    assert again_status == 200
    assert again_headers["etag"] == headers["etag"]
    assert again_body == body


def test_conditional_gzip_and_cors_over_http(layer):
    status, headers, body = fetch(
        layer, **{"Accept-Encoding": "gzip", "Origin": "https://a.example"}
    )
    assert status == 200
    assert headers["content-encoding"] == "gzip"
    assert headers["access-control-allow-origin"] == "*"
    assert len(json.loads(gzip.decompress(body))["features"]) == 20
    status, _headers, body = fetch(layer, **{"If-None-Match": headers["etag"]})
    assert (status, body) == (304, b"")
