"""WebSocket routes. Each consumer checks who may connect; apps add theirs from apps.py."""

from django.urls import path

from hypervisor.consumers import ControlRoomConsumer, CrisisBannerConsumer
from hypervisor.registry import registry

websocket_urlpatterns = [
    path("ws/control/", ControlRoomConsumer.as_asgi()),
    path("ws/crisis/", CrisisBannerConsumer.as_asgi()),
    *registry.websocket_routes(),
]
