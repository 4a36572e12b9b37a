"""The crisis cell: activation, members, log of decisions and messages, closing summary."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry import shape
from shapely.validation import explain_validity

from hypervisor import events
from hypervisor.models import Commune, Crisis, CrisisLogEntry, Severity
from hypervisor.services.audit import audit_record


class CrisisError(Exception):
    """The crisis action is refused; the message says why."""


@dataclass(frozen=True, kw_only=True)
class CrisisActivated(events.DomainEvent):
    kind = "crisis.activated"
    asset_type = "crisis"
    title: str


@dataclass(frozen=True, kw_only=True)
class CrisisUpdated(events.DomainEvent):
    kind = "crisis.updated"
    asset_type = "crisis"


@dataclass(frozen=True, kw_only=True)
class CrisisClosed(events.DomainEvent):
    kind = "crisis.closed"
    asset_type = "crisis"


def _valid_zone(zone: dict[str, Any] | None) -> dict[str, Any] | None:
    if not zone:
        return None
    try:
        geometry = shape(zone)
    except Exception:
        raise CrisisError(_("The zone drawn on the map is not a readable shape.")) from None
    if geometry.geom_type not in {"Polygon", "MultiPolygon"} or not geometry.is_valid:
        raise CrisisError(
            _("The zone must be a valid polygon (%(why)s).") % {"why": explain_validity(geometry)}
        )
    return zone


@transaction.atomic
def crisis_activate(
    *,
    title: str,
    severity: str,
    commune_ids: list[int],
    zone: dict[str, Any] | None,
    by: User,
) -> Crisis:
    if not title.strip():
        raise CrisisError(_("Give the crisis a title."))
    if severity not in Severity.values:
        raise CrisisError(_("Unknown severity."))
    zone = _valid_zone(zone)
    communes = list(Commune.objects.filter(pk__in=commune_ids))
    if not zone and not communes:
        raise CrisisError(_("Draw the crisis zone on the map or choose the communes concerned."))
    crisis = Crisis(title=title.strip(), severity=severity, zone=zone, activated_by=by)
    crisis.full_clean(exclude=["state"])
    try:
        with transaction.atomic():
            crisis.save()
    except IntegrityError:
        raise CrisisError(
            _("A crisis is already active: close it before opening another.")
        ) from None
    crisis.communes.set(communes)
    crisis.members.add(by)
    CrisisLogEntry.objects.create(
        crisis=crisis, author=by, kind=CrisisLogEntry.Kind.SYSTEM, text=_("Crisis cell activated.")
    )
    audit_record(
        actor=by,
        action="crisis.activate",
        target=f"crisis:{crisis.pk}",
        summary=crisis.title,
        after={"severity": severity, "communes": [c.insee for c in communes], "zone": bool(zone)},
    )
    events.publish(CrisisActivated(asset_id=str(crisis.pk), severity=severity, title=crisis.title))
    return crisis


def _active(crisis_id: int) -> Crisis:
    crisis = Crisis.objects.select_for_update().get(pk=crisis_id)
    if crisis.state != Crisis.State.ACTIVE:
        raise CrisisError(_("This crisis is closed."))
    return crisis


@transaction.atomic
def crisis_log(*, crisis_id: int, kind: str, text: str, by: User) -> CrisisLogEntry:
    crisis = _active(crisis_id)
    if kind not in {CrisisLogEntry.Kind.DECISION, CrisisLogEntry.Kind.MESSAGE}:
        raise CrisisError(_("A log entry is a decision or a message."))
    if not text.strip():
        raise CrisisError(_("Write the decision or message first."))
    entry = CrisisLogEntry(crisis=crisis, author=by, kind=kind, text=text.strip())
    entry.full_clean()
    entry.save()
    audit_record(
        actor=by, action=f"crisis.{kind}", target=f"crisis:{crisis.pk}", summary=entry.text[:300]
    )
    events.publish(CrisisUpdated(asset_id=str(crisis.pk), severity=crisis.severity))
    return entry


@transaction.atomic
def crisis_add_member(*, crisis_id: int, member: User, by: User) -> None:
    crisis = _active(crisis_id)
    crisis.members.add(member)
    name = member.get_full_name() or member.get_username()
    CrisisLogEntry.objects.create(
        crisis=crisis,
        author=by,
        kind=CrisisLogEntry.Kind.SYSTEM,
        text=_("%(name)s joined the crisis cell.") % {"name": name},
    )
    audit_record(actor=by, action="crisis.member", target=f"crisis:{crisis.pk}", summary=name)
    events.publish(CrisisUpdated(asset_id=str(crisis.pk), severity=crisis.severity))


@transaction.atomic
def crisis_close(*, crisis_id: int, summary: str, by: User) -> Crisis:
    crisis = _active(crisis_id)
    if not summary.strip():
        raise CrisisError(_("Write the closing summary: what happened and what was decided."))
    crisis.state = Crisis.State.CLOSED
    crisis.closed_at = timezone.now()
    crisis.closed_by = by
    crisis.summary = summary.strip()
    crisis.save()
    CrisisLogEntry.objects.create(
        crisis=crisis, author=by, kind=CrisisLogEntry.Kind.SYSTEM, text=_("Crisis cell closed.")
    )
    audit_record(
        actor=by, action="crisis.close", target=f"crisis:{crisis.pk}", summary=crisis.summary[:300]
    )
    events.publish(CrisisClosed(asset_id=str(crisis.pk), severity=crisis.severity))
    return crisis


@transaction.atomic
def crisis_log_if_near(
    *, text: str, lat: float, lon: float, margin_m: float = 500
) -> CrisisLogEntry | None:
    """An app's automatic entry, logged only while a crisis is active near the place.

    "Near": inside the crisis zone or within `margin_m` of it. Nobody is its author.
    """
    from hypervisor.selectors.control import crisis_active, crisis_zone

    crisis = crisis_active()
    zone = crisis_zone(crisis) if crisis else None
    if crisis is None or zone is None:
        return None
    from shapely.geometry import Point

    margin_deg = margin_m / 111_320
    if not shape(zone).buffer(margin_deg).contains(Point(lon, lat)):
        return None
    entry = CrisisLogEntry(
        crisis=crisis, author=None, kind=CrisisLogEntry.Kind.SYSTEM, text=text.strip()[:2000]
    )
    entry.full_clean()
    entry.save()
    events.publish(CrisisUpdated(asset_id=str(crisis.pk), severity=crisis.severity))
    return entry
