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
    reference = forms.CharField(
        label=_("Reference of the incident the call is about (optional)"),
        required=False,
        max_length=40,
    )

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

    def clean_reference(self) -> int | None:
        """The incident's id, from its reference as the caller reads it."""
        from citizens import selectors

        reference = str(self.cleaned_data.get("reference") or "").strip()
        if not reference:
            return None
        incident_id = selectors.incident_id_for_reference(reference=reference)
        if incident_id is None:
            raise forms.ValidationError(_("No incident has this reference."))
        return incident_id


class PhoneReportForm(forms.Form):
    """A report filed by a teleoperator for a caller.

    The place is an address found with the search box or a pin on the map; the commune
    alone is a last resort, kept as such (it is never matched against other reports).
    """

    category = forms.ChoiceField(label=_("Kind of problem"))
    description = forms.CharField(
        label=_("What the caller describes"),
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Write down what the caller describes."),
            "min_length": _("Give a little more detail (at least %(limit_value)d characters)."),
        },
    )
    address = forms.CharField(label=_("Address"), required=False, max_length=250)
    lat = forms.FloatField(widget=forms.HiddenInput, min_value=-90, max_value=90, required=False)
    lon = forms.FloatField(widget=forms.HiddenInput, min_value=-180, max_value=180, required=False)
    place = forms.ChoiceField(label=_("Commune only (last resort)"), required=False)
    caller_number = forms.CharField(
        label=_("Caller's number (optional)"), required=False, max_length=20
    )
    sms_consent = forms.BooleanField(
        label=_("The caller agrees to receive SMS updates at this number"), required=False
    )
    # Set when the teleoperator saw the reports nearby and files a new one all the same.
    file_anyway = forms.BooleanField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, places: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.places = {place["name"]: place for place in places}
        self.fields["category"].choices = [("", "—")] + [
            (option["code"], option["label"]) for option in incident_selectors.category_options()
        ]
        self.fields["place"].choices = [("", "—")] + [(name, name) for name in self.places]

    def clean_caller_number(self) -> str:
        number = str(self.cleaned_data.get("caller_number") or "").strip()
        if number and not PHONE.match(number):
            raise forms.ValidationError(_("Give a phone number of digits only."))
        return number

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("sms_consent") and not cleaned.get("caller_number"):
            self.add_error("caller_number", _("Give the number the caller agreed to."))
        lat, lon = cleaned.get("lat"), cleaned.get("lon")
        if (lat is None) != (lon is None):
            self.add_error("address", _("The location is incomplete: choose the address again."))
        elif lat is not None and lon is not None:
            if not hypervisor_selectors.territory_contains(lat=lat, lon=lon):
                self.add_error("address", _("This place is outside the territory we look after."))
        elif not cleaned.get("place") and not str(cleaned.get("address") or "").strip():
            self.add_error(
                "address",
                _("Find the address, place the pin on the map, or at least choose the commune."),
            )
        return cleaned

    @property
    def location(self) -> dict[str, Any] | None:
        """Where the problem is: a chosen address or pin is precise; otherwise the words the
        caller gave (an address not picked from the list, the commune) are left for the report
        service to locate from the gazetteer, else the commune, else an operator by hand."""
        data = self.cleaned_data
        if data.get("lat") is not None and data.get("lon") is not None:
            return {"lat": data["lat"], "lon": data["lon"], "precise": True, "address": ""}
        place = self.places.get(data.get("place") or "")
        words = [str(data.get("address") or "").strip(), place["name"] if place else ""]
        address = ", ".join(word for word in words if word)
        if not address:
            return None
        return {"lat": None, "lon": None, "precise": False, "address": address}


class PhoneFollowForm(forms.Form):
    """The caller follows an incident the portal offered instead of filing it again."""

    incident = forms.IntegerField(widget=forms.HiddenInput)
    category = forms.CharField(widget=forms.HiddenInput)
    lat = forms.FloatField(widget=forms.HiddenInput)
    lon = forms.FloatField(widget=forms.HiddenInput)
    caller_number = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    sms_consent = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean_caller_number(self) -> str:
        number = str(self.cleaned_data.get("caller_number") or "").strip()
        if number and not PHONE.match(number):
            raise forms.ValidationError(_("Give a phone number of digits only."))
        return number
