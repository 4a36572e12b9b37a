"""ASGI entry point: HTTP through Django, WebSockets through Channels.

The lifespan protocol starts the equipment simulator inside the server process when
ONDIJON_SIMULATOR is on, so that the embedded mode's in-memory channel layer reaches
the browsers.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ondijon.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from hypervisor.lifespan import LifespanHandler  # noqa: E402
from hypervisor.security.origin import SameOriginValidator  # noqa: E402
from hypervisor.security.sessions import StaffSessionWebSocketMiddleware  # noqa: E402
from ondijon.concurrency import ConcurrencyLimit  # noqa: E402
from ondijon.routing import websocket_urlpatterns  # noqa: E402

application = LifespanHandler(
    ProtocolTypeRouter(
        {
            "http": ConcurrencyLimit(django_asgi_app),
            "websocket": SameOriginValidator(
                AuthMiddlewareStack(
                    StaffSessionWebSocketMiddleware(URLRouter(websocket_urlpatterns))
                )
            ),
        }
    )
)
