"""Pages of the mobility board and its feeds; thin: authorise, read a selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from hypervisor import access
from mobility import selectors
from mobility.layers import (
    alert_feature,
    bike_station_feature,
    car_park_feature,
    vehicle_feature,
)
from mobility.models import CarPark, Feed, IncidentTransitImpact
from mobility.services.links import NotifyRefused, incident_transport_operator_notify


@require_safe
@access.requires("mobility.view_mobility")
def mobility_board(request: HttpRequest) -> HttpResponse:
    """Car parks, lines, vehicles, bike stations and alerts on one map, with their tables."""
    return render(
        request,
        "mobility/board.html",
        {
            "car_parks": selectors.car_parks(),
            "delays": selectors.delay_per_line(),
            "alerts": selectors.alerts_active(),
            "routes": selectors.routes(),
            "feeds": selectors.feeds(),
            "impacts": selectors.incident_impacts_open(),
        },
    )


@require_POST
@access.requires("mobility.view_mobility", "mobility.notify_transport_operator")
def transport_operator_notify(request: HttpRequest, incident_id: int) -> HttpResponse:
    """From the mobility board or the incident's detail: JSON for the control room's panel
    (409 with why when refused), else a redirect back to the page it was sent from."""
    get_object_or_404(IncidentTransitImpact, incident_id=incident_id)
    try:
        impact = incident_transport_operator_notify(incident_id=incident_id, by=request.user)  # type: ignore[arg-type]
    except NotifyRefused as refused:
        message, done = str(refused), False
    else:
        message, done = (
            (
                _("The transport operator was notified of incident %(reference)s.")
                % {"reference": impact.reference}
            ),
            True,
        )
    if "application/json" in request.headers.get("Accept", ""):
        if done:
            return JsonResponse({"ok": message})
        return JsonResponse({"error": message}, status=409)
    (messages.success if done else messages.warning)(request, message)
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect("mobility-board")


@require_safe
@access.requires("mobility.view_mobility")
def mobility_live(request: HttpRequest) -> JsonResponse:
    """What the board's map shows now; it asks again every few seconds."""
    routes = selectors.route_names()
    layers = {
        "car_parks": [car_park_feature(car_park) for car_park in selectors.car_parks()],
        "vehicles": [vehicle_feature(vehicle, routes) for vehicle in selectors.vehicles_current()],
        "bike_stations": [bike_station_feature(station) for station in selectors.bike_stations()],
        "alerts": [alert_feature(alert) for alert in selectors.alerts_active()],
    }
    layers["alerts"] = [feature for feature in layers["alerts"] if feature]
    return JsonResponse({"layers": layers})


@require_safe
@access.requires("mobility.view_mobility")
def mobility_network(request: HttpRequest) -> JsonResponse:
    return JsonResponse(selectors.network_geojson())


@require_safe
@access.requires("mobility.view_mobility")
def car_park_detail(request: HttpRequest, reference: str) -> HttpResponse:
    car_park = get_object_or_404(CarPark, reference=reference)
    history = selectors.car_park_history(car_park=car_park, hours=48)
    return render(
        request,
        "mobility/car_park.html",
        {"car_park": car_park, "history": history[::-1], "chart": _chart(history)},
    )


def _chart(history: list[tuple[object, float, bool]]) -> str:
    """SVG polyline points of the valid values (0–100 % on a 480 × 100 box)."""
    valid = [value for _at, value, ok in history if ok]
    if len(valid) < 2:
        return ""
    step = 480 / (len(valid) - 1)
    return " ".join(f"{index * step:.1f},{100 - value:.1f}" for index, value in enumerate(valid))


@require_safe
@access.requires("mobility.manage_feeds")
def feeds_status(request: HttpRequest) -> HttpResponse:
    return render(request, "mobility/feeds.html", {"feeds": selectors.feeds()})


@require_safe
@access.requires("mobility.manage_feeds")
def feed_detail(request: HttpRequest, pk: int) -> HttpResponse:
    feed = get_object_or_404(Feed, pk=pk)
    return render(
        request, "mobility/feed.html", {"feed": feed, "log": selectors.feed_log(feed=feed)}
    )
