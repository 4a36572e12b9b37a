from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from hypervisor.models import Commune, CrisisLogEntry, Severity
from hypervisor.roles import Role


class CrisisActivationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, initial="major")
    communes = forms.ModelMultipleChoiceField(
        label=_("Communes concerned"),
        queryset=Commune.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    zone = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_zone(self) -> dict[str, Any] | None:
        raw = self.cleaned_data.get("zone") or ""
        if not raw.strip():
            return None
        try:
            zone = json.loads(raw)
        except ValueError:
            raise forms.ValidationError(_("The drawn zone could not be read.")) from None
        return zone.get("geometry", zone) if isinstance(zone, dict) else None


class CrisisLogForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (CrisisLogEntry.Kind.MESSAGE, _("Message")),
            (CrisisLogEntry.Kind.DECISION, _("Decision")),
        ],
    )
    text = forms.CharField(
        label=_("Text"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class StaffChoiceField(forms.ModelChoiceField):
    """People by name and role ("Claire Martin — Supervisor"), not by login."""

    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name() or obj.get_username()
        roles = [str(Role(group.name).label) for group in obj.groups.all() if group.name in Role]
        return f"{name} — {', '.join(roles)}" if roles else name


class CrisisMemberForm(forms.Form):
    member = StaffChoiceField(
        label=_("Add a member"),
        queryset=get_user_model()
        .objects.filter(is_active=True)
        .prefetch_related("groups")
        .order_by("last_name", "first_name", "username"),
    )


class CrisisCloseForm(forms.Form):
    summary = forms.CharField(
        label=_("Closing summary"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


PERIODS = {"7d": 7, "30d": 30, "90d": 90, "365d": 365}


class KpiFilterForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"),
        required=False,
        choices=[
            ("7d", _("Last 7 days")),
            ("30d", _("Last 30 days")),
            ("90d", _("Last 90 days")),
            ("365d", _("Last 12 months")),
        ],
    )
    commune = forms.ModelChoiceField(
        label=_("Commune"),
        queryset=Commune.objects.all(),
        required=False,
        to_field_name="insee",
        empty_label=_("Whole territory"),
    )


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Action"), required=False, max_length=80)
    actor = forms.CharField(label=_("By"), required=False, max_length=150)
    target = forms.CharField(label=_("On"), required=False, max_length=120)
    day = forms.DateField(
        label=_("Day"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
