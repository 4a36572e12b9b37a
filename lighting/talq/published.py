"""The TALQ 2.7.1 CMS API and data model as published (BSD-3, see published/LICENSE).

Request bodies are checked against the published definitions themselves, not against our
own reading of them: the operation's body schema in the CMS API file, resolved in the data
model file, compiled once by jsonschema-rs (fast enough for every entry of a log report).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jsonschema_rs

PUBLISHED = Path(__file__).resolve().parent / "published"
CMS_API = PUBLISHED / "talq-api-cms-2-7-1-online.json"
DATA_MODEL = PUBLISHED / "talq-data-model-2-7-1-online.json"
MAX_MESSAGES = 5


@cache
def _registry() -> jsonschema_rs.Registry:
    return jsonschema_rs.Registry(
        [
            (CMS_API.as_uri(), json.loads(CMS_API.read_text(encoding="utf-8"))),
            (DATA_MODEL.as_uri(), json.loads(DATA_MODEL.read_text(encoding="utf-8"))),
        ]
    )


def _pointer(*parts: str) -> str:
    escaped = (part.replace("~", "~0").replace("/", "~1") for part in parts)
    return "#/" + "/".join(quote(part, safe="~") for part in escaped)


@cache
def _validator(uri: str) -> Any:
    return jsonschema_rs.Draft4Validator({"$ref": uri}, registry=_registry(), validate_formats=True)


def body_validator(*, path: str, method: str) -> Any:
    """The validator of an operation's JSON body (path as written in the file)."""
    pointer = _pointer(
        "paths", path, method, "requestBody", "content", "application/json", "schema"
    )
    return _validator(CMS_API.as_uri() + pointer)


def log_entry_validator() -> Any:
    """One entry of a log report, checked on its own so that a bad one is refused alone."""
    return _validator(
        DATA_MODEL.as_uri()
        + _pointer("components", "schemas", "LogReport", "properties", "entries", "items")
    )


def log_entries_validator() -> Any:
    """All the entries of a log report at once (the fast path when they are all valid)."""
    return _validator(
        DATA_MODEL.as_uri()
        + _pointer("components", "schemas", "LogReport", "properties", "entries")
    )


def errors_of(validator: Any, value: Any) -> list[str]:
    """What is wrong with `value`, in the validator's words (at most a few), or []."""
    if validator.is_valid(value):
        return []
    messages = []
    for problem in validator.iter_errors(value):
        where = "/".join(str(step) for step in problem.instance_path)
        messages.append(f"{where}: {problem.message}" if where else problem.message)
        if len(messages) == MAX_MESSAGES:
            break
    return messages
