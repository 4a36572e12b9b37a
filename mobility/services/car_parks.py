"""Car-park occupancy from a per-source feed: parse with the admin's field mapping, apply.

A refused value (negative, above capacity) is kept in the history marked invalid and raises
the out-of-range alarm; it never replaces the last good occupancy. A value that does not move
for hours raises the flat-line alarm; a car park silent for too long is shown as stale.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from hypervisor import events
from mobility import forecast
from mobility.events import (
    CarParkFilled,
    CarParkFlatlined,
    CarParkFreed,
    CarParkMovingAgain,
    CarParkOccupancyChanged,
    CarParkRefreshed,
    CarParkValueOutOfRange,
    CarParkValuesInRange,
    CarParkWentStale,
)
from mobility.models import CarPark, CarParkReading, CarParkState, Feed, FeedKind
from mobility.services.feeds import FeedError

logger = logging.getLogger(__name__)
BUSY_PERCENT = 85.0
FLATLINE_HOURS = 24
STALE_MINUTES = 60
PROFILE_DAYS = 28


@dataclass(frozen=True)
class CarParkSample:
    source_id: str
    observed_at: datetime
    percent: float | None = None
    occupied: float | None = None
    free: float | None = None
    capacity: float | None = None


def _dig(record: Any, path: str) -> Any:
    for part in [part for part in path.split(".") if part]:
        if not isinstance(record, dict):
            return None
        record = record.get(part)
    return record


def _number(value: Any) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    return float(str(value).replace(",", ".")) if isinstance(value, str) else float(value)


def car_park_feed_parse(
    *, feed: Feed, body: bytes, now: datetime
) -> tuple[list[CarParkSample], list[str]]:
    """Samples read with the feed's mapping, and the records refused (named by position)."""
    if feed.kind == FeedKind.CAR_PARKS_CSV:
        try:
            text = body.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise FeedError(_("The CSV feed is not UTF-8 text.")) from error
        records: list[Any] = list(
            csv.DictReader(io.StringIO(text), delimiter=feed.csv_delimiter or ",")
        )
        if records and feed.id_field not in records[0]:
            raise FeedError(
                _("The CSV feed has no column %(field)s (columns: %(columns)s).")
                % {"field": feed.id_field, "columns": ", ".join(records[0])}
            )
    else:
        try:
            document = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise FeedError(
                _("The feed is not valid JSON: %(error)s") % {"error": error}
            ) from error
        found = _dig(document, feed.records_path) if feed.records_path else document
        if not isinstance(found, list):
            raise FeedError(
                _("No list of records at %(path)s in the JSON feed.")
                % {"path": feed.records_path or _("the top level")}
            )
        records = found
    samples, problems = [], []
    for position, record in enumerate(records, start=1):
        try:
            samples.append(_sample(feed, record, now))
        except (ValueError, TypeError) as error:
            problems.append(
                _("Record %(position)s refused: %(error)s") % {"position": position, "error": error}
            )
    if records and not samples:
        raise FeedError(
            _("No record of the feed could be read. %(first)s") % {"first": problems[0]}
        )
    return samples, problems


def _sample(feed: Feed, record: Any, now: datetime) -> CarParkSample:
    if not isinstance(record, dict):
        raise ValueError(_("not an object"))
    source_id = str(_dig(record, feed.id_field) or "").strip()
    if not source_id:
        raise ValueError(_("no identifier in field %(field)s") % {"field": feed.id_field})
    observed_at = now
    if feed.timestamp_field:
        raw = _dig(record, feed.timestamp_field)
        parsed = parse_datetime(str(raw)) if raw else None
        if parsed is None:
            raise ValueError(_("unreadable timestamp %(value)r") % {"value": raw})
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed)
        observed_at = parsed
    sample = CarParkSample(
        source_id=source_id,
        observed_at=observed_at,
        percent=_number(_dig(record, feed.percent_field)) if feed.percent_field else None,
        occupied=_number(_dig(record, feed.occupied_field)) if feed.occupied_field else None,
        free=_number(_dig(record, feed.free_field)) if feed.free_field else None,
        capacity=_number(_dig(record, feed.capacity_field)) if feed.capacity_field else None,
    )
    if sample.percent is None and sample.occupied is None and sample.free is None:
        raise ValueError(_("no occupancy value for %(id)s") % {"id": source_id})
    return sample


def _percent(sample: CarParkSample, car_park: CarPark) -> float:
    if sample.percent is not None:
        return sample.percent
    capacity = sample.capacity or car_park.capacity
    if sample.occupied is not None:
        return 100 * sample.occupied / capacity
    assert sample.free is not None
    return 100 * (capacity - sample.free) / capacity


def _state(percent: float) -> str:
    if percent >= forecast.FULL_PERCENT:
        return CarParkState.FULL
    if percent >= BUSY_PERCENT:
        return CarParkState.BUSY
    return CarParkState.FREE


def _where(car_park: CarPark) -> dict[str, Any]:
    return {"asset_id": car_park.reference, "lat": car_park.lat, "lon": car_park.lon}


@transaction.atomic
def car_parks_apply_samples(*, feed: Feed, samples: list[CarParkSample]) -> list[str]:
    """Apply new samples; returns warnings (unknown car parks). Old samples are ignored."""
    by_source = {
        park.source_id: park for park in CarPark.objects.select_for_update().filter(feed=feed)
    }
    warnings = []
    for sample in sorted(samples, key=lambda item: item.observed_at):
        car_park = by_source.get(sample.source_id)
        if car_park is None:
            warnings.append(_("Unknown car park %(id)s in the feed.") % {"id": sample.source_id})
            continue
        _apply(car_park, sample)
    return warnings


def _apply(car_park: CarPark, sample: CarParkSample) -> None:
    try:
        percent = round(_percent(sample, car_park), 1)
    except (ZeroDivisionError, TypeError):
        return
    CarParkReading.objects.get_or_create(
        car_park=car_park,
        observed_at=sample.observed_at,
        defaults={"value_percent": percent, "valid": 0 <= percent <= 100},
    )
    if car_park.observed_at and sample.observed_at <= car_park.observed_at:
        return
    if not 0 <= percent <= 100:
        car_park.last_refused_value = percent
        if not car_park.out_of_range:
            car_park.out_of_range = True
            logger.warning("Car park %s: refused occupancy %s %%", car_park.reference, percent)
            events.publish(
                CarParkValueOutOfRange(
                    **_where(car_park), severity="minor", name=car_park.name, value_percent=percent
                )
            )
        car_park.save(update_fields=["last_refused_value", "out_of_range"])
        return
    previous_percent, previous_state = car_park.occupancy_percent, car_park.state
    if car_park.out_of_range:
        car_park.out_of_range = False
        events.publish(CarParkValuesInRange(**_where(car_park)))
    if car_park.stale:
        car_park.stale = False
        events.publish(CarParkRefreshed(**_where(car_park)))
    car_park.occupancy_percent = percent
    car_park.observed_at = sample.observed_at
    car_park.state = _state(percent)
    _check_flatline(car_park)
    _forecast(car_park)
    car_park.full_clean()
    car_park.save()
    if car_park.state == CarParkState.FULL and previous_state != CarParkState.FULL:
        events.publish(CarParkFilled(**_where(car_park), name=car_park.name))
    elif previous_state == CarParkState.FULL and car_park.state != CarParkState.FULL:
        events.publish(CarParkFreed(**_where(car_park)))
    if percent != previous_percent or car_park.state != previous_state:
        events.publish(
            CarParkOccupancyChanged(
                **_where(car_park),
                name=car_park.name,
                occupancy_percent=percent,
                state=car_park.state,
            )
        )


def _check_flatline(car_park: CarPark) -> None:
    """Flat when every valid value since FLATLINE_HOURS ago equals the current one."""
    assert car_park.observed_at is not None
    assert car_park.occupancy_percent is not None
    valid = CarParkReading.objects.filter(
        car_park=car_park, valid=True, observed_at__lte=car_park.observed_at
    )
    last_different = (
        valid.exclude(value_percent=car_park.occupancy_percent)
        .order_by("-observed_at")
        .values_list("observed_at", flat=True)
        .first()
    )
    since_query = valid.order_by("observed_at")
    if last_different is not None:
        since_query = since_query.filter(observed_at__gt=last_different)
    since = since_query.values_list("observed_at", flat=True).first() or car_park.observed_at
    flat = car_park.observed_at - since >= timedelta(hours=FLATLINE_HOURS)
    if flat and not car_park.flatlined:
        events.publish(
            CarParkFlatlined(
                **_where(car_park),
                severity="minor",
                name=car_park.name,
                value_percent=car_park.occupancy_percent or 0.0,
                since=since.isoformat(),
            )
        )
    elif car_park.flatlined and not flat:
        events.publish(CarParkMovingAgain(**_where(car_park)))
    car_park.flatlined = flat


def _forecast(car_park: CarPark) -> None:
    assert car_park.observed_at is not None
    assert car_park.occupancy_percent is not None
    history = list(
        CarParkReading.objects.filter(
            car_park=car_park,
            valid=True,
            observed_at__gte=car_park.observed_at - timedelta(days=PROFILE_DAYS),
        )
        .order_by("observed_at")
        .values_list("observed_at", "value_percent")
    )
    local = [(timezone.localtime(at), value) for at, value in history]
    cleaned, _excluded = forecast.clean(local, flat_hours=FLATLINE_HOURS)
    profile = forecast.profile_from(cleaned)
    in_30, in_60, full_soon = forecast.full_within_hour(
        profile=profile,
        current=car_park.occupancy_percent,
        at=timezone.localtime(car_park.observed_at),
    )
    car_park.forecast_percent_30 = round(in_30, 1)
    car_park.forecast_percent_60 = round(in_60, 1)
    car_park.full_within_hour = full_soon


@transaction.atomic
def car_parks_detect_stale(*, now: datetime | None = None) -> int:
    """Car parks without a good reading for STALE_MINUTES: shown stale, alarm raised."""
    now = now or timezone.now()
    limit = now - timedelta(minutes=STALE_MINUTES)
    count = 0
    for car_park in CarPark.objects.select_for_update().filter(stale=False, observed_at__lt=limit):
        car_park.stale = True
        car_park.save(update_fields=["stale"])
        assert car_park.observed_at is not None
        events.publish(
            CarParkWentStale(
                **_where(car_park),
                severity="minor",
                name=car_park.name,
                silent_minutes=int((now - car_park.observed_at).total_seconds() // 60),
            )
        )
        count += 1
    return count


@transaction.atomic
def car_park_create(
    *,
    reference: str,
    name: str,
    lat: float,
    lon: float,
    capacity: int,
    operator: str = "",
    commune_insee: str = "",
    address: str = "",
    feed: Feed | None = None,
    source_id: str = "",
) -> CarPark:
    car_park = CarPark(
        reference=reference,
        name=name,
        lat=lat,
        lon=lon,
        capacity=capacity,
        operator=operator,
        commune_insee=commune_insee,
        address=address,
        feed=feed,
        source_id=source_id,
    )
    car_park.full_clean()
    car_park.save()
    return car_park


@transaction.atomic
def car_park_history_load(*, car_park: CarPark, samples: list[tuple[datetime, float]]) -> int:
    """Back-fill history (demo, migration of an archive): invalid values kept, marked."""
    rows = [
        CarParkReading(
            car_park=car_park, observed_at=at, value_percent=value, valid=0 <= value <= 100
        )
        for at, value in samples
    ]
    return len(CarParkReading.objects.bulk_create(rows, ignore_conflicts=True))
