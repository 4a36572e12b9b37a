from django.urls import URLPattern, URLResolver, path

from lighting import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("eclairage/", views.board, name="lighting-board"),
    path("eclairage/forcage/", views.override, name="lighting-override"),
]

from lighting.talq import pages as talq_pages  # noqa: E402

urlpatterns += [
    path(
        "eclairage/passerelles/rapprochement/",
        talq_pages.reconciliation,
        name="talq-reconciliation",
    ),
    path(
        "eclairage/passerelles/rapprochement/<int:device_id>/",
        talq_pages.reconcile,
        name="talq-reconcile",
    ),
]
