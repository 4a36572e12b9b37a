from django.urls import URLPattern, URLResolver, path

from mobility import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("mobilite/", views.mobility_board, name="mobility-board"),
    path("mobilite/direct.json", views.mobility_live, name="mobility-live"),
    path("mobilite/reseau.geojson", views.mobility_network, name="mobility-network"),
    path("mobilite/parkings/<slug:reference>/", views.car_park_detail, name="car-park-detail"),
    path(
        "mobilite/incidents/<int:incident_id>/prevenir-exploitant/",
        views.transport_operator_notify,
        name="mobility-notify-operator",
    ),
    path("mobilite/flux/", views.feeds_status, name="mobility-feeds"),
    path("mobilite/flux/<int:pk>/", views.feed_detail, name="mobility-feed"),
]
