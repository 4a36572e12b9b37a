"""Admin: the lighting inventory, profiles, overrides and energy, to look at (read-only), and
TALQ gateways, whose secrets are issued once and revoked at once."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from hypervisor.admin_readonly import ReadOnlyAdmin
from hypervisor.telemetry.services import gateway_create
from lighting.models import Cabinet, DimmingProfile, LightingOverride, LightPoint, MonthlyEnergy
from lighting.talq import services
from lighting.talq.models import TalqDevice, TalqGateway


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


class TalqGatewayForm(forms.ModelForm):
    """The gateway's name is its credential's; asked here so that one form does both."""

    name = forms.CharField(label=_("name"), max_length=120)
    api_url = forms.URLField(
        label=_("gateway API address"), required=False, assume_scheme="https", max_length=200
    )

    class Meta:
        model = TalqGateway
        fields = ["address", "vendor", "api_url"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["name"].initial = self.instance.credential.name


@admin.register(TalqGateway)
class TalqGatewayAdmin(admin.ModelAdmin):
    list_display = ["__str__", "vendor", "address", "api_url", "last_seen_at", "active"]
    readonly_fields = ["credential", "services", "last_seen_at"]
    actions = ["issue_new_secret", "revoke"]

    form = TalqGatewayForm

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ["name", "address", "vendor", "api_url"]
        return ["name", "address", "vendor", "api_url", "credential", "services", "last_seen_at"]

    @admin.display(boolean=True, description=_("active"))
    def active(self, obj: TalqGateway) -> bool:
        return obj.credential.active

    def save_model(self, request: HttpRequest, obj: TalqGateway, form: Any, change: bool) -> None:
        name = form.cleaned_data["name"]
        if not change:
            credential, secret = gateway_create(name=name)
            obj.credential = credential
            self._show_secret(request, obj, secret, name)
        elif obj.credential.name != name:
            obj.credential.name = name
            obj.credential.save(update_fields=["name"])
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Issue a new secret (the old one stops working)"))
    def issue_new_secret(self, request: HttpRequest, queryset: Any) -> None:
        for gateway in queryset.select_related("credential"):
            secret = gateway.credential.issue_token()
            gateway.credential.active = True
            gateway.credential.save(update_fields=["token_hash", "token_prefix", "active"])
            self._show_secret(request, gateway, secret, gateway.credential.name)

    @admin.action(description=_("Revoke the secret (the gateway is refused at once)"))
    def revoke(self, request: HttpRequest, queryset: Any) -> None:
        for gateway in queryset:
            services.talq_gateway_revoke(gateway=gateway, by=request.user)
        self.message_user(request, _("Access revoked."), messages.SUCCESS)

    def _show_secret(
        self, request: HttpRequest, gateway: TalqGateway, secret: str, name: str
    ) -> None:
        self.message_user(
            request,
            _(
                "Give the vendor, for %(name)s (shown only now): HTTP Basic user %(user)s, "
                "password %(secret)s (or Authorization: Bearer %(secret)s)."
            )
            % {"name": name, "user": gateway.address, "secret": secret},
            messages.WARNING,
        )


@admin.register(TalqDevice)
class TalqDeviceAdmin(admin.ModelAdmin):
    list_display = ["name", "gateway", "device_class", "light_point", "cabinet"]
    list_filter = ["gateway"]
    search_fields = ["name", "external_reference"]
    raw_id_fields = ["light_point", "cabinet"]
    readonly_fields = ["gateway", "address", "name", "device_class", "functions"]
