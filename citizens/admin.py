from django.contrib import admin

from citizens.models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["id", "incident", "created_at"]
    readonly_fields = ["token", "incident", "created_at"]
