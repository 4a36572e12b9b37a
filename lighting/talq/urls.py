from django.urls import URLPattern, path

from lighting.talq import views
from lighting.talq.models import TalqDocument

_KINDS = [
    ("device-classes", TalqDocument.Kind.DEVICE_CLASS),
    ("lamp-types", TalqDocument.Kind.LAMP_TYPE),
    ("luminaire-types", TalqDocument.Kind.LUMINAIRE_TYPE),
]

urlpatterns: list[URLPattern] = [
    path("talq/services", views.ServicesView.as_view(), name="talq-services"),
    path("talq/devices", views.DevicesView.as_view(), name="talq-devices"),
    path("talq/devices/<str:address>", views.DeviceView.as_view(), name="talq-device"),
    path(
        "talq/devices/<str:address>/<str:function>",
        views.DeviceFunctionView.as_view(),
        name="talq-device-function",
    ),
    path(
        "talq/devices/<str:address>/<str:function>/<str:attribute>",
        views.DeviceFunctionView.as_view(),
        name="talq-device-attribute",
    ),
    path("talq/log-reports", views.LogReportsView.as_view(), name="talq-log-reports"),
    path(
        "talq/logger-configs/<str:address>",
        views.LoggerConfigView.as_view(),
        name="talq-logger-config",
    ),
]
for prefix, kind in _KINDS:
    urlpatterns += [
        path(f"talq/{prefix}", views.DocumentsView.as_view(kind=kind), name=f"talq-{prefix}"),
        path(
            f"talq/{prefix}/<str:key>",
            views.DocumentView.as_view(kind=kind),
            name=f"talq-{prefix}-one",
        ),
    ]
    if kind != TalqDocument.Kind.DEVICE_CLASS:
        # Placed before the one-document path, so that "count" is not taken for an address.
        urlpatterns.insert(
            len(urlpatterns) - 2,
            path(
                f"talq/{prefix}/count",
                views.DocumentCountView.as_view(kind=kind),
                name=f"talq-{prefix}-count",
            ),
        )
