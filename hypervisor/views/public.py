from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from hypervisor.access import public
from hypervisor.registry import registry


@require_safe
@public
def home(request: HttpRequest) -> HttpResponse:
    """Landing page: what this visitor may open."""
    user = request.user
    sections = [
        {"label": section.label, "url": reverse(section.url_name)}
        for section in registry.sections()
        if section.permission is None
        or (user.is_authenticated and user.has_perm(section.permission))
    ]
    return render(request, "hypervisor/home.html", {"sections": sections})


logout = public(auth_views.LogoutView.as_view())


@require_safe
@public
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """The accessibility statement French public bodies must publish (RGAA 4.1)."""
    return render(
        request, "hypervisor/accessibility.html", {"contact": settings.DEFAULT_FROM_EMAIL}
    )
