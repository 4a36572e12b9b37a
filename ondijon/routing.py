"""WebSocket routes. Each consumer checks who may connect."""

from django.urls import path

from hypervisor.consumers import ControlRoomConsumer

websocket_urlpatterns = [
    path("ws/control/", ControlRoomConsumer.as_asgi()),
]
