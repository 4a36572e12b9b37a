from django.contrib import admin

from hypervisor.models import Commune, Event, RoutingRule, Service


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["name", "insee", "population", "approximated"]
    search_fields = ["name", "insee"]
    readonly_fields = ["min_lat", "max_lat", "min_lon", "max_lon", "updated_at"]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "email", "active"]
    search_fields = ["name", "code"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["category_code", "commune", "service", "precedence"]
    list_filter = ["service", "commune"]
    search_fields = ["category_code"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """The history is append-only: read it here, never change it."""

    list_display = ["id", "kind", "asset_type", "asset_id", "severity", "occurred_at"]
    list_filter = ["kind", "severity"]
    search_fields = ["asset_id"]

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False
