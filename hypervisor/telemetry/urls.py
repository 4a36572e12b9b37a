from django.urls import path

from hypervisor.telemetry.views import TelemetryView

urlpatterns = [path("api/v1/telemetry/", TelemetryView.as_view(), name="telemetry")]
