from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class OverrideForm(forms.Form):
    commune_insee = forms.ChoiceField(label=_("Commune"))
    level = forms.IntegerField(label=_("Level (%)"), min_value=0, max_value=100)
    hours = forms.IntegerField(label=_("For (hours)"), min_value=1, max_value=72, initial=4)
    reason = forms.CharField(label=_("Event or crisis"), max_length=200)

    def __init__(self, *args: Any, communes: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commune_insee"].choices = sorted(communes.items(), key=lambda item: item[1])


class ReconcileForm(forms.Form):
    """Which light point or cabinet a declared TALQ device stands for (by its reference)."""

    reference = forms.CharField(label=_("Light point or cabinet reference"), max_length=40)
