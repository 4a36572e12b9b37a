from typing import Any

from django.conf import settings
from django.http import HttpRequest


def territory(request: HttpRequest) -> dict[str, Any]:
    return {
        "TERRITORY_NAME": settings.TERRITORY_NAME,
        "DEMO_MODE": settings.DEMO_MODE,
        "TILES_URL": settings.TILES_URL,
        "TILES_ATTRIBUTION": settings.TILES_ATTRIBUTION,
        "TERRITORY_TIME_ZONE": settings.TIME_ZONE,
    }
