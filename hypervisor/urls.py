from django.urls import path

from hypervisor import views

urlpatterns = [
    path("", views.home, name="home"),
    path("connexion/", views.login, name="login"),
    path("deconnexion/", views.logout, name="logout"),
    path("controle/", views.control_room, name="control-room"),
]
