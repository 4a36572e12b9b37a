"""Login and second-factor forms; throttled before any password or code is checked."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django.views.decorators.debug import sensitive_variables

from hypervisor.client_address import client_ip
from hypervisor.security import login_throttle, second_factor

LOCKED_MESSAGE = ngettext_lazy(
    "Too many failed login attempts. Try again in %(minutes)d minute, or ask an administrator.",
    "Too many failed login attempts. Try again in %(minutes)d minutes, or ask an administrator.",
    "minutes",
)


def _locked(attempt: login_throttle.Attempt) -> ValidationError:
    return ValidationError(
        LOCKED_MESSAGE, code="locked", params={"minutes": attempt.retry_after_minutes}
    )


class LoginForm(AuthenticationForm):
    """Django's login form, with each attempt counted before the password is checked."""

    @sensitive_variables("password")
    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            address = client_ip(self.request) if self.request else "unknown"
            attempt = login_throttle.attempt_begin(username=username, address=address)
            if not attempt.allowed:
                raise _locked(attempt)
            self.user_cache = authenticate(self.request, username=username, password=password)
            if self.user_cache is None:
                login_throttle.attempt_failed(attempt)
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
            login_throttle.attempt_succeeded(attempt)
        return self.cleaned_data

    def is_locked(self) -> bool:
        return any(error.code == "locked" for error in self.non_field_errors().as_data())


class CodeField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            label=_("Code from your authenticator app"),
            max_length=12,
            widget=forms.TextInput(
                attrs={
                    "autocomplete": "one-time-code",
                    "inputmode": "numeric",
                    "autofocus": True,
                }
            ),
            **kwargs,
        )


class LoginCodeForm(forms.Form):
    """The second step: the current code of the user who gave the right password."""

    code = CodeField()

    def __init__(self, *args: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request, self.user, self.device = request, user, None

    def clean(self) -> dict[str, Any]:
        code = self.cleaned_data.get("code")
        if code:
            attempt = login_throttle.attempt_begin(
                username=self.user.get_username(), address=client_ip(self.request)
            )
            if not attempt.allowed:
                raise _locked(attempt)
            self.device = second_factor.verify(self.user, code)
            if self.device is None:
                login_throttle.attempt_failed(attempt)
                raise ValidationError(
                    _("This code is not valid, or was already used. Wait for the next one."),
                    code="invalid_code",
                )
            login_throttle.attempt_succeeded(attempt)
        return self.cleaned_data

    def is_locked(self) -> bool:
        return any(error.code == "locked" for error in self.non_field_errors().as_data())


class ConfirmCodeForm(forms.Form):
    """A code proving the user holds the device (enrolment, removal)."""

    code = CodeField()
