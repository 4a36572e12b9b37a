"""Staff login (throttled, with a second step for a TOTP code) and second-factor enrolment."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from hypervisor.access import public, requires
from hypervisor.security import second_factor
from hypervisor.security.forms import ConfirmCodeForm, LoginCodeForm, LoginForm
from hypervisor.security.sessions import now

PENDING = "login_pending_second_factor"
# The code must follow the password within this delay.
PENDING_SECONDS = 300


class LoginView(auth_views.LoginView):
    """Password first; a user with a confirmed device is then asked for a code."""

    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        user = form.get_user()
        if not second_factor.enrolled(user):
            return super().form_valid(form)
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "at": now(),
            "next": self.get_success_url(),
        }
        return redirect("login-code")

    def form_invalid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_invalid(form)
        if form.is_locked():
            response.status_code = 429
        return response


# The method is checked first: LoginView sends a signed-in user away whatever the method.
login = public(require_http_methods(["GET", "HEAD", "POST", "OPTIONS"])(LoginView.as_view()))


def _pending_user(request: HttpRequest) -> tuple[Any, dict[str, Any]] | None:
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict) or now() - int(pending.get("at", 0)) > PENDING_SECONDS:
        return None
    user = get_user_model().objects.filter(pk=int(pending["user"]), is_active=True).first()
    return (user, pending) if user is not None else None


@require_http_methods(["GET", "HEAD", "POST"])
@public
def login_code(request: HttpRequest) -> HttpResponse:
    """Second step of the login: the code of the user who just gave the right password."""
    found = _pending_user(request)
    if found is None:
        request.session.pop(PENDING, None)
        if request.method == "POST":
            messages.info(request, _("The login took too long: enter your password again."))
        return redirect("login")
    user, pending = found
    form = LoginCodeForm(request.POST or None, request=request, user=user)
    if request.method == "POST" and form.is_valid():
        del request.session[PENDING]
        auth_login(request, user, backend=pending["backend"])
        otp_login(request, form.device)
        return redirect(pending["next"])
    status = 429 if request.method == "POST" and form.is_locked() else 200
    return render(request, "registration/login_code.html", {"form": form}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@requires("hypervisor.use_second_factor")
def second_factor_page(request: HttpRequest) -> HttpResponse:
    """Turn the second factor on (QR code, then a first code), or off with a current code."""
    user = request.user
    form = ConfirmCodeForm(request.POST or None)
    if second_factor.enrolled(user):
        mandatory = second_factor.required_for(user)
        if request.method == "POST" and form.is_valid() and not mandatory:
            if second_factor.second_factor_remove(user=user, token=form.cleaned_data["code"]):
                messages.success(request, _("Two-factor authentication is off."))
                return redirect("second-factor")
            form.add_error("code", _("This code is not valid, or was already used."))
        context = {"enrolled": True, "mandatory": mandatory, "form": form}
        return render(request, "hypervisor/second_factor.html", context)
    device = second_factor.pending_device(user)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["code"]
        if second_factor.enrolment_confirm(user=user, device=device, token=token):
            otp_login(request, device)
            messages.success(request, _("Two-factor authentication is on."))
            return redirect("home")
        form.add_error("code", _("This code is not valid. Check the time on your phone."))
    context = {
        "enrolled": False,
        "mandatory": second_factor.required_for(user),
        "form": form,
        "qr_svg": second_factor.qr_svg(device),
        "secret": second_factor.secret_of(device),
    }
    return render(request, "hypervisor/second_factor.html", context)
