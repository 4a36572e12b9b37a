"""Schemathesis against /api/schema/: every documented operation, fuzzed within bounds.

Checks: no server error, responses conform to the schema (status codes documented, bodies
and content types as declared), invalid requests are refused. The examples are few and
derandomised, so that CI is stable and the whole run stays well under two minutes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection

from tests.security.world import World

schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
# A NUL character is refused before any view runs (ondijon.errors.HostileInputMiddleware,
# docs/security.md); a string schema cannot say so, so none is generated.
schema.config.generation.update(allow_x00=False)
NDJSON = "application/x-ndjson"


@schemathesis.serializer(NDJSON)
def _ndjson(context: Any, value: Any) -> bytes:
    """Telemetry's other body: one JSON reading per line."""
    lines = value if isinstance(value, list) else [value]
    return "\n".join(json.dumps(line) for line in lines).encode()


# An NDJSON body of one object reads the same as a batch of one reading: "not an array"
# cannot be sent in this format, so the negative-data check has nothing to judge there.
NOT_EXPRESSIBLE_IN_NDJSON = [negative_data_rejection]


@pytest.fixture(autouse=True)
def _one_connection_for_the_test(world: World, db) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """The WSGI handler would close the test's connection after each request, as Django's
    test client avoids doing: the requests share the test's transaction and its world."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def credentials(world: World) -> dict[str, Any]:
    # Identity encoding: the API gzips large bodies for clients that accept it, and the
    # checks read the body as sent.
    return {
        "Accept-Encoding": "identity",
        "Authorization": f"Bearer {world.gateway_token}",
    }


def _serves_the_maximum(case: schemathesis.Case) -> bool:
    """OGC API Features serves the maximum for a larger `limit` (/req/core/fc-limit-response-1)
    while the document declares the maximum, as the standard's own fragment does."""
    from opendata.views.ogc import ITEMS_MAX

    limit = str((case.query or {}).get("limit", ""))
    return (
        case.operation.path == "/ogcapi/collections/{slug}/items"
        and limit.isdigit()
        and int(limit) > ITEMS_MAX
    )


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_to_its_schema(case: schemathesis.Case, credentials: dict[str, Any]) -> None:
    excluded = NOT_EXPRESSIBLE_IN_NDJSON if case.media_type == NDJSON else []
    if _serves_the_maximum(case):
        excluded = [negative_data_rejection]
    case.call_and_validate(headers=credentials, excluded_checks=excluded)
