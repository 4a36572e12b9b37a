"""Admin: crossroads, cameras, bollards and the evidence register, to look at (read-only).

The register is append-only by law; the equipment changes through its services.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from hypervisor.admin_readonly import ReadOnlyAdmin
from traffic.models import (
    Bollard,
    Camera,
    Crossroad,
    EvidenceRequest,
    RegisterEntry,
    RetentionExpiry,
    RsmpSite,
    SignalCommand,
)


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


class MappedFilter(admin.SimpleListFilter):
    title = _("mapped to a crossroads")
    parameter_name = "mapped"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:  # type: ignore[type-arg]
        return [("no", str(_("No: to reconcile"))), ("yes", str(_("Yes")))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[RsmpSite]) -> QuerySet[RsmpSite]:
        if self.value() in ("yes", "no"):
            return queryset.filter(crossroad__isnull=self.value() == "no")
        return queryset


@admin.register(Crossroad)
class CrossroadAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["reference", "name", "commune_insee", "state", "time_plan", "main_axis"]
    list_filter = ["state", "main_axis"]
    search_fields = ["reference", "name", "controller_id"]
    readonly_fields = [
        "state", "fault_code", "state_since", "last_seen_at", "control_mode",
        "functional_position", "time_plan", "time_plan_source", "signal_group_status",
        "police_key", "manual_control", "detector_faults", "aggregated_status", "rsmp_statuses_at",
    ]  # fmt: skip


@admin.register(RsmpSite)
class RsmpSiteAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Map a controller's site id to its crossroads; unknown sites wait here for that."""

    list_display = ["site_id", "crossroad", "connected", "address", "sxl_version", "first_seen_at"]
    list_filter = [MappedFilter, "connected"]
    search_fields = ["site_id", "crossroad__reference", "crossroad__name"]
    autocomplete_fields = ["crossroad"]
    readonly_fields = [
        "connected", "address", "core_version", "sxl_version", "first_seen_at", "connected_at",
        "disconnected_at", "disconnect_reason", "alarms",
    ]  # fmt: skip


@admin.register(SignalCommand)
class SignalCommandAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The record of commands sent to controllers: read only, the audit trail keeps who did what."""

    list_display = ["crossroad", "action", "time_plan", "status", "requested_by", "requested_at"]
    list_filter = ["status", "action"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
