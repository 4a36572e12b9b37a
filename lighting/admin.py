"""Admin: the lighting inventory, profiles, overrides and energy, to look at (read-only)."""

from __future__ import annotations

from django.contrib import admin

from hypervisor.admin_readonly import ReadOnlyAdmin
from lighting.models import Cabinet, DimmingProfile, LightingOverride, LightPoint, MonthlyEnergy


@admin.register(Cabinet)
class CabinetAdmin(ReadOnlyAdmin):
    list_display = ["reference", "commune_insee", "circuits", "status"]
    list_filter = ["status", "commune_insee"]
    search_fields = ["reference"]


@admin.register(LightPoint)
class LightPointAdmin(ReadOnlyAdmin):
    list_display = ["reference", "street", "commune_insee", "street_class", "technology"]
    list_filter = ["technology", "street_class", "commune_insee"]
    search_fields = ["reference", "street"]
    list_select_related = ["cabinet"]


@admin.register(DimmingProfile)
class DimmingProfileAdmin(ReadOnlyAdmin):
    list_display = ["street_class", "evening_level", "night_level", "night_start", "night_end"]


@admin.register(LightingOverride)
class LightingOverrideAdmin(ReadOnlyAdmin):
    list_display = ["commune_insee", "level", "starts_at", "ends_at"]
    list_filter = ["commune_insee"]


@admin.register(MonthlyEnergy)
class MonthlyEnergyAdmin(ReadOnlyAdmin):
    list_display = ["cabinet", "month", "measured_kwh", "estimated_kwh", "baseline_kwh"]
    list_select_related = ["cabinet"]
