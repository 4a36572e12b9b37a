"""Admin: crossroads, cameras, bollards and the evidence register, to look at (read-only).

The register is append-only by law; the equipment changes through its services.
"""

from __future__ import annotations

from django.contrib import admin

from hypervisor.admin_readonly import ReadOnlyAdmin
from traffic.models import (
    Bollard,
    Camera,
    Crossroad,
    EvidenceRequest,
    RegisterEntry,
    RetentionExpiry,
)


@admin.register(Crossroad)
class CrossroadAdmin(ReadOnlyAdmin):
    list_display = ["reference", "name", "commune_insee", "controller_id"]
    search_fields = ["reference", "name"]


@admin.register(Camera)
class CameraAdmin(ReadOnlyAdmin):
    list_display = ["reference", "name", "commune_insee", "kind"]
    list_filter = ["kind"]
    search_fields = ["reference", "name"]


@admin.register(Bollard)
class BollardAdmin(ReadOnlyAdmin):
    list_display = ["reference", "name", "commune_insee", "state", "fault_code"]
    list_filter = ["state"]


@admin.register(EvidenceRequest)
class EvidenceRequestAdmin(ReadOnlyAdmin):
    list_display = ["reference", "authority", "starts_at", "ends_at", "filed_at"]
    search_fields = ["reference", "procedure_reference"]


@admin.register(RegisterEntry)
class RegisterEntryAdmin(ReadOnlyAdmin):
    list_display = ["request", "kind", "at"]
    list_filter = ["kind"]
    list_select_related = ["request"]


@admin.register(RetentionExpiry)
class RetentionExpiryAdmin(ReadOnlyAdmin):
    list_display = ["camera", "expired_before", "recorded_at"]
    list_select_related = ["camera"]
