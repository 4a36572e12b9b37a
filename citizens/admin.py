"""Admin: quick answers are edited here; moderation actions are audited through services."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from citizens import services
from citizens.models import CallLog, DuplicateRadius, QuickAnswer, Report, ReportPhoto

# Personal fields: never usable in an admin URL's lookups (`?contact_email__startswith=a`
# would recover a hidden or purged address one character at a time).
PERSONAL_LOOKUPS = ("contact_name", "contact_email", "contact_phone", "caller_number", "note")


class NoPersonalLookups:
    """Refuses admin lookups (filters in the URL) on personal fields: a 400."""

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        if any(part in PERSONAL_LOOKUPS for part in lookup.split("__")):
            return False
        return super().lookup_allowed(lookup, value, request)  # type: ignore[misc]


class ReportPhotoInline(admin.TabularInline):
    model = ReportPhoto
    fields = ["image", "hidden", "created_at"]
    readonly_fields = ["image", "hidden", "created_at"]
    extra = 0
    can_delete = False


@admin.register(Report)
class ReportAdmin(NoPersonalLookups, admin.ModelAdmin):
    list_display = ["reference", "source", "category_code", "created_at", "contact_hidden"]
    list_filter = ["source", "contact_hidden"]
    search_fields = ["reference"]
    inlines = [ReportPhotoInline]
    actions = ["hide_contact", "hide_photos"]

    def get_readonly_fields(self, request: HttpRequest, obj: Report | None = None) -> list[str]:
        fields = [field.name for field in Report._meta.fields]
        return fields

    def get_fields(self, request: HttpRequest, obj: Report | None = None) -> list[str]:
        fields = [field.name for field in Report._meta.fields if field.name != "id"]
        if obj is not None and (obj.contact_hidden or obj.contact_purged_at):
            hidden = {"contact_name", "contact_email", "contact_phone"}
            fields = [name for name in fields if name not in hidden]
        return fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Hide the personal details"), permissions=["moderate"])
    def hide_contact(self, request: HttpRequest, queryset: QuerySet[Report]) -> None:
        for report in queryset:
            services.report_contact_hide(report_id=report.pk, by=request.user)  # type: ignore[arg-type]
        messages.success(request, _("Personal details hidden."))

    @admin.action(description=_("Hide the photos"), permissions=["moderate"])
    def hide_photos(self, request: HttpRequest, queryset: QuerySet[Report]) -> None:
        for photo in ReportPhoto.objects.filter(report__in=queryset, hidden=False):
            services.report_photo_hide(photo_id=photo.pk, by=request.user)  # type: ignore[arg-type]
        messages.success(request, _("Photos hidden."))

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm("citizens.moderate_report"))


@admin.register(QuickAnswer)
class QuickAnswerAdmin(admin.ModelAdmin):
    list_display = ["title", "order"]
    search_fields = ["title", "keywords", "body"]


@admin.register(DuplicateRadius)
class DuplicateRadiusAdmin(admin.ModelAdmin):
    list_display = ["category_code", "radius_m"]


@admin.register(CallLog)
class CallLogAdmin(NoPersonalLookups, admin.ModelAdmin):
    list_display = ["at", "reason", "taken_by"]
    list_filter = ["reason"]
    readonly_fields = ["at", "reason", "caller_number", "note", "report", "taken_by"]
