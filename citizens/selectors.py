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
    extra = incident_selectors.incident_reporter_view(incident_id=incident_id)
    view["expected_at"] = extra.get("expected_at")
    view["closing"] = extra.get("closing")
    # What the reporter wrote and sent is theirs to see; a follower sees only the public view.
    view["description"] = (
        incident_selectors.incident_reporter_view(incident_id=report.incident_id)["description"]
        if report
        else ""
    )
    view["photos"] = (
        [photo.image.url for photo in report.photos.filter(hidden=False)] if report else []
    )
    lat = report.lat if report and report.lat is not None else extra.get("lat")
    lon = report.lon if report and report.lon is not None else extra.get("lon")
    located = lat is not None and lon is not None
    view["place"] = {"lat": lat, "lon": lon} if located else None
    nearest = hypervisor_selectors.place_nearest(lat=lat, lon=lon) if located else None  # type: ignore[arg-type]
    view["address"] = nearest["label"] if nearest else ""
    view["has_email"] = bool(report and report.contact_email and report.contact_purged_at is None)
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
        if row.get("located_by_commune"):
            continue
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


def place_search(*, query: str, commune: str = "") -> list[dict[str, Any]]:
    """The search boxes of the report form and the phone portal: communes, streets and
    addresses, ten at most; `commune` (the caller's, when known) breaks ties."""
    return hypervisor_selectors.place_search(query=query, limit=10, commune=commune)


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
    return CallLog.objects.select_related("report", "incident")[:limit]


def incident_reports_section(incident_id: int) -> dict[str, Any] | None:
    """What the staff's incident detail shows of its citizens: reports, followers, photos.

    Photos hidden by moderation are left out; no contact detail is shown here.
    """
    reports = Report.objects.filter(incident_id=incident_id)
    count = reports.count()
    followers = Follower.objects.filter(incident_id=incident_id).count()
    if not count and not followers:
        return None
    photos = ReportPhoto.objects.filter(report__incident_id=incident_id, hidden=False)
    return {
        "reports": count,
        "followers": followers,
        "sources": sorted({str(report.get_source_display()) for report in reports}),
        "photos": [photo.image.url for photo in photos.order_by("created_at")[:12]],
    }


def reference_key(value: str) -> str:
    """A reference as read over the phone: "7kq 2 mxr" and "7KQ-2MXR" are "7KQ2MXR"."""
    return "".join(char for char in value.upper() if char.isalnum())


def _open_incidents_described(features: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Newest first, each with its opening time and the address nearest its point."""
    dated = sorted(features, key=lambda feature: feature["created_at"], reverse=True)
    described = []
    for feature in dated[:PORTAL_MAX_RESULTS]:
        nearest = hypervisor_selectors.place_nearest(lat=feature["lat"], lon=feature["lon"])
        described.append(
            {
                **feature,
                "created": datetime.fromisoformat(feature["created_at"]),
                "address": nearest["label"] if nearest else "",
            }
        )
    return described


PORTAL_MAX_RESULTS = 12


def portal_incident_search(
    *, query: str = "", category_code: str = "", commune: str = ""
) -> dict[str, Any]:
    """What the phone portal finds for "is it already reported?".

    `query` is a reference (spaces and dashes aside), a report's tracking code, a street or
    an address; `category_code` and `commune` narrow the open incidents found. Each result
    names the address nearest it, so that a list of one commune reads as places, not as
    identical categories. A reference of an incident no longer open gives its public view.
    """
    found: dict[str, Any] = {"results": None, "finished": None, "where": ""}
    if not (query or category_code or commune):
        return found
    open_ones = incident_selectors.incident_map_features()
    if category_code:
        labels = {
            option["label"]
            for option in incident_selectors.category_options()
            if option["code"] == category_code
        }
        open_ones = [feature for feature in open_ones if feature["category"] in labels]
    if commune:
        open_ones = [feature for feature in open_ones if feature["commune"] == commune]
    if query:
        key = reference_key(query)
        by_reference = [feature for feature in open_ones if feature["reference"] == key]
        if by_reference:
            open_ones = by_reference
        else:
            finished = report_lookup(reference_or_token=query) or report_lookup(
                reference_or_token=key
            )
            if finished is not None:
                found["finished"] = finished
                found["results"] = []
                return found
            street = hypervisor_selectors.street_points(query=query, commune=commune)
            if street is None:
                open_ones = []
            else:
                found["where"] = street.label
                open_ones = [
                    feature
                    for feature in open_ones
                    if street.covers(feature["lat"], feature["lon"])
                ]
    found["results"] = _open_incidents_described(open_ones)
    return found


def incident_id_for_reference(*, reference: str) -> int | None:
    """The incident a caller names by its reference (or a report's tracking code)."""
    key = reference_key(reference)
    if not key:
        return None
    for feature in incident_selectors.incident_map_features():
        if feature["reference"] == key:
            return int(feature["id"])
    report = (
        Report.objects.filter(token=reference.strip()).first()
        or Report.objects.filter(reference=key).first()
    )
    if report is None:
        return None
    return report.master_incident_id or report.incident_id


def calls_for_incident(*, incident_id: int, limit: int = 50) -> QuerySet[CallLog]:
    """The calls taken about an incident, newest first, for its page in the control room."""
    return CallLog.objects.filter(incident_id=incident_id).select_related("taken_by")[:limit]


CALLS_SHOWN = 50


def incident_calls_section(incident_id: int) -> dict[str, Any] | None:
    """The calls taken about an incident, for its staff detail; None when there were none.

    Who took each call is shown; the caller's number is not.
    """
    total = CallLog.objects.filter(incident_id=incident_id).count()
    if not total:
        return None
    return {
        "count": total,
        "calls": list(calls_for_incident(incident_id=incident_id, limit=CALLS_SHOWN)),
        "more": max(total - CALLS_SHOWN, 0),
    }


def closing_to_moderate(*, report: Report) -> dict[str, Any] | None:
    """The crew's closing note and photos as the reporter would see them, hidden ones too."""
    incident_id = report.master_incident_id or report.incident_id
    view = incident_selectors.incident_reporter_view(incident_id=incident_id, hidden_too=True)
    return view.get("closing")


def citizen_photos_for_incident(*, incident_id: int) -> list[dict[str, Any]]:
    """Visible photos of the incident's reports and of the reports joined to it, oldest first."""
    photos = ReportPhoto.objects.filter(
        Q(report__incident_id=incident_id) | Q(report__master_incident_id=incident_id),
        hidden=False,
    ).order_by("created_at", "id")
    return [{"url": photo.image.url, "at": photo.created_at.isoformat()} for photo in photos]


def citizen_photo_servable(*, name: str, include_hidden: bool) -> bool:
    """Whether the stored file `name` is a citizen's photo that may be shown.

    A report's photo keeps the file its form staged, so both folders hold report photos:
    one that belongs to a report follows moderation; one still staged is its form's own.
    """
    report_photos = ReportPhoto.objects.filter(image=name)
    if report_photos.exists():
        return include_hidden or report_photos.filter(hidden=False).exists()
    return StagedPhoto.objects.filter(image=name).exists()
