"""Reads on citizen reports: tracking, duplicates, places, phone-portal figures."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from shapely.geometry import shape

from citizens.models import (
    CallLog,
    CallReason,
    DuplicateRadius,
    Follower,
    QuickAnswer,
    Report,
    ReportPhoto,
)
from hypervisor import geo
from hypervisor import selectors as hypervisor_selectors
from incidents import selectors as incident_selectors

OPEN_STATUSES = {"new", "routed", "assigned", "in_progress"}


def report_by_token(*, token: str) -> Report | None:
    return Report.objects.filter(token=token).first()


def report_tracking(*, token: str) -> dict[str, Any] | None:
    """The tracking page's content: the incident's public view, nothing about reporters.

    A report linked as a duplicate follows its master incident, where the work happens.
    """
    report = Report.objects.filter(token=token).first()
    follower = None if report else Follower.objects.filter(token=token).first()
    if report is None and follower is None:
        return None
    incident_id = (
        (report.master_incident_id or report.incident_id) if report else follower.incident_id  # type: ignore[union-attr]
    )
    view = incident_selectors.incident_public_view(incident_id=incident_id)
    if view is None:
        return None
    view["token"] = token
    view["is_follower"] = report is None
    view["linked_as_duplicate"] = bool(report and report.master_incident_id)
    view["photo_count"] = report.photos.filter(hidden=False).count() if report else 0
    resolved_at = next(
        (step["at"] for step in reversed(view["history"]) if step["status"] == "resolved"), None
    )
    window = timedelta(days=settings.CITIZENS_REOPEN_DAYS)
    view["can_answer_fix"] = bool(
        report
        and view["status"] == "resolved"
        and report.confirmed_fixed_at is None
        and resolved_at is not None
        and timezone.now() - resolved_at <= window
    )
    view["confirmed_fixed"] = bool(report and report.confirmed_fixed_at)
    return view


def duplicate_radius_m(*, category_code: str) -> int:
    row = DuplicateRadius.objects.filter(category_code=category_code).first()
    return row.radius_m if row else settings.CITIZENS_DUPLICATE_RADIUS_M


def _reports_near(
    *, category_code: str, lat: float, lon: float, radius_m: float, since: datetime | None
) -> list[tuple[float, Report]]:
    """Reports of the category within the radius, nearest first (bounding box in SQL)."""
    dlat = geo.metres_to_degrees_lat(radius_m)
    dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
    rows: QuerySet[Report] = Report.objects.filter(
        category_code=category_code,
        lat__range=(lat - dlat, lat + dlat),
        lon__range=(lon - dlon, lon + dlon),
    )
    if since is not None:
        rows = rows.filter(created_at__gte=since)
    ranked = []
    for report in rows.order_by("created_at")[:200]:
        distance = geo.haversine_m(lat, lon, report.lat or 0.0, report.lon or 0.0)
        if distance <= radius_m:
            ranked.append((distance, report))
    ranked.sort(key=lambda pair: pair[0])
    return ranked


def duplicate_candidates(
    *, category_code: str, lat: float | None, lon: float | None
) -> list[dict[str, Any]]:
    """Open incidents of the same category already reported nearby, for the citizen to see.

    Only the public view is shown (reference, status, distance, a photo if one is visible):
    nothing about who reported them.
    """
    if lat is None or lon is None or not category_code:
        return []
    radius = duplicate_radius_m(category_code=category_code)
    seen: set[int] = set()
    candidates = []
    for distance, report in _reports_near(
        category_code=category_code, lat=lat, lon=lon, radius_m=radius, since=None
    ):
        incident_id = report.master_incident_id or report.incident_id
        if incident_id in seen:
            continue
        seen.add(incident_id)
        view = incident_selectors.incident_public_view(incident_id=incident_id)
        if view is None or view["status"] not in OPEN_STATUSES:
            continue
        photo = first_visible_photo_url(incident_id=incident_id)
        candidates.append(
            {
                "incident_id": incident_id,
                "reference": view["reference"],
                "category": view["category"],
                "icon": view["icon"],
                "status": view["status"],
                "status_label": view["status_label"],
                "distance_m": round(distance),
                "created_at": view["created_at"],
                "photo_url": photo,
            }
        )
    return candidates[:5]


def first_visible_photo_url(*, incident_id: int) -> str | None:
    """The first photo of an incident that moderation left visible, for a thumbnail."""
    photo = (
        ReportPhoto.objects.filter(report__incident_id=incident_id, hidden=False)
        .order_by("created_at")
        .first()
    )
    return photo.image.url if photo else None


def duplicate_master_for(
    *, category_code: str, lat: float | None, lon: float | None, exclude_incident_id: int
) -> int | None:
    """The incident a new report duplicates: same category, within the radius and window."""
    if lat is None or lon is None:
        return None
    since = timezone.now() - timedelta(hours=settings.CITIZENS_DUPLICATE_WINDOW_HOURS)
    radius = duplicate_radius_m(category_code=category_code)
    for _distance, report in _reports_near(
        category_code=category_code, lat=lat, lon=lon, radius_m=radius, since=since
    ):
        incident_id = report.master_incident_id or report.incident_id
        if incident_id == exclude_incident_id:
            continue
        if incident_selectors.incident_status_of(incident_id=incident_id) in OPEN_STATUSES:
            return incident_id
    return None


def contacts_to_notify(*, incident_id: int) -> list[tuple[str, str, str]]:
    """(kind, id, address) of everyone who asked to hear about the incident.

    Reporters of the incident, reporters whose report was linked to it as a duplicate,
    and followers; hidden or purged contacts are skipped.
    """
    recipients: list[tuple[str, str, str]] = []
    reports = Report.objects.filter(
        Q(incident_id=incident_id) | Q(master_incident_id=incident_id),
        contact_consent_at__isnull=False,
        contact_purged_at__isnull=True,
    )
    for report in reports:
        if report.contact_email:
            recipients.append(("email", f"report-{report.pk}", report.contact_email))
        if report.contact_phone:
            recipients.append(("sms", f"report-{report.pk}", report.contact_phone))
    for follower in Follower.objects.filter(incident_id=incident_id):
        if follower.contact_email:
            recipients.append(("email", f"follower-{follower.pk}", follower.contact_email))
        if follower.contact_phone:
            recipients.append(("sms", f"follower-{follower.pk}", follower.contact_phone))
    return recipients


def token_of(*, kind_id: str) -> str:
    kind, _sep, pk = kind_id.partition("-")
    model = Report if kind == "report" else Follower
    return model.objects.values_list("token", flat=True).get(pk=int(pk))


def places(*, query: str = "") -> list[dict[str, Any]]:
    """Places the citizen can search by name, offline: the territory's communes.

    No external geocoder is called; each commune is centred on a point inside it.
    """
    results = []
    needle = query.strip().casefold()
    for feature in hypervisor_selectors.communes_geojson()["features"]:
        name = feature["properties"]["name"]
        if needle and needle not in name.casefold():
            continue
        point = shape(feature["geometry"]).representative_point()
        results.append({"name": name, "lat": round(point.y, 6), "lon": round(point.x, 6)})
    results.sort(key=lambda place: place["name"])
    return results


def report_lookup(*, reference_or_token: str) -> dict[str, Any] | None:
    """The public view of an incident by its reference or a report's token (phone portal)."""
    value = reference_or_token.strip()
    report = Report.objects.filter(token=value).first()
    if report is None and value:
        report = Report.objects.filter(reference__iexact=value).first()
    if report is None:
        return None
    return incident_selectors.incident_public_view(
        incident_id=report.master_incident_id or report.incident_id
    )


def open_incidents_near(*, lat: float, lon: float, radius_m: float) -> list[dict[str, Any]]:
    """Every open incident near a point, whatever its source, nearest first (phone portal)."""
    nearby = []
    for feature in incident_selectors.incident_map_features():
        distance = geo.haversine_m(lat, lon, feature["lat"], feature["lon"])
        if distance <= radius_m:
            nearby.append({**feature, "distance_m": round(distance)})
    nearby.sort(key=lambda feature: feature["distance_m"])
    return nearby[:20]


def reports_to_moderate(*, reference: str = "", limit: int = 30) -> QuerySet[Report]:
    """Recent reports with something to moderate: a visible photo or personal details."""
    reports = Report.objects.prefetch_related("photos").filter(contact_purged_at__isnull=True)
    if reference:
        return reports.filter(reference__iexact=reference)[:limit]
    with_content = Q(photos__hidden=False) | (
        Q(contact_hidden=False)
        & (~Q(contact_email="") | ~Q(contact_phone="") | ~Q(contact_name=""))
    )
    return reports.filter(with_content).distinct()[:limit]


def quick_answers(*, query: str = "") -> QuerySet[QuickAnswer]:
    answers = QuickAnswer.objects.all()
    if query.strip():
        needle = query.strip()
        answers = answers.filter(
            Q(title__icontains=needle) | Q(keywords__icontains=needle) | Q(body__icontains=needle)
        )
    return answers


def call_statistics(*, day: date) -> list[dict[str, Any]]:
    """Calls taken on the given day (territory time), by reason, every reason listed."""
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()), zone)
    counts = dict(
        CallLog.objects.filter(at__gte=start, at__lt=start + timedelta(days=1))
        .values_list("reason")
        .annotate(count=Count("id"))
        .values_list("reason", "count")
    )
    return [
        {"reason": value, "label": label, "count": counts.get(value, 0)}
        for value, label in CallReason.choices
    ]


def recent_calls(*, limit: int = 10) -> QuerySet[CallLog]:
    return CallLog.objects.select_related("report")[:limit]
