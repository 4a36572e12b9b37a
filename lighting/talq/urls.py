from django.urls import URLPattern, path

from lighting.talq import views
from lighting.talq.models import TalqDocument

# path prefix, kind, name of the one-document parameter in the published file
_KINDS = [
    ("device-classes", TalqDocument.Kind.DEVICE_CLASS, "className"),
    ("lamp-types", TalqDocument.Kind.LAMP_TYPE, "lampTypeAddress"),
    ("luminaire-types", TalqDocument.Kind.LUMINAIRE_TYPE, "luminaireTypeAddress"),
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
for prefix, kind, parameter in _KINDS:
    listed = kind != TalqDocument.Kind.DEVICE_CLASS  # device classes are only written
    many = views.ListedDocumentsView if listed else views.DocumentsView
    one = views.ReadableDocumentView if listed else views.DocumentView
    urlpatterns += [
        path(
            f"talq/{prefix}",
            many.as_view(kind=kind, spec_path=f"/{prefix}"),
            name=f"talq-{prefix}",
        ),
        path(
            f"talq/{prefix}/<str:key>",
            one.as_view(kind=kind, spec_path=f"/{prefix}/{{{parameter}}}"),
            name=f"talq-{prefix}-one",
        ),
    ]
    if listed:
        # Placed before the one-document path, so that "count" is not taken for an address.
        urlpatterns.insert(
            len(urlpatterns) - 2,
            path(
                f"talq/{prefix}/count",
                views.DocumentCountView.as_view(kind=kind),
                name=f"talq-{prefix}-count",
            ),
        )
