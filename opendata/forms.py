from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ApiKeyRequestForm(forms.Form):
    name = forms.CharField(label=_("Project or organisation"), max_length=120)
    email = forms.EmailField(
        label=_("Contact e-mail"),
        help_text=_("Only used to tell you about changes of quota; never published."),
    )
    purpose = forms.CharField(
        label=_("Intended use"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
