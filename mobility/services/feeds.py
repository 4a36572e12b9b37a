"""Fetching a feed over HTTP and keeping its health: one bad poll never takes the poller down.

A failed poll records a clear message on the feed's status page and in the log, raises the
feed alarm on the first failure, and leaves the last good state in place. A feed that keeps
answering without new data for longer than its threshold is stale: its alarm is raised and
its items are shown as stale rather than as current.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hypervisor import events
from mobility.events import (
    MobilityFeedFailed,
    MobilityFeedRecovered,
    MobilityFeedRefreshed,
    MobilityFeedWentStale,
)
from mobility.models import Feed, FeedHealth, FeedLogEntry

logger = logging.getLogger(__name__)
FETCH_TIMEOUT_SECONDS = 10
MAX_FEED_BYTES = 20 * 1024 * 1024
LOG_ENTRIES_KEPT = 200


class FeedError(Exception):
    """What went wrong with a poll, in words the operator can act on."""


@dataclass(frozen=True)
class Fetched:
    body: bytes
    content_type: str


def feed_url(feed: Feed) -> str:
    return feed.url.replace("{simulator}", settings.MOBILITY_SIMULATOR_URL.rstrip("/"))


def feed_fetch(*, feed: Feed, expect: str) -> Fetched:
    """GET the feed; `expect` is "json", "csv" or "protobuf"; raises FeedError when unusable."""
    url = feed_url(feed)
    try:
        response = requests.get(url, timeout=FETCH_TIMEOUT_SECONDS, stream=True)
        body = response.raw.read(MAX_FEED_BYTES + 1, decode_content=True)
    except requests.RequestException as error:
        raise FeedError(_("The feed could not be reached: %(error)s") % {"error": error}) from error
    if response.status_code >= 400:
        raise FeedError(
            _("The feed answered HTTP %(status)s instead of data.")
            % {"status": response.status_code}
        )
    if len(body) > MAX_FEED_BYTES:
        raise FeedError(_("The feed answered more than 20 MB; it was not read."))
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    head = body[:200].lstrip().lower()
    if content_type == "text/html" or head.startswith((b"<!doctype html", b"<html")):
        raise FeedError(
            _("The feed answered an HTML page instead of %(format)s data.") % {"format": expect}
        )
    if not body:
        raise FeedError(_("The feed answered an empty document."))
    return Fetched(body=body, content_type=content_type)


def _log(feed: Feed, *, ok: bool, message: str, items: int, started: float) -> None:
    now = timezone.now()
    FeedLogEntry.objects.create(
        feed=feed,
        at=now,
        ok=ok,
        message=message[:2000],
        items=items,
        duration_ms=round((time.perf_counter() - started) * 1000),
    )
    keep = FeedLogEntry.objects.filter(feed=feed).order_by("-at", "-pk")[LOG_ENTRIES_KEPT:]
    old = list(keep.values_list("pk", flat=True)[:100])
    if old:
        FeedLogEntry.objects.filter(pk__in=old).delete()


@transaction.atomic
def feed_record_failure(*, feed: Feed, error: str, started: float) -> None:
    """Keep the last good state; say what went wrong; raise the alarm once."""
    feed = Feed.objects.select_for_update().get(pk=feed.pk)
    logger.warning("Mobility feed %s (#%s) failed: %s", feed.name, feed.pk, error)
    was_failing = feed.health == FeedHealth.FAILING
    feed.health = FeedHealth.FAILING
    feed.last_polled_at = timezone.now()
    feed.last_error = error
    feed.consecutive_failures += 1
    feed.save(update_fields=["health", "last_polled_at", "last_error", "consecutive_failures"])
    _log(feed, ok=False, message=error, items=0, started=started)
    if not was_failing:
        events.publish(
            MobilityFeedFailed(
                asset_id=str(feed.pk), severity="major", name=feed.name, error=error[:500]
            )
        )


@transaction.atomic
def feed_record_success(
    *,
    feed: Feed,
    items: int,
    data_at: datetime | None,
    started: float,
    message: str = "",
    warnings: list[str] | None = None,
) -> None:
    feed = Feed.objects.select_for_update().get(pk=feed.pk)
    now = timezone.now()
    if feed.health == FeedHealth.FAILING:
        events.publish(MobilityFeedRecovered(asset_id=str(feed.pk)))
    feed.last_polled_at = now
    feed.last_success_at = now
    feed.last_error = ""
    feed.consecutive_failures = 0
    feed.warnings = warnings or []
    newer = data_at is not None and (feed.last_data_at is None or data_at > feed.last_data_at)
    if newer:
        feed.last_data_at = data_at
    stale = _is_stale(feed, now)
    if feed.stale and not stale:
        events.publish(MobilityFeedRefreshed(asset_id=str(feed.pk)))
    elif stale and not feed.stale:
        _publish_stale(feed, now)
    feed.stale = stale
    feed.health = FeedHealth.OK
    feed.save()
    _log(
        feed,
        ok=True,
        message=message or _("%(items)s items read.") % {"items": items},
        items=items,
        started=started,
    )


def _is_stale(feed: Feed, now: datetime) -> bool:
    newest = feed.last_data_at or feed.last_success_at
    return newest is None or now - newest > timedelta(seconds=feed.stale_after_seconds)


def _publish_stale(feed: Feed, now: datetime) -> None:
    from mobility.services.bikes import bike_stations_mark_stale

    bike_stations_mark_stale(feed=feed)
    newest = feed.last_data_at or feed.last_success_at or now
    events.publish(
        MobilityFeedWentStale(
            asset_id=str(feed.pk),
            severity="major",
            name=feed.name,
            silent_minutes=int((now - newest).total_seconds() // 60),
        )
    )


@transaction.atomic
def feeds_detect_stale(*, now: datetime | None = None) -> int:
    """Feeds whose newest data is too old (including feeds that keep failing)."""
    now = now or timezone.now()
    count = 0
    for feed in (
        Feed.objects.select_for_update()
        .filter(active=True, stale=False)
        .exclude(health=FeedHealth.NEVER)
    ):
        if _is_stale(feed, now):
            _publish_stale(feed, now)
            feed.stale = True
            feed.save(update_fields=["stale"])
            count += 1
    return count


def feeds_due(*, now: datetime | None = None) -> list[Feed]:
    now = now or timezone.now()
    return [
        feed
        for feed in Feed.objects.filter(active=True).order_by("pk")
        if feed.last_polled_at is None
        or now - feed.last_polled_at >= timedelta(seconds=feed.poll_seconds)
    ]
