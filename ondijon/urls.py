from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from hypervisor import access
from ondijon import health

handler500 = "ondijon.errors.server_error"

admin.site.site_header = "OnDijon"
admin.site.site_title = "OnDijon"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("i18n/setlang/", access.public(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("api/schema/", access.public(SpectacularAPIView.as_view()), name="api-schema"),
    path(
        "api/docs/",
        access.public(SpectacularSwaggerView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path("", include("hypervisor.urls")),
    path("", include("hypervisor.telemetry.urls")),
    path("", include("incidents.urls")),
    path("", include("citizens.urls")),
    path("", include("lighting.urls")),
    path("", include("traffic.urls")),
    path("", include("opendata.urls")),
]

if settings.DEBUG:
    urlpatterns.append(
        path("media/<path:path>", access.public(serve), {"document_root": settings.MEDIA_ROOT})
    )
