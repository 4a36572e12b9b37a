"""Open incidents near a point, whatever their source, for duplicate checks."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from django.db.models import Q

from hypervisor import geo
from incidents.models import OPEN_STATUSES, Incident, LocatedBy

# A bounding box a few hundred metres wide never holds more open incidents than this.
NEAR_LIMIT = 500


def incident_list_open_near(
    *,
    category_code: str,
    lat: float,
    lon: float,
    radius_m: float,
    since: datetime | None = None,
) -> list[dict[str, Any]]:
    """Open incidents of the category within the radius, nearest first.

    Any source counts (citizen form, phone, Open311, operator, equipment alarm): a lamp an
    alarm already reported is the same lamp a passer-by sees. SQL keeps the bounding box
    (the lat/lon index), then the great-circle distance decides. With `since`, only
    incidents opened or reopened since then are kept (the duplicate time window).
    """
    dlat = geo.metres_to_degrees_lat(radius_m)
    dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
    rows = Incident.objects.select_related("category").filter(
        category__code=category_code,
        status__in=OPEN_STATUSES,
        lat__range=(lat - dlat, lat + dlat),
        lon__range=(lon - dlon, lon + dlon),
    )
    if since is not None:
        rows = rows.filter(Q(created_at__gte=since) | Q(reopened_at__gte=since))
    nearby = []
    for incident in rows.order_by("created_at")[:NEAR_LIMIT]:
        distance = geo.haversine_m(lat, lon, incident.lat or 0.0, incident.lon or 0.0)
        if distance > radius_m:
            continue
        nearby.append(
            {
                "incident_id": incident.pk,
                "reference": incident.reference,
                "category": incident.category.label,
                "icon": incident.category.icon,
                "status": incident.status,
                "status_label": str(incident.get_status_display()),
                "source": incident.source,
                # A commune's centre says which commune, not where: callers may skip it.
                "located_by_commune": incident.located_by == LocatedBy.COMMUNE,
                "distance_m": distance,
                "created_at": incident.created_at,
            }
        )
    nearby.sort(key=lambda row: (row["distance_m"], row["created_at"]))
    return nearby
