from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hypervisor import selectors as hypervisor_selectors
from incidents import selectors as incident_selectors


class ReportForm(forms.Form):
    category = forms.ChoiceField(
        label=_("What is the problem?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the kind of problem.")},
    )
    description = forms.CharField(
        label=_("Describe it"),
        help_text=_("What you see, and where exactly (a landmark helps the crew)."),
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Describe the problem in a few words."),
            "min_length": _("Give a little more detail (at least %(limit_value)d characters)."),
            "max_length": _("Keep it under %(limit_value)d characters."),
        },
    )
    lat = forms.FloatField(widget=forms.HiddenInput, min_value=-90, max_value=90, required=False)
    lon = forms.FloatField(widget=forms.HiddenInput, min_value=-180, max_value=180, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.category_options = incident_selectors.category_options()
        self.fields["category"].choices = [
            (option["code"], option["label"]) for option in self.category_options
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        lat, lon = cleaned.get("lat"), cleaned.get("lon")
        if lat is None or lon is None:
            raise forms.ValidationError(
                _("Place the pin on the map where the problem is."), code="location_missing"
            )
        if not hypervisor_selectors.territory_contains(lat=lat, lon=lon):
            raise forms.ValidationError(
                _("This place is outside the territory we look after. Move the pin."),
                code="location_outside",
            )
        return cleaned
