"""Car-park and feed alarm rows name the car park or feed, not their internal identifiers."""

from __future__ import annotations

from django.utils import timezone

from hypervisor.alarm_layer import AlarmLayer, alarm_features
from hypervisor.models import Alarm, Severity
from tests.mobility.factories import CarParkFactory, CarParkFeedFactory


def _alarm(asset_type: str, asset_id: str, *, parent: Alarm | None = None) -> Alarm:
    now = timezone.now()
    return Alarm.objects.create(
        kind=f"{asset_type}-stale",
        asset_type=asset_type,
        asset_id=asset_id,
        severity=Severity.MINOR,
        title="Plus de données récentes",
        raised_at=now,
        last_raised_at=now,
        parent=parent,
    )


def test_a_car_park_alarm_names_the_car_park_and_its_commune(territory) -> None:
    CarParkFactory(reference="malraux", name="Parking Malraux", commune_insee="21231")
    [row] = alarm_features([_alarm("car_park", "malraux")])
    assert row["asset_name"] == "Parking Malraux"
    assert row["asset_commune"] == "Dijon"
    assert "car_park:malraux" not in AlarmLayer().describe(row)


def test_a_feed_alarm_names_the_feed(db) -> None:
    feed = CarParkFeedFactory(name="DiviaPark — occupation")
    [row] = alarm_features([_alarm("mobility_feed", str(feed.pk))])
    assert row["asset_name"] == "DiviaPark — occupation"


def test_car_parks_under_one_alarm_are_counted_in_words(db) -> None:
    CarParkFactory(reference="darcy")
    root = _alarm("mobility_feed", "999")
    _alarm("car_park", "darcy", parent=root)
    [row] = alarm_features([root])
    assert row["consequences_label"] == "+ 1 car park"
