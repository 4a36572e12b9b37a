from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hypervisor import selectors as hypervisor_selectors
from incidents import selectors as incident_selectors

PHONE = re.compile(r"^\+?[0-9][0-9 .\-]{7,18}$")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


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
    photos = forms.FileField(
        label=_("Photos (optional)"),
        help_text=_("JPEG, PNG or WebP; up to 3 photos."),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    photo_position = forms.BooleanField(
        label=_("Use the place recorded in my photo to suggest the location"),
        required=False,
    )
    contact_email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        error_messages={"invalid": _("This e-mail address does not look right.")},
    )
    contact_phone = forms.CharField(
        label=_("Mobile phone (for SMS)"), required=False, max_length=20
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the city keeps this contact to tell me how my report progresses. "
            "It is never published and is erased at the latest two years after the problem "
            "is closed."
        ),
        required=False,
    )
    # Filled only by robots: the field is hidden from people and from assistive technology.
    website = forms.CharField(required=False)
    form_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=32)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.category_options = incident_selectors.category_options()
        self.fields["category"].choices = [
            (option["code"], option["label"]) for option in self.category_options
        ]

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get("website", "").strip())

    def clean_contact_phone(self) -> str:
        phone = str(self.cleaned_data.get("contact_phone") or "").strip()
        if phone and not PHONE.match(phone):
            raise forms.ValidationError(
                _("Give a phone number of digits only, such as 06 12 34 56 78."), code="phone"
            )
        return phone

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        lat, lon = cleaned.get("lat"), cleaned.get("lon")
        if (lat is None) != (lon is None):
            self.add_error(
                "lat", forms.ValidationError(_("The location is incomplete: place the pin again."))
            )
        elif (
            lat is not None
            and lon is not None
            and not hypervisor_selectors.territory_contains(lat=lat, lon=lon)
        ):
            self.add_error(
                "lat",
                forms.ValidationError(
                    _("This place is outside the territory we look after. Move the pin."),
                    code="location_outside",
                ),
            )
        has_contact = cleaned.get("contact_email") or cleaned.get("contact_phone")
        if has_contact and not cleaned.get("consent"):
            self.add_error(
                "consent",
                forms.ValidationError(
                    _("Tick this box so that we may keep your contact, or leave it empty."),
                    code="consent",
                ),
            )
        return cleaned


class FollowForm(forms.Form):
    incident = forms.IntegerField(widget=forms.HiddenInput)


class FixAnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("confirm", "confirm"), ("reopen", "reopen")])
    description = forms.CharField(required=False, max_length=1000, widget=forms.Textarea)


class CallForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason for the call"), widget=forms.RadioSelect)
    caller_number = forms.CharField(
        label=_("Caller's number (optional)"), required=False, max_length=20
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from citizens.models import CallReason

        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = CallReason.choices
        self.fields["reason"].error_messages["required"] = _("Choose why the person called.")

    def clean_caller_number(self) -> str:
        number = str(self.cleaned_data.get("caller_number") or "").strip()
        if number and not PHONE.match(number):
            raise forms.ValidationError(_("Give a phone number of digits only."))
        return number


class PhoneReportForm(forms.Form):
    """A report filed by a teleoperator for a caller; the place is a commune of the territory."""

    category = forms.ChoiceField(label=_("Kind of problem"))
    description = forms.CharField(
        label=_("What the caller describes"),
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    address = forms.CharField(
        label=_("Address or place, as the caller gives it (optional)"),
        required=False,
        max_length=200,
        help_text=_("Located from the address, else the commune; otherwise placed by hand."),
    )
    place = forms.ChoiceField(label=_("Commune"), required=False)
    caller_number = forms.CharField(
        label=_("Caller's number (optional)"), required=False, max_length=20
    )
    sms_consent = forms.BooleanField(
        label=_("The caller agrees to receive SMS updates at this number"), required=False
    )

    def __init__(self, *args: Any, places: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.places = {place["name"]: place for place in places}
        self.fields["category"].choices = [
            (option["code"], option["label"]) for option in incident_selectors.category_options()
        ]
        self.fields["place"].choices = [("", _("Unknown"))] + [(name, name) for name in self.places]

    def clean_caller_number(self) -> str:
        number = str(self.cleaned_data.get("caller_number") or "").strip()
        if number and not PHONE.match(number):
            raise forms.ValidationError(_("Give a phone number of digits only."))
        return number

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("sms_consent") and not cleaned.get("caller_number"):
            self.add_error("caller_number", _("Give the number the caller agreed to."))
        return cleaned
