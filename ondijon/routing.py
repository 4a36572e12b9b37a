"""WebSocket routes. Each consumer checks who may connect; apps add theirs from apps.py."""

from django.urls import path

from hypervisor.consumers import ControlRoomConsumer
from hypervisor.registry import registry

websocket_urlpatterns = [
    path("ws/control/", ControlRoomConsumer.as_asgi()),
    *registry.websocket_routes(),
]
