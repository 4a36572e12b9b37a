"""Ingestion of telemetry batches: validation, idempotency, history, then the apps' handlers.

One batch is one transaction. Idempotency costs one query per batch: the receipts of the
valid readings are inserted with ON CONFLICT DO NOTHING RETURNING, so the rows that come
back are exactly the messages never seen before; the others are replays and do nothing.
"""

from __future__ import annotations

import io
import json
import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from hypervisor.models import Gateway, TelemetryReading, TelemetryReceipt
from hypervisor.models.telemetry import hash_token
from hypervisor.registry import registry
from hypervisor.telemetry.types import HandlerOutcome, Reading

RECEIPT_CHUNK = 2000
JSON = "application/json"
NDJSON = "application/x-ndjson"


class BatchUnreadable(ValueError):
    """The body is neither a JSON array nor NDJSON: nothing in it can be trusted."""


# Integers wider than this are refused: PostgreSQL's bigint and every consumer of the values
# (floats, charts, open data) stop here, and Python's parser refuses beyond 4,300 digits.
MAX_INTEGER_DIGITS = 19
MAX_VALUE_DEPTH = 32


@dataclass(frozen=True)
class _Unstorable:
    """A JSON value parsed but not storable (NaN, infinity, a huge integer): refused per reading."""

    text: str


def _parse_constant(name: str) -> _Unstorable:
    return _Unstorable(name)


def _parse_int(text: str) -> int | _Unstorable:
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        return _Unstorable(text[:20] + "…")
    return int(text)


def _parse_float(text: str) -> float | _Unstorable:
    value = float(text)
    if not math.isfinite(value):
        return _Unstorable(text[:20])
    return value


_DECODER = json.JSONDecoder(
    parse_constant=_parse_constant, parse_int=_parse_int, parse_float=_parse_float
)


def json_loads(text: str | bytes) -> Any:
    """json.loads that never raises on a value: unstorable numbers become markers.

    A NaN, an infinity, `1e400` or a 5,000-digit integer is valid for Python's parser (or
    makes it raise a bare ValueError) but cannot be stored: the marker lets the reading that
    holds it be refused on its own instead of failing the whole batch.
    """
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    return _DECODER.decode(text)


def _unstorable_reason(value: Any, depth: int = 0) -> str | None:
    """Why a value cannot be stored (None when it can): checked before any database work."""
    if depth > MAX_VALUE_DEPTH:
        return _("the values are nested too deeply")
    if isinstance(value, _Unstorable):
        return _("%(value)s is not a finite number that can be stored") % {"value": value.text}
    if isinstance(value, str):
        return _string_reason(value)
    if isinstance(value, dict):
        for key, item in value.items():
            reason = _string_reason(key) or _unstorable_reason(item, depth + 1)
            if reason:
                return reason
    elif isinstance(value, list):
        for item in value:
            reason = _unstorable_reason(item, depth + 1)
            if reason:
                return reason
    return None


def _string_reason(text: str) -> str | None:
    if "\x00" in text:
        return _("a text holds a NUL character")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _("a text holds a lone surrogate (not valid Unicode)")
    return None


@dataclass
class IngestionResult:
    accepted: int = 0
    duplicates: int = 0
    refused: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"accepted": self.accepted, "duplicates": self.duplicates, "refused": self.refused}


def gateway_authenticate(*, token: str) -> Gateway | None:
    """The active gateway holding this token, compared by hash (the token is never stored)."""
    if not token:
        return None
    return Gateway.objects.filter(token_hash=hash_token(token), active=True).first()


def gateway_create(*, name: str) -> tuple[Gateway, str]:
    """A new gateway and its token, shown once."""
    gateway = Gateway(name=name)
    token = gateway.issue_token()
    gateway.full_clean()
    gateway.save()
    return gateway, token


def gateway_deactivate(*, gateway_id: int) -> None:
    """Revoke a gateway's token: it is refused from the next request on."""
    Gateway.objects.filter(pk=gateway_id).update(active=False)


def batch_parse(body: bytes, *, media_type: str = "") -> list[Any]:
    """A JSON array of readings, or NDJSON (one JSON reading per line).

    The declared media type decides: application/json is an array, application/x-ndjson is
    lines. Without one (MQTT payloads), a body starting with "[" is taken for an array.
    """
    text = body.decode("utf-8", errors="strict").strip() if body else ""
    if not text:
        raise BatchUnreadable(_("The batch is empty."))
    as_array = media_type == JSON or (media_type != NDJSON and text.startswith("["))
    if as_array:
        if not text.startswith("["):
            raise BatchUnreadable(
                _(
                    "A batch sent as application/json is a JSON array of readings; "
                    "send one reading per line as application/x-ndjson."
                )
            )
        try:
            items = json_loads(text)
        except json.JSONDecodeError as error:
            message = _("The batch is not valid JSON: %(error)s") % {"error": error}
            raise BatchUnreadable(message) from error
        except RecursionError:
            raise BatchUnreadable(_("The batch is nested too deeply.")) from None
        if not items:
            raise BatchUnreadable(_("The batch is empty."))
        return list(items)
    lines = [line for line in text.splitlines() if line.strip()]
    try:
        # Fast path: the whole batch in one parse; a broken line falls back to line by line.
        items = json_loads("[" + ",".join(lines) + "]")
        if len(items) == len(lines):
            return list(items)
    except (json.JSONDecodeError, RecursionError):
        pass
    items = []
    for number, line in enumerate(lines, start=1):
        try:
            items.append(json_loads(line))
        except (json.JSONDecodeError, RecursionError):
            # A broken line is refused on its own, like any invalid reading.
            items.append(_LineError(number))
    return items


@dataclass(frozen=True)
class _LineError:
    line: int


def _parse_time(raw: Any) -> datetime | None:
    if not isinstance(raw, str):
        return None
    try:
        return datetime.fromisoformat(raw)  # C implementation: the common case, fast
    except ValueError:
        try:
            return parse_datetime(raw)
        except ValueError:
            return None


def _validate(index: int, item: Any, known_types: set[str], now: datetime) -> Reading | str:
    if isinstance(item, _LineError):
        return _("line %(line)d is not valid JSON") % {"line": item.line}
    if not isinstance(item, dict):
        return _("a reading must be a JSON object")
    message_id = item.get("message_id")
    if not isinstance(message_id, str) or not 0 < len(message_id) <= 100:
        return _("message_id is required (a string of at most 100 characters)")
    reason = _unstorable_reason(item)
    if reason:
        return reason
    asset_type = item.get("asset_type")
    if asset_type not in known_types:
        return _("unknown asset_type %(value)r") % {"value": asset_type}
    asset_id = item.get("asset_id")
    if not isinstance(asset_id, str | int) or not 0 < len(str(asset_id)) <= 64:
        return _("asset_id is required (at most 64 characters)")
    measured_at = _parse_time(item.get("measured_at"))
    if measured_at is None or measured_at.tzinfo is None:
        return _("measured_at must be an ISO 8601 date and time with its offset")
    if measured_at > now + timedelta(minutes=5):
        return _("measured_at is in the future")
    values = item.get("values")
    if not isinstance(values, dict):
        return _("values must be a JSON object")
    return Reading(message_id, asset_type, str(asset_id), measured_at, values)


def _refusal(index: int, message_id: Any, reason: str) -> dict[str, Any]:
    return {"index": index, "message_id": message_id, "reason": reason}


def telemetry_ingest(
    *, gateway: Gateway, items: list[Any], now: datetime | None = None
) -> IngestionResult:
    """Apply a batch: invalid readings are refused one by one, valid ones are applied once."""
    now = now or timezone.now()
    result = IngestionResult()
    known_types = set(registry.telemetry_asset_types())
    valid: dict[str, tuple[int, Reading]] = {}
    for index, item in enumerate(items):
        checked = _validate(index, item, known_types, now)
        if isinstance(checked, str):
            message_id = item.get("message_id") if isinstance(item, dict) else None
            if not isinstance(message_id, str) or _string_reason(message_id):
                message_id = None  # echoed back as JSON: only a storable text or nothing
            result.refused.append(_refusal(index, message_id, checked))
        elif checked.message_id in valid:
            result.duplicates += 1
        else:
            valid[checked.message_id] = (index, checked)
    _apply(gateway, valid, result, now)
    return result


def telemetry_ingest_readings(
    *, gateway: Gateway, readings: list[Reading], now: datetime | None = None
) -> IngestionResult:
    """Apply readings an adapter already validated (a standard protocol's own checks, e.g.
    TALQ log reports): the same receipts, handlers and history, without a second parse.
    Refusals' indexes are positions in `readings`."""
    now = now or timezone.now()
    result = IngestionResult()
    valid: dict[str, tuple[int, Reading]] = {}
    for index, reading in enumerate(readings):
        if reading.message_id in valid:
            result.duplicates += 1
        else:
            valid[reading.message_id] = (index, reading)
    _apply(gateway, valid, result, now)
    return result


def _apply(
    gateway: Gateway,
    valid: dict[str, tuple[int, Reading]],
    result: IngestionResult,
    now: datetime,
) -> None:
    """One transaction: receipts (replays do nothing), the apps' handlers, the history."""
    with transaction.atomic():
        fresh = _insert_receipts(gateway, list(valid), now)
        result.duplicates += len(valid) - len(fresh)
        by_type: dict[str, list[Reading]] = defaultdict(list)
        for message_id in fresh:
            reading = valid[message_id][1]
            by_type[reading.asset_type].append(reading)
        refused_ids: dict[str, str] = {}
        for asset_type, readings in by_type.items():
            handler = registry.telemetry_handler(asset_type)
            outcome: HandlerOutcome = handler(readings, now=now) if handler else HandlerOutcome()
            refused_ids.update(outcome.refused)
        if refused_ids:
            # A refused reading leaves no receipt, so a corrected resend is accepted.
            TelemetryReceipt.objects.filter(
                gateway=gateway, message_id__in=list(refused_ids)
            ).delete()
            for message_id, reason in refused_ids.items():
                result.refused.append(_refusal(valid[message_id][0], message_id, reason))
        kept = [valid[message_id][1] for message_id in fresh if message_id not in refused_ids]
        _store_history(gateway, kept, now)
        result.accepted = len(kept)
        Gateway.objects.filter(pk=gateway.pk).update(last_seen_at=now)
    result.refused.sort(key=lambda refusal: refusal["index"])


def _insert_receipts(gateway: Gateway, message_ids: list[str], now: datetime) -> list[str]:
    """Insert the receipts not seen before; returns their message ids (one query per chunk)."""
    # The table name comes from the model; every value is a bound parameter.
    table = TelemetryReceipt._meta.db_table
    values_sql = "INSERT INTO " + table + " (gateway_id, message_id, received_at) "
    fresh: list[str] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for start in range(0, len(message_ids), 50_000):
                cursor.execute(
                    values_sql + "SELECT %s, unnest(%s::varchar[]), %s "
                    "ON CONFLICT (gateway_id, message_id) DO NOTHING RETURNING message_id",
                    [gateway.pk, message_ids[start : start + 50_000], now],
                )
                fresh.extend(row[0] for row in cursor.fetchall())
            return fresh
        for start in range(0, len(message_ids), RECEIPT_CHUNK):
            chunk = message_ids[start : start + RECEIPT_CHUNK]
            cursor.execute(
                values_sql
                + "VALUES "
                + ", ".join(["(%s, %s, %s)"] * len(chunk))
                + " ON CONFLICT (gateway_id, message_id) DO NOTHING RETURNING message_id",
                [value for message_id in chunk for value in (gateway.pk, message_id, now)],
            )
            fresh.extend(row[0] for row in cursor.fetchall())
    return fresh


def _store_history(gateway: Gateway, readings: list[Reading], now: datetime) -> None:
    if not readings:
        return
    if connection.vendor == "postgresql":
        _copy_history(gateway, readings, now)
        return
    TelemetryReading.objects.bulk_create(
        [
            TelemetryReading(
                gateway_id=gateway.pk,
                message_id=reading.message_id,
                asset_type=reading.asset_type,
                asset_id=reading.asset_id,
                measured_at=reading.measured_at,
                received_at=now,
                values=reading.values,
            )
            for reading in readings
        ],
        batch_size=1000,
    )


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_escape(value: str) -> str:
    return value.translate(_COPY_ESCAPES)


def _copy_history(gateway: Gateway, readings: list[Reading], now: datetime) -> None:
    """COPY is PostgreSQL's bulk path: the history grows at the speed the database can write."""
    received = now.isoformat()
    buffer = io.StringIO()
    for reading in readings:
        buffer.write(
            f"{gateway.pk}\t{_copy_escape(reading.message_id)}\t{_copy_escape(reading.asset_type)}"
            f"\t{_copy_escape(reading.asset_id)}\t{reading.measured_at.isoformat()}\t{received}"
            f"\t{_copy_escape(json.dumps(reading.values, separators=(',', ':')))}\n"
        )
    buffer.seek(0)
    table = TelemetryReading._meta.db_table
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {table} (gateway_id, message_id, asset_type, asset_id, measured_at, "
            'received_at, "values") FROM STDIN',
            buffer,
        )


def telemetry_purge(*, now: datetime | None = None) -> int:
    """Delete readings and receipts older than the retention period; returns readings deleted."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.TELEMETRY_RETENTION_DAYS)
    deleted, _detail = TelemetryReading.objects.filter(measured_at__lt=cutoff).delete()
    TelemetryReceipt.objects.filter(received_at__lt=cutoff).delete()
    return deleted
