from django.urls import URLPattern, URLResolver, path

from lighting import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("eclairage/", views.board, name="lighting-board"),
]
