"""Reads on citizen reports: tracking, duplicates, places, phone-portal figures."""

from __future__ import annotations

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
    StagedPhoto,
)
from hypervisor import selectors as hypervisor_selectors
from incidents import selectors as incident_selectors

OPEN_STATUSES = {"new", "routed", "assigned", "in_progress"}
# What the duplicate prompt shows of an incident: its public face, nothing about reporters.
PROMPT_FIELDS = (
    "incident_id",
    "reference",
    "category",
    "icon",
    "status",
    "status_label",
    "created_at",
)


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


def duplicate_candidates(
    *, category_code: str, lat: float | None, lon: float | None
) -> list[dict[str, Any]]:
    """Open incidents of the same category nearby, whatever their source, for the citizen.

    An incident an equipment alarm or an operator opened is offered as well as one citizens
    reported. Only the public view is shown (reference, status, distance, a photo if one is
    visible): nothing about who reported them.
    """
    if lat is None or lon is None or not category_code:
        return []
    nearby = incident_selectors.incident_list_open_near(
        category_code=category_code,
        lat=lat,
        lon=lon,
        radius_m=duplicate_radius_m(category_code=category_code),
    )
    return [
        {
            **{key: row[key] for key in PROMPT_FIELDS},
            "distance_m": round(row["distance_m"]),
            "just_now": timezone.now() - row["created_at"] < timedelta(minutes=1),
            "photo_url": first_visible_photo_url(incident_id=row["incident_id"]),
        }
        for row in nearby[:5]
    ]


def duplicate_offered(
    *, incident_id: int, category_code: str, lat: float | None, lon: float | None
) -> bool:
    """Whether the incident is one the form offers to follow for this category and place."""
    return any(
        candidate["incident_id"] == incident_id
        for candidate in duplicate_candidates(category_code=category_code, lat=lat, lon=lon)
    )


def first_visible_photo_urls(*, incident_ids: list[int]) -> dict[int, str]:
    """`first_visible_photo_url` of many incidents in one query."""
    urls: dict[int, str] = {}
    photos = ReportPhoto.objects.filter(report__incident_id__in=incident_ids, hidden=False)
    for incident_id, image in photos.order_by("created_at").values_list(
        "report__incident_id", "image"
    ):
        urls.setdefault(incident_id, ReportPhoto(image=image).image.url)
    return urls


def first_visible_photo_url(*, incident_id: int) -> str | None:
    """The first photo of an incident that moderation left visible, for a thumbnail."""
    photo = (
        ReportPhoto.objects.filter(report__incident_id=incident_id, hidden=False)
        .order_by("created_at")
        .first()
    )
    return photo.image.url if photo else None


def duplicate_master_for(*, category_code: str, lat: float | None, lon: float | None) -> int | None:
    """The open incident a new report duplicates: same category, within radius and window.

    Any source counts; the nearest wins.
    """
    if lat is None or lon is None or is_fallback_location(lat=lat, lon=lon):
        return None
    nearby = incident_selectors.incident_list_open_near(
        category_code=category_code,
        lat=lat,
        lon=lon,
        radius_m=duplicate_radius_m(category_code=category_code),
        since=timezone.now() - timedelta(hours=settings.CITIZENS_DUPLICATE_WINDOW_HOURS),
    )
    for row in nearby:
        located = Report.objects.filter(incident_id=row["incident_id"]).values("lat", "lon").first()
        if located is None or located["lat"] is None or located["lon"] is None:
            return row["incident_id"]  # opened by staff or equipment: a real location
        if not is_fallback_location(lat=located["lat"], lon=located["lon"]):
            return row["incident_id"]
    return None


def is_fallback_location(*, lat: float, lon: float) -> bool:
    """Whether the point is a commune's stand-in point (the phone portal's "Commune" choice).

    Such a point says only which commune, not where: two problems placed there may be
    streets apart, so they are never linked as duplicates.
    """
    point = (round(lat, 6), round(lon, 6))
    return any((place["lat"], place["lon"]) == point for place in places())


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


def place_search(*, query: str) -> list[dict[str, Any]]:
    """The report form's search box: communes, streets and addresses, ten at most."""
    return hypervisor_selectors.place_search(query=query, limit=10)


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


def citizen_photo_servable(*, name: str, include_hidden: bool) -> bool:
    """Whether the stored file `name` is a citizen's photo that may be shown.

    A report's photo keeps the file its form staged, so both folders hold report photos:
    one that belongs to a report follows moderation; one still staged is its form's own.
    """
    report_photos = ReportPhoto.objects.filter(image=name)
    if report_photos.exists():
        return include_hidden or report_photos.filter(hidden=False).exists()
    return StagedPhoto.objects.filter(image=name).exists()
