from django.urls import URLPattern, URLResolver, path

from traffic import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("signalisation/", views.signals_board, name="signals-board"),
    path(
        "signalisation/bornes/<str:reference>/commande/",
        views.bollard_command,
        name="bollard-command",
    ),
    path(
        "signalisation/carrefours/<str:reference>/",
        views.crossroad_detail,
        name="crossroad-detail",
    ),
    path(
        "signalisation/carrefours/<str:reference>/commande/",
        views.crossroad_command,
        name="crossroad-command",
    ),
    path(
        "signalisation/commandes/<int:pk>/confirmation/",
        views.signal_command_confirm,
        name="signal-command-confirm",
    ),
    path("cameras/", views.cameras_board, name="cameras-board"),
    path("cameras/registre/", views.evidence_register, name="evidence-register"),
    path("cameras/registre/demande/", views.evidence_request_file, name="evidence-request-file"),
    path(
        "cameras/registre/<int:pk>/decision/",
        views.evidence_request_decide,
        name="evidence-request-decide",
    ),
    path(
        "cameras/registre/<int:pk>/extraction/",
        views.evidence_extraction_record,
        name="evidence-extraction",
    ),
    path(
        "cameras/registre/export.csv",
        views.evidence_register_export,
        name="evidence-register-export",
    ),
]
