from django.contrib import admin

from incidents.models import Category, Incident, Transition


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "label_fr",
        "label_en",
        "group",
        "default_priority",
        "sla_minutes",
        "active",
    ]
    list_filter = ["group", "default_priority", "active"]
    search_fields = ["code", "label_fr", "label_en"]


class TransitionInline(admin.TabularInline):
    model = Transition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "at", "by", "note"]

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = [
        "reference",
        "category",
        "status",
        "priority",
        "service",
        "commune",
        "created_at",
    ]
    list_filter = ["status", "priority", "source", "service"]
    search_fields = ["reference"]
    readonly_fields = ["reference", "created_at", "routed_at", "routing_rule", "routing_note"]
    inlines = [TransitionInline]
