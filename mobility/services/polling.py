"""One poll of one feed, whatever its kind; nothing a feed sends can stop the poller."""

from __future__ import annotations

import logging
import time
from datetime import datetime

from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _

from mobility.models import Feed, FeedKind
from mobility.services import car_parks
from mobility.services.feeds import (
    FeedError,
    feed_fetch,
    feed_record_failure,
    feed_record_success,
    feeds_detect_stale,
    feeds_due,
)

logger = logging.getLogger(__name__)


def feed_poll(*, feed: Feed) -> bool:
    """Fetch, parse and apply one feed; returns whether it succeeded."""
    started = time.perf_counter()
    try:
        items, data_at, warnings = _poll(feed)
    except FeedError as error:
        feed_record_failure(feed=feed, error=str(error), started=started)
        return False
    except DatabaseError:
        raise
    except Exception as error:
        # A feed must never take the poller down; the trace goes to the log.
        logger.exception("Mobility feed %s: unexpected error", feed.name)
        feed_record_failure(
            feed=feed,
            error=_("Unexpected error while reading the feed: %(error)s") % {"error": error},
            started=started,
        )
        return False
    message = _("%(items)s items read.") % {"items": items}
    if warnings:
        message += " " + " ".join(warnings[:20])
    feed_record_success(
        feed=feed,
        items=items,
        data_at=data_at,
        started=started,
        message=message,
        warnings=warnings[:50],
    )
    return True


def _poll(feed: Feed) -> tuple[int, datetime | None, list[str]]:
    if feed.kind in (FeedKind.CAR_PARKS_JSON, FeedKind.CAR_PARKS_CSV):
        fetched = feed_fetch(
            feed=feed, expect="CSV" if feed.kind == FeedKind.CAR_PARKS_CSV else "JSON"
        )
        samples, problems = car_parks.car_park_feed_parse(
            feed=feed, body=fetched.body, now=timezone.now()
        )
        warnings = problems + car_parks.car_parks_apply_samples(feed=feed, samples=samples)
        newest = max((sample.observed_at for sample in samples), default=None)
        return len(samples), newest, warnings
    if feed.kind == FeedKind.GTFS_RT:
        from mobility.services import realtime

        fetched = feed_fetch(feed=feed, expect="GTFS-Realtime protobuf")
        return realtime.gtfs_rt_apply(feed=feed, body=fetched.body)
    if feed.kind == FeedKind.GBFS:
        from mobility.services import bikes

        return bikes.gbfs_poll(feed=feed)
    raise FeedError(_("Unknown feed kind %(kind)s.") % {"kind": feed.kind})


def feeds_poll_due(*, check_staleness: bool = True) -> int:
    """Poll every feed whose turn has come, then (unless told not to) look for stale feeds
    and car parks."""
    polled = 0
    for feed in feeds_due():
        feed_poll(feed=feed)
        polled += 1
    if check_staleness:
        feeds_detect_stale()
        car_parks.car_parks_detect_stale()
    return polled
