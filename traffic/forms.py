from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from traffic.models import Camera

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class EvidenceRequestForm(forms.Form):
    procedure_reference = forms.CharField(
        label=_("Requisition or procedure reference"), max_length=80
    )
    authority = forms.CharField(label=_("Requesting authority"), max_length=160)
    cameras = forms.ModelMultipleChoiceField(
        label=_("Cameras"), queryset=Camera.objects.order_by("reference"), to_field_name="reference"
    )
    starts_at = forms.DateTimeField(label=_("From"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Until"), widget=DATETIME)
    motive = forms.CharField(label=_("Motive"), widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(forms.Form):
    approve = forms.BooleanField(required=False)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class ExtractionForm(forms.Form):
    cameras = forms.ModelMultipleChoiceField(
        label=_("Cameras"), queryset=Camera.objects.order_by("reference"), to_field_name="reference"
    )
    range_start = forms.DateTimeField(label=_("Footage from"), widget=DATETIME)
    range_end = forms.DateTimeField(label=_("Footage until"), widget=DATETIME)
    sha256 = forms.CharField(label=_("SHA-256 of the file"), min_length=64, max_length=64)
    medium = forms.CharField(label=_("Medium"), max_length=80)
    recipient = forms.CharField(label=_("Recipient"), max_length=160)
    delivered_at = forms.DateTimeField(label=_("Delivered at"), widget=DATETIME)


class BollardCommandForm(forms.Form):
    lower = forms.BooleanField(required=False)
    reason = forms.CharField(label=_("Vehicle or emergency"), max_length=200)


class SignalCommandForm(forms.Form):
    from traffic.models import SignalCommand as _Command

    action = forms.ChoiceField(label=_("Command"), choices=_Command.Action.choices)
    time_plan = forms.IntegerField(label=_("Time plan"), min_value=1, max_value=255, required=False)
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.TextInput(), required=False
    )


class CommandConfirmationForm(forms.Form):
    approve = forms.BooleanField(required=False)
