from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from mobility.models import (
    BikeStation,
    CarPark,
    Feed,
    GtfsImport,
    IncidentTransitImpact,
    TransitAlert,
    TransitRoute,
    TransitStop,
    TransportOperatorContact,
)


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "kind", "health", "stale", "last_success_at", "active"]
    list_filter = ["kind", "health", "active"]
    readonly_fields = [
        "health",
        "stale",
        "last_polled_at",
        "last_success_at",
        "last_data_at",
        "last_error",
        "consecutive_failures",
        "warnings",
    ]
    fieldsets = [
        (
            None,
            {"fields": ["name", "kind", "url", "active", "poll_seconds", "stale_after_seconds"]},
        ),
        (
            _("Car-park field mapping"),
            {
                "fields": [
                    "records_path",
                    "id_field",
                    "percent_field",
                    "occupied_field",
                    "free_field",
                    "capacity_field",
                    "timestamp_field",
                    "csv_delimiter",
                ]
            },
        ),
        (_("Health"), {"fields": readonly_fields}),
    ]


@admin.register(CarPark)
class CarParkAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "capacity", "operator", "feed", "source_id", "state"]
    readonly_fields = [
        "occupancy_percent",
        "observed_at",
        "state",
        "stale",
        "flatlined",
        "out_of_range",
        "last_refused_value",
    ]


admin.site.register(TransitRoute)
admin.site.register(TransitStop)
admin.site.register(TransitAlert)
admin.site.register(BikeStation)
admin.site.register(GtfsImport)
admin.site.register(TransportOperatorContact)
admin.site.register(IncidentTransitImpact)
