from django.urls import URLPattern, URLResolver, path

from lighting import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("eclairage/", views.board, name="lighting-board"),
    path("eclairage/forcage/", views.override, name="lighting-override"),
]
