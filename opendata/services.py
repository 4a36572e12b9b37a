"""Writes of the open-data app: issuing API keys. Nothing here writes into another app."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction

from opendata.models import ApiKey


def key_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_key_issue(*, name: str, email: str, purpose: str = "") -> tuple[ApiKey, str]:
    """Issue a key at once (self-service); return the record and the only copy of the key."""
    raw = secrets.token_urlsafe(32)
    key = ApiKey(name=name, email=email, purpose=purpose, prefix=raw[:8], key_hash=key_hash(raw))
    key.full_clean()
    key.save()
    return key, raw
