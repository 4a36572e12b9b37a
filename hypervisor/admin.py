from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from hypervisor.models import (
    Alarm,
    AlarmRule,
    AuditEntry,
    Commune,
    Crisis,
    EscalationPolicy,
    Event,
    Gateway,
    Notification,
    Procedure,
    ProcedureStep,
    RoutingRule,
    Sector,
    Service,
    StaffProfile,
)


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


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records the application keeps as history: readable here, never changed by hand."""

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(AlarmRule)
class AlarmRuleAdmin(admin.ModelAdmin):
    list_display = [
        "event_kind",
        "action",
        "alarm_kind",
        "severity",
        "flap_window_seconds",
        "active",
    ]
    list_filter = ["action", "severity", "active"]
    search_fields = ["event_kind", "alarm_kind", "title_fr"]


@admin.register(EscalationPolicy)
class EscalationPolicyAdmin(admin.ModelAdmin):
    list_display = [
        "alarm_kind",
        "severity",
        "supervisor_after_minutes",
        "duty_officer_after_minutes",
    ]


@admin.register(Alarm)
class AlarmAdmin(ReadOnlyAdmin):
    list_display = [
        "title",
        "asset_type",
        "asset_id",
        "severity",
        "state",
        "raised_at",
        "acknowledged_by",
    ]
    list_filter = ["state", "severity", "kind"]
    search_fields = ["asset_id", "title"]


class ProcedureStepInline(admin.TabularInline):
    model = ProcedureStep
    extra = 0
    fields = [
        "order",
        "code",
        "kind",
        "text_fr",
        "text_en",
        "action",
        "answer_from_payload",
        "next_step",
        "next_if_yes",
        "next_if_no",
    ]


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ["code", "alarm_kind", "title_fr"]
    inlines = [ProcedureStepInline]


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "phone", "on_duty", "commune"]
    list_filter = ["on_duty", "commune"]
    search_fields = ["user__username", "user__last_name", "phone"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "channel", "recipient", "subject", "status", "attempts"]
    list_filter = ["channel", "status"]
    search_fields = ["subject", "related"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "target", "summary"]
    list_filter = ["action"]
    search_fields = ["target", "summary", "actor__username"]


@admin.register(Crisis)
class CrisisAdmin(ReadOnlyAdmin):
    """Crises are run from the crisis cell page, where every action is audited."""

    list_display = ["title", "severity", "state", "activated_at", "closed_at"]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Gateway)
class GatewayAdmin(admin.ModelAdmin):
    """Issuing a token shows it once: only its hash is kept."""

    list_display = ["name", "token_prefix", "active", "last_seen_at"]
    readonly_fields = ["token_prefix", "created_at", "last_seen_at"]
    actions = ["issue_new_token"]

    def save_model(self, request, obj, form, change) -> None:  # type: ignore[no-untyped-def]
        if not obj.token_hash:
            self._show_token(request, obj, obj.issue_token())
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Issue a new token (the old one stops working)"))
    def issue_new_token(self, request, queryset) -> None:  # type: ignore[no-untyped-def]
        for gateway in queryset:
            token = gateway.issue_token()
            gateway.save(update_fields=["token_hash", "token_prefix"])
            self._show_token(request, gateway, token)

    def _show_token(self, request, gateway, token: str) -> None:  # type: ignore[no-untyped-def]
        self.message_user(
            request,
            _("Token for %(name)s (shown only now): %(token)s")
            % {"name": gateway.name, "token": token},
            messages.WARNING,
        )
