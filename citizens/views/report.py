"""The citizen's report form: photos kept across errors, duplicates shown before sending."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import is_ratelimited

from citizens import selectors, services
from citizens.forms import ReportForm
from citizens.models import StagedPhoto
from hypervisor import selectors as hypervisor_selectors
from hypervisor.access import public

TOKEN_LENGTH = 32
MAX_QUERY = 100


def _form_token(request: HttpRequest) -> str:
    token = request.POST.get("form_token", "")
    if len(token) == TOKEN_LENGTH and token.isalnum():
        return token
    return secrets.token_hex(TOKEN_LENGTH // 2)


def _render(
    request: HttpRequest, form: ReportForm, *, token: str, status: int, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "citizens/report_form.html",
        {
            "form": form,
            "form_token": token,
            "category_options": form.category_options,
            "staged_photos": StagedPhoto.objects.filter(form_token=token),
            "max_photos": settings.CITIZENS_MAX_PHOTOS,
            "photo_max_bytes": settings.CITIZENS_PHOTO_MAX_BYTES,
            "communes": hypervisor_selectors.communes_geojson(),
            "places": selectors.places(),
            "map_center": settings.MAP_CENTER,
            **extra,
        },
        status=status,
    )


def rate_limited(
    request: HttpRequest, group: str, *, rate: str | None = None, method: str = "POST"
) -> bool:
    """Counts this request against the client's allowance; True once it is used up.

    The client is its address as `hypervisor.client_address` reads it (a proxy's header
    only when one is configured).
    """
    return bool(
        is_ratelimited(
            request,
            group=group,
            key="ip",
            rate=rate or settings.CITIZENS_RATE_LIMIT,
            method=method,
            increment=True,
        )
    )


@public
@require_GET
def place_search(request: HttpRequest) -> JsonResponse:
    """Communes, streets and addresses for the form's search box: ten at most, as JSON."""
    if rate_limited(
        request, "citizens-place-search", rate=settings.CITIZENS_PLACE_SEARCH_RATE, method="GET"
    ):
        return JsonResponse(
            {"error": _("Too many searches from this connection. Wait a moment.")}, status=429
        )
    response = JsonResponse(
        {
            "results": selectors.place_search(
                query=request.GET.get("q", "")[:MAX_QUERY],
                commune=request.GET.get("commune", "")[:MAX_QUERY],
            )
        }
    )
    # Public data, the same for everyone: shared caches may keep it for a while.
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@public
def report_form(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        token = secrets.token_hex(TOKEN_LENGTH // 2)
        return _render(request, ReportForm(initial={"form_token": token}), token=token, status=200)
    token = _form_token(request)
    form = ReportForm(request.POST)
    if form.is_robot:
        return _render(
            request, ReportForm(), token=token, status=400, refused=_("Your report was not sent.")
        )
    if rate_limited(request, "citizens-report"):
        return _render(
            request,
            form,
            token=token,
            status=429,
            refused=_(
                "Too many reports were sent from this connection. Try again in a few minutes."
            ),
        )
    for photo_id in request.POST.getlist("remove_photo"):
        StagedPhoto.objects.filter(form_token=token, pk=photo_id).delete()
    valid = form.is_valid()
    suggestion = None
    uploads = request.FILES.getlist("photos")
    if uploads:
        try:
            staged = services.photos_stage(
                form_token=token,
                uploads=uploads,
                read_position=bool(form.cleaned_data.get("photo_position")) if valid else False,
            )
        except (services.PhotoRefused, ValidationError) as error:
            message = error.messages[0] if isinstance(error, ValidationError) else str(error)
            if valid:
                form.add_error("photos", message)
            else:
                form.errors.setdefault("photos", form.error_class()).append(message)
            valid = False
        else:
            suggestion = next((photo for photo in staged if photo.suggested_lat is not None), None)
    if valid and suggestion is not None and form.cleaned_data.get("lat") is None:
        # The location read from the photo is only a suggestion: the citizen checks it first.
        data = request.POST.copy()
        data["lat"], data["lon"] = str(suggestion.suggested_lat), str(suggestion.suggested_lon)
        data["form_token"] = token
        return _render(
            request,
            ReportForm(data),
            token=token,
            status=200,
            notice=_("We placed the pin where your photo was taken. Check it, then send."),
        )
    if not valid:
        return _render(request, form, token=token, status=400)
    data = form.cleaned_data
    follow = request.POST.get("follow", "")
    if follow.isdigit():
        if not selectors.duplicate_offered(
            incident_id=int(follow),
            category_code=data["category"],
            lat=data["lat"],
            lon=data["lon"],
        ):
            # Only a report shown to this citizen as a possible duplicate may be followed.
            return _render(
                request,
                form,
                token=token,
                status=400,
                refused=_("This report was not offered as the same problem; send yours instead."),
            )
        try:
            follower = services.incident_follow(
                incident_id=int(follow),
                contact_email=data["contact_email"] if data["consent"] else "",
                contact_phone=data["contact_phone"] if data["consent"] else "",
            )
        except ValidationError as error:
            return _render(request, form, token=token, status=400, refused=error.messages[0])
        StagedPhoto.objects.filter(form_token=token).delete()
        messages.success(request, _("Thank you: you now follow this report."))
        return redirect("report-tracking", token=follower.token)
    if not request.POST.get("submit_anyway"):
        duplicates = selectors.duplicate_candidates(
            category_code=data["category"], lat=data["lat"], lon=data["lon"]
        )
        if duplicates:
            return _render(request, form, token=token, status=200, duplicates=duplicates)
    report = services.report_submit(
        category_code=data["category"],
        description=data["description"],
        lat=data["lat"],
        lon=data["lon"],
        form_token=token,
        contact_email=data["contact_email"],
        contact_phone=data["contact_phone"],
        contact_consent=data["consent"],
        link_duplicates=True,
    )
    messages.success(request, _("Thank you, your report is registered."))
    return redirect("report-tracking", token=report.token)
