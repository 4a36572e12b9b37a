"""GBFS client (v2.3 and v3.0): discovery file, then station information and status."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

from django.db import transaction
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from hypervisor import events
from mobility.events import BikeStationChanged
from mobility.models import BikeStation, BikeStationState, Feed
from mobility.services.feeds import FeedError, feed_fetch, feed_url


def _document(feed: Feed, url: str) -> dict[str, Any]:
    fetched = feed_fetch(feed=Feed(name=feed.name, kind=feed.kind, url=url), expect="GBFS JSON")
    try:
        document = json.loads(fetched.body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FeedError(
            _("%(url)s is not valid JSON: %(error)s") % {"url": url, "error": error}
        ) from error
    if not isinstance(document, dict) or not isinstance(document.get("data"), dict):
        raise FeedError(_("%(url)s is not a GBFS document (no data object).") % {"url": url})
    return document


def _timestamp(value: Any) -> datetime | None:
    """GBFS 2.x gives POSIX seconds, 3.0 gives RFC 3339 text."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, tz=UTC)
    if isinstance(value, str):
        return parse_datetime(value)
    return None


def _name(value: Any) -> str:
    if isinstance(value, list):  # 3.0: localised strings
        texts = {item.get("language"): item.get("text") for item in value if isinstance(item, dict)}
        return str(texts.get("fr") or next(iter(texts.values()), ""))
    return str(value or "")


def _feed_urls(discovery: dict[str, Any], base: str) -> dict[str, str]:
    data = discovery["data"]
    feeds = data.get("feeds")
    if feeds is None:  # 2.x: per language
        language = "fr" if "fr" in data else next(iter(data), None)
        feeds = data.get(language, {}).get("feeds") if language else None
    if not isinstance(feeds, list):
        raise FeedError(_("The GBFS discovery file lists no feeds."))
    return {item["name"]: urljoin(base, item["url"]) for item in feeds if isinstance(item, dict)}


def gbfs_poll(*, feed: Feed) -> tuple[int, datetime | None, list[str]]:
    base = feed_url(feed)
    discovery = _document(feed, base)
    urls = _feed_urls(discovery, base)
    for needed in ("station_information", "station_status"):
        if needed not in urls:
            raise FeedError(_("The GBFS discovery file has no %(feed)s feed.") % {"feed": needed})
    information = _document(feed, urls["station_information"])
    status = _document(feed, urls["station_status"])
    return gbfs_apply(feed=feed, information=information, status=status)


@transaction.atomic
def gbfs_apply(
    *, feed: Feed, information: dict[str, Any], status: dict[str, Any]
) -> tuple[int, datetime | None, list[str]]:
    warnings: list[str] = []
    stations = {
        str(item.get("station_id")): item
        for item in information["data"].get("stations", [])
        if isinstance(item, dict) and item.get("station_id") is not None
    }
    existing = {station.station_id: station for station in BikeStation.objects.filter(feed=feed)}
    for station_id, item in stations.items():
        try:
            lat, lon = float(item["lat"]), float(item["lon"])
        except (KeyError, TypeError, ValueError):
            warnings.append(_("Station %(id)s has no valid position.") % {"id": station_id})
            continue
        station = existing.get(station_id) or BikeStation(feed=feed, station_id=station_id)
        station.name = _name(item.get("name")) or station_id
        station.lat, station.lon = lat, lon
        station.capacity = item.get("capacity")
        station.save()
        existing[station_id] = station
    newest = _timestamp(status.get("last_updated"))
    for item in status["data"].get("stations", []):
        found = existing.get(str(item.get("station_id")))
        if found is None:
            warnings.append(
                _("Status for unknown station %(id)s.") % {"id": item.get("station_id")}
            )
            continue
        station = found
        bikes = item.get("num_vehicles_available", item.get("num_bikes_available"))
        docks = item.get("num_docks_available")
        if (
            not isinstance(bikes, int)
            or bikes < 0
            or (docks is not None and (not isinstance(docks, int) or docks < 0))
        ):
            warnings.append(
                _("Station %(id)s: impossible counts refused.") % {"id": station.station_id}
            )
            continue
        station.bikes_available, station.docks_available = bikes, docks
        station.is_renting = bool(item.get("is_renting", True)) and bool(
            item.get("is_installed", True)
        )
        station.last_reported = _timestamp(item.get("last_reported")) or newest
        previous = station.state
        station.state = _state(station)
        station.save()
        if station.state != previous:
            events.publish(
                BikeStationChanged(
                    asset_id=str(station.pk), lat=station.lat, lon=station.lon, state=station.state
                )
            )
    return len(stations), newest, warnings


def _state(station: BikeStation) -> str:
    if not station.is_renting:
        return BikeStationState.CLOSED
    if station.bikes_available == 0:
        return BikeStationState.EMPTY
    if station.docks_available == 0:
        return BikeStationState.FULL
    return BikeStationState.OK


@transaction.atomic
def bike_stations_mark_stale(*, feed: Feed) -> int:
    """A stale feed's stations are shown as such, never with their old counts as current."""
    changed = 0
    for station in BikeStation.objects.filter(feed=feed).exclude(state=BikeStationState.STALE):
        station.state = BikeStationState.STALE
        station.save(update_fields=["state"])
        events.publish(
            BikeStationChanged(
                asset_id=str(station.pk), lat=station.lat, lon=station.lon, state=station.state
            )
        )
        changed += 1
    return changed
