"""Admin: open-data API keys, to look at (read-only; the key itself is never stored)."""

from __future__ import annotations

from django.contrib import admin

from hypervisor.admin_readonly import ReadOnlyAdmin
from opendata.models import ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(ReadOnlyAdmin):
    list_display = ["name", "prefix", "purpose", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["name", "prefix"]
    exclude = ["key_hash"]
