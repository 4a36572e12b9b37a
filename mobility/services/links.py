"""Mobility and the rest of the room: incidents blocking roads near lines, crisis cell.

Incidents are read through incidents' selectors and heard of through their typed events;
the operator is notified through the hypervisor's notifications (stored, retried, once).
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hypervisor.services import audit_record, crisis_log_if_near, notify_address
from incidents.selectors import incident_public_view
from mobility import selectors
from mobility.models import IncidentTransitImpact, TransitAlert, TransportOperatorContact


class NotifyRefused(Exception):
    """The transport operator cannot be notified of this incident; says why."""


class AlreadyNotified(NotifyRefused):
    pass


@transaction.atomic
def incident_transit_impact_assess(
    *, incident_id: int, category_code: str, lat: float | None, lon: float | None
) -> IncidentTransitImpact | None:
    """Record the lines an incident of a road-blocking category stands near, if any.

    An incident placed or moved on the map is assessed again at its new place, unless the
    transport operator was already told of it (what they were told stays on record).
    """
    contact = TransportOperatorContact.objects.filter(category_code=category_code).first()
    if contact is None or lat is None or lon is None:
        return None
    known = IncidentTransitImpact.objects.select_for_update().filter(incident_id=incident_id)
    existing = known.first()
    if existing is not None and existing.notified_at is not None:
        return None
    lines = selectors.lines_near(lat=lat, lon=lon, metres=contact.radius_m)
    if existing is not None and not lines:
        existing.delete()
        return None
    if not lines:
        return None
    if existing is not None:
        existing.lat, existing.lon, existing.lines = lat, lon, lines
        existing.found_at = timezone.now()
        existing.full_clean()
        existing.save()
        return existing
    view = incident_public_view(incident_id=incident_id) or {}
    impact = IncidentTransitImpact(
        incident_id=incident_id,
        reference=str(view.get("reference", "")),
        category_code=category_code,
        lat=lat,
        lon=lon,
        lines=lines,
        found_at=timezone.now(),
    )
    impact.full_clean()
    impact.save()
    return impact


@transaction.atomic
def incident_transport_operator_notify(*, incident_id: int, by: User) -> IncidentTransitImpact:
    """E-mail the category's transport operator: reference, category, place, lines. No
    personal data and no free text of the reporter leave the room."""
    impact = IncidentTransitImpact.objects.select_for_update().get(incident_id=incident_id)
    if impact.notified_at is not None:
        raise AlreadyNotified(_("The transport operator was already notified."))
    contact = TransportOperatorContact.objects.filter(category_code=impact.category_code).first()
    if contact is None:
        raise NotifyRefused(_("No transport operator is set for this category of incident."))
    view = incident_public_view(incident_id=incident_id) or {}
    if not view.get("is_open"):
        raise NotifyRefused(
            _("The incident is no longer open: the transport operator is not told.")
        )
    names = ", ".join(line["name"] for line in impact.lines)
    stops = sorted({stop for line in impact.lines for stop in line["stops"]})
    body = "\n".join(
        [
            _("Incident %(reference)s: %(category)s (%(commune)s).")
            % {
                "reference": impact.reference,
                "category": view.get("category", impact.category_code),
                "commune": view.get("commune", ""),
            },
            _("Position: %(lat).5f, %(lon).5f.") % {"lat": impact.lat, "lon": impact.lon},
            _("Lines affected: %(lines)s.") % {"lines": names},
            (_("Stops nearby: %(stops)s.") % {"stops": ", ".join(stops)}) if stops else "",
            _("Sent by the metropolitan control room."),
        ]
    ).strip()
    notify_address(
        channel="email",
        address=contact.email,
        subject=_("Incident %(reference)s near lines %(lines)s")
        % {"reference": impact.reference, "lines": names},
        body=body,
        related=f"incident:{incident_id}",
        dedup_key=f"transit-impact:{impact.pk}",
    )
    impact.notified_at = timezone.now()
    impact.notified_by = by
    impact.save(update_fields=["notified_at", "notified_by"])
    audit_record(
        actor=by,
        action="mobility.transport_operator_notified",
        target=f"incident:{incident_id}",
        summary=f"{contact.recipient_name}: {names}",
    )
    return impact


def transit_alert_to_crisis_cell(*, alert_id: int) -> bool:
    """A service alert near the active crisis zone is logged in the crisis cell."""
    alert = TransitAlert.objects.filter(pk=alert_id, active=True).first()
    if alert is None or alert.lat is None or alert.lon is None:
        return False
    text = _("Public-transport alert: %(header)s (lines %(lines)s)") % {
        "header": alert.header,
        "lines": ", ".join(alert.route_ids) or "—",
    }
    return crisis_log_if_near(text=text, lat=alert.lat, lon=alert.lon) is not None
