"""GeoReport v2 representations: what each Open311 document holds, in JSON and XML.

Reporters' names, e-mails and phones are never part of any document; the description is
left out as well, like on the tracking page, since citizens' free text may name people.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from xml.etree import ElementTree

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from citizens import selectors
from citizens.models import Report
from hypervisor import geo
from incidents import selectors as incident_selectors

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CLOSED_STATUSES = {"resolved", "closed", "rejected", "duplicate", "cancelled"}
DANGER_ATTRIBUTE = "danger"


def open311_datetime(value: datetime | None) -> str:
    """W3C format with the offset, as the specification's examples (2010-04-14T06:37:38-08:00)."""
    if value is None:
        return ""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def service_list() -> list[dict[str, Any]]:
    return [
        {
            "service_code": option["code"],
            "service_name": option["label"],
            "description": option["label"],
            "metadata": True,
            "type": "realtime",
            "keywords": option["code"].replace("-", ","),
            "group": option["code"].split("-", 1)[0],
        }
        for option in incident_selectors.category_options()
    ]


def service_definition(*, service_code: str) -> dict[str, Any] | None:
    if service_code not in incident_selectors.category_codes_active():
        return None
    return {
        "service_code": service_code,
        "attributes": [
            {
                "variable": True,
                "code": DANGER_ATTRIBUTE,
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": _("Answer yes if people are in immediate danger."),
                "order": 1,
                "description": _("Is anyone in immediate danger?"),
                "values": [{"key": "yes", "name": _("Yes")}, {"key": "no", "name": _("No")}],
            }
        ],
    }


def open311_day(value: datetime | None) -> str:
    """The local day only, as a W3C date-time at midnight: what anonymous clients get."""
    if value is None:
        return ""
    local = timezone.localtime(value).replace(hour=0, minute=0, second=0, microsecond=0)
    return local.isoformat()


def coarse_position(lat: float, lon: float) -> tuple[float, float]:
    """(lat, lon) of the centre of the open-data grid cell holding the point."""
    lon_c, lat_c = geo.snap_all_to_grid([lat], [lon], grid_m=settings.OPENDATA_GRID_METRES)[0]
    return lat_c, lon_c


def service_request(
    report: Report,
    *,
    base_url: str,
    exact: bool = False,
    views: dict[int, dict[str, Any]] | None = None,
    photos: dict[int, str] | None = None,
) -> dict[str, Any] | None:
    """A report as Open311 publishes it.

    Without `exact` (anonymous callers) positions are the centre of the open data's grid
    cell and times are cut to the day, as in the published incidents: a request list must
    not undo the open data's coarsening. Client applications holding an API key get the
    exact position and time their users gave.
    """
    incident_id = report.master_incident_id or report.incident_id
    # A list passes what it read in bulk (`views`, `photos`); one request reads its own.
    view = (
        views.get(incident_id)
        if views is not None
        else incident_selectors.incident_public_view(incident_id=incident_id)
    )
    if view is None:
        return None
    updated = view["history"][-1]["at"] if view["history"] else view["created_at"]
    photo = (
        photos.get(report.incident_id)
        if photos is not None
        else selectors.first_visible_photo_url(incident_id=report.incident_id)
    )
    when = open311_datetime if exact else open311_day
    lat, lon = report.lat, report.lon
    if not exact and lat is not None and lon is not None:
        lat, lon = coarse_position(lat, lon)
    return {
        "service_request_id": report.reference,
        "status": "closed" if view["status"] in CLOSED_STATUSES else "open",
        "status_notes": view["reason"] or str(view["status_label"]),
        "service_name": view["category"],
        "service_code": report.category_code,
        "description": "",
        "agency_responsible": "",
        "service_notice": "",
        "requested_datetime": when(report.created_at),
        "updated_datetime": when(updated),
        "address": view["commune"],
        "address_id": "",
        "zipcode": "",
        "lat": lat if lat is not None else "",
        "long": lon if lon is not None else "",
        "media_url": base_url + photo if photo else "",
    }


def discovery(*, base_url: str) -> dict[str, Any]:
    return {
        "changeset": "2026-12-04T00:00:00+01:00",
        "contact": settings.DEFAULT_FROM_EMAIL,
        "key_service": _("Ask the city for an API key to post service requests."),
        # Where this endpoint differs from GeoReport v2 on purpose (docs/citizens.md).
        "notes": [
            _("address_id is not supported: locate a request by lat/long or address_string."),
            _(
                "Reporters' names, e-mails, phones and descriptions are never published: "
                "description is empty in every read."
            ),
            _("expected_datetime is left out: deadlines are internal commitments."),
        ],
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": f"{base_url}/open311/v2",
                "changeset": "2026-12-04T00:00:00+01:00",
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }


# XML: the element names of the specification's examples.
_XML_ITEM = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "notes": "note",
}


def _xml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _xml_fill(element: ElementTree.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _xml_fill(ElementTree.SubElement(element, key), item)
    elif isinstance(value, list):
        child_name = _XML_ITEM.get(element.tag, "item")
        for item in value:
            _xml_fill(ElementTree.SubElement(element, child_name), item)
    else:
        element.text = _xml_value(value)


def to_xml(root: str, document: Any) -> bytes:
    element = ElementTree.Element(root)
    _xml_fill(element, document)
    return ElementTree.tostring(element, encoding="utf-8", xml_declaration=True)
