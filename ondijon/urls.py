from django.contrib import admin
from django.urls import include, path
from django.views.decorators.http import require_http_methods, require_safe
from django.views.generic import RedirectView
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from hypervisor import access
from ondijon import api_index, health

handler500 = "ondijon.errors.server_error"

admin.site.site_header = "OnDijon"
admin.site.site_title = "OnDijon"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path(
        "i18n/setlang/",
        access.public(require_http_methods(["GET", "HEAD", "POST"])(set_language)),
        name="set_language",
    ),
    # One login page for the whole site, with its throttling and second factor.
    path(
        "admin/login/",
        access.public(require_safe(RedirectView.as_view(pattern_name="login", query_string=True))),
        name="admin-login",
    ),
    path("admin/", admin.site.urls),
    path("api/", api_index.api_index, name="api-index"),
    path("api/schema/", access.public(SpectacularAPIView.as_view()), name="api-schema"),
    path(
        "api/docs/",
        # Split view: Swagger UI's start-up script is a file, not an inline script (CSP).
        # No OPTIONS metadata: the HTML renderer has no template for it.
        access.public(
            SpectacularSwaggerSplitView.as_view(
                url_name="api-schema", template_name="api/swagger_ui.html", metadata_class=None
            )
        ),
        name="api-docs",
    ),
    path("", include("hypervisor.urls")),
    path("", include("hypervisor.telemetry.urls")),
    path("", include("incidents.urls")),
    path("", include("citizens.urls")),
    path("", include("lighting.urls")),
    path("", include("lighting.talq.urls")),
    path("", include("traffic.urls")),
    path("", include("mobility.urls")),
    path("", include("opendata.urls")),
]
