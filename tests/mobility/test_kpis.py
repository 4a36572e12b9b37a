from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from mobility.kpis import CarParkOccupancyKpi
from mobility.models import CarParkReading
from tests.mobility.factories import CarParkFactory


def test_the_occupancy_kpi_averages_accepted_readings_of_the_period(db) -> None:
    car_park = CarParkFactory(name="Parking Darcy")
    now = timezone.now()
    for value, valid in ((40.0, True), (60.0, True), (-20.0, False)):
        CarParkReading.objects.create(
            car_park=car_park, observed_at=now - timedelta(minutes=int(value) + 30),
            value_percent=value, valid=valid,
        )  # fmt: skip
    today = timezone.localdate()
    figure = CarParkOccupancyKpi().compute(
        start=today - timedelta(days=1), end=today + timedelta(days=1)
    )
    assert figure["value"] == 50.0
    assert figure["by"] == {"Parking Darcy": 50.0}
    assert (
        CarParkOccupancyKpi().compute(start=date(2001, 1, 1), end=date(2001, 2, 1))["value"] is None
    )
