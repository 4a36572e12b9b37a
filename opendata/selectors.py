"""Reads of the open-data app's own tables."""

from __future__ import annotations

from opendata.models import ApiKey
from opendata.services import key_hash


def api_key_active(*, raw: str) -> ApiKey | None:
    return ApiKey.objects.filter(key_hash=key_hash(raw), active=True).first()
