"""The published RSMP JSON Schemas (core 3.2.2 with TLC SXL 1.2.1), loaded from ../shared.

Outside CI a missing ../shared/standards skips the tests that need it; in CI it fails them.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings

from tests.services import unavailable

STANDARDS = Path(settings.BASE_DIR).parent / "shared" / "standards" / "rsmp"
CORE = STANDARDS / "core" / "3.2.2" / "rsmp.json"
TLC = STANDARDS / "tlc" / "1.2.1" / "rsmp.json"


def require_rsmp_schemas() -> None:
    if not CORE.exists() or not TLC.exists():
        unavailable(f"needs the published RSMP schemas in {STANDARDS}")


@cache
def _validators() -> list[Any]:
    from jsonschema import Draft7Validator, validators
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT7

    def retrieve(uri: str) -> Resource:  # type: ignore[type-arg]
        path = Path(uri.removeprefix("file://"))
        return Resource.from_contents(json.loads(path.read_text()), default_specification=DRAFT7)

    registry: Registry = Registry(retrieve=retrieve)  # type: ignore[call-arg,type-arg]
    # The published aggregated_status.json writes the type of fP and fS as "string, null",
    # which JSON Schema does not define; its evident meaning (a string or null) is kept.
    checker = Draft7Validator.TYPE_CHECKER.redefine(
        "string, null", lambda _checker, instance: instance is None or isinstance(instance, str)
    )
    validator_class = validators.extend(Draft7Validator, type_checker=checker)
    return [validator_class({"$ref": path.as_uri()}, registry=registry) for path in (CORE, TLC)]


def schema_errors(message: dict[str, Any]) -> list[str]:
    """Every way the message departs from the published schemas (empty: it conforms)."""
    require_rsmp_schemas()
    return [
        f"{message.get('type')}: {error.message} at {list(error.absolute_path)}"
        for validator in _validators()
        for error in validator.iter_errors(message)
    ]
