"""Writes on incidents. Other apps open incidents through here."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from hypervisor import events
from hypervisor import selectors as hypervisor_selectors
from hypervisor.events import Severity
from incidents.events import IncidentOpened, IncidentRouted
from incidents.models import Category, Incident, Priority, Source, Status, Transition

__all__ = [
    "CategoryUnavailable",
    "Priority",
    "Source",
    "category_ensure",
    "incident_open",
    "incident_route",
]

_REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read over the phone
_PRIORITY_SEVERITY = {
    Priority.EMERGENCY: Severity.CRITICAL,
    Priority.HIGH: Severity.MAJOR,
    Priority.NORMAL: Severity.MINOR,
    Priority.LOW: Severity.INFO,
}


class CategoryUnavailable(ValueError):
    """The category does not exist or is no longer offered."""


def _new_reference() -> str:
    while True:
        reference = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(7))
        if not Incident.objects.filter(reference=reference).exists():
            return reference


@transaction.atomic
def incident_open(
    *,
    category_code: str,
    description: str,
    lat: float | None,
    lon: float | None,
    source: Source,
) -> Incident:
    """Open an incident; routing starts once the transaction commits."""
    category = Category.objects.filter(code=category_code, active=True).first()
    if category is None:
        raise CategoryUnavailable(category_code)
    now = timezone.now()
    incident = Incident(
        reference=_new_reference(),
        category=category,
        description=description.strip(),
        lat=lat,
        lon=lon,
        source=source,
        priority=category.default_priority,
        due_at=now + timedelta(minutes=category.sla_minutes),
    )
    incident.full_clean()
    incident.save()
    Transition.objects.create(incident=incident, from_status="", to_status=Status.NEW)
    events.publish(
        IncidentOpened(
            asset_id=str(incident.pk),
            severity=_PRIORITY_SEVERITY[Priority(incident.priority)],
            lat=lat,
            lon=lon,
            category_code=category.code,
            source=source,
        )
    )
    return incident


@transaction.atomic
def incident_route(*, incident_id: int) -> Incident:
    """Decide the competent service and record the rule that matched; safe to run twice."""
    incident = Incident.objects.select_for_update().get(pk=incident_id)
    if incident.status != Status.NEW or incident.routed_at is not None:
        return incident
    decision = hypervisor_selectors.routing_decide(
        category_code=incident.category.code, lat=incident.lat, lon=incident.lon
    )
    incident.commune_id = decision.commune_id
    incident.routing_note = decision.reason
    incident.routed_at = timezone.now()
    if decision.routed:
        incident.service_id = decision.service_id
        incident.routing_rule_id = decision.rule_id
        incident.status = Status.ROUTED
        Transition.objects.create(
            incident=incident, from_status=Status.NEW, to_status=Status.ROUTED, note=decision.reason
        )
    incident.full_clean()
    incident.save()
    events.publish(
        IncidentRouted(
            asset_id=str(incident.pk),
            severity=_PRIORITY_SEVERITY[Priority(incident.priority)],
            lat=incident.lat,
            lon=incident.lon,
            service_name=decision.service_name,
            routed=decision.routed,
            reason=decision.reason,
        )
    )
    return incident


@transaction.atomic
def category_ensure(
    *,
    code: str,
    group: str,
    label_fr: str,
    label_en: str,
    icon: str,
    default_priority: Priority,
    sla_minutes: int,
) -> Category:
    category, _created = Category.objects.update_or_create(
        code=code,
        defaults={
            "group": group,
            "label_fr": label_fr,
            "label_en": label_en,
            "icon": icon,
            "default_priority": default_priority,
            "sla_minutes": sla_minutes,
        },
    )
    category.full_clean()
    return category
