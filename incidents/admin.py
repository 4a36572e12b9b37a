from django.contrib import admin

from incidents.models import (
    Category,
    Crew,
    CrewMember,
    Incident,
    Shift,
    Task,
    TaskPhoto,
    TaskStep,
    Trade,
    Transition,
)


@admin.register(Trade)
class TradeAdmin(admin.ModelAdmin):
    list_display = ["code", "label_fr", "label_en", "precedence"]
    ordering = ["precedence", "code"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "label_fr",
        "label_en",
        "group",
        "default_priority",
        "sla_minutes",
        "safety",
        "active",
    ]
    list_filter = ["group", "default_priority", "safety", "active"]
    search_fields = ["code", "label_fr", "label_en"]
    filter_horizontal = ["trades"]


class TransitionInline(admin.TabularInline):
    model = Transition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "at", "by", "note"]

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


class TaskInline(admin.TabularInline):
    model = Task
    extra = 0
    can_delete = False
    fields = ["trade", "crew", "status", "needs_operator", "operator_note"]
    readonly_fields = fields

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
        "sla_state",
        "created_at",
    ]
    list_filter = ["status", "priority", "sla_state", "source", "service"]
    search_fields = ["reference"]
    readonly_fields = [
        "reference",
        "created_at",
        "routed_at",
        "routing_rule",
        "routing_note",
        "unroutable_reason",
        "dispatched_at",
        "assigned_at",
        "resolved_at",
        "closed_at",
        "sla_state",
    ]
    inlines = [TaskInline, TransitionInline]


class ShiftInline(admin.TabularInline):
    model = Shift
    extra = 1


class CrewMemberInline(admin.TabularInline):
    model = CrewMember
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Crew)
class CrewAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "service", "availability", "position_at", "active"]
    list_filter = ["kind", "availability", "service", "active"]
    search_fields = ["code", "name"]
    filter_horizontal = ["trades"]
    inlines = [ShiftInline, CrewMemberInline]


class TaskStepInline(admin.TabularInline):
    model = TaskStep
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "crew", "by", "at", "note"]

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


class TaskPhotoInline(admin.TabularInline):
    model = TaskPhoto
    extra = 0
    readonly_fields = ["image", "by", "at"]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["__str__", "trade", "crew", "status", "needs_operator", "created_at"]
    list_filter = ["status", "needs_operator", "trade"]
    search_fields = ["incident__reference"]
    readonly_fields = ["incident", "site_key", "assignment_no", "note"]
    inlines = [TaskStepInline, TaskPhotoInline]
