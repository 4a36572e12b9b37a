from django.urls import path

from citizens import views

urlpatterns = [
    path("signaler/", views.report_form, name="report"),
    path("suivi/<str:token>/", views.report_tracking, name="report-tracking"),
]
