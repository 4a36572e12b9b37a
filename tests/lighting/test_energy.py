"""Energy arithmetic: estimates, baseline and savings against the −65 % target."""

from __future__ import annotations

from datetime import date

import pytest

from lighting import schedule, selectors, services
from lighting.energy import EnergyFigures, point_kwh, savings
from lighting.models import MonthlyEnergy, Technology
from tests.lighting.factories import CabinetFactory, LightPointFactory


def test_a_fifty_watt_lamp_for_ten_full_power_hours_uses_half_a_kilowatt_hour() -> None:
    assert point_kwh(wattage=50, full_power_hours=10) == pytest.approx(0.5)


def test_savings_compare_consumption_with_the_baseline() -> None:
    assert savings(consumed_kwh=35, baseline_kwh=100) == pytest.approx(0.65)


def test_savings_without_a_baseline_are_unknown() -> None:
    assert savings(consumed_kwh=10, baseline_kwh=0) is None


def test_sixty_five_percent_saved_reaches_the_target_and_sixty_does_not() -> None:
    assert EnergyFigures(consumed_kwh=35, baseline_kwh=100).reaches_target
    assert not EnergyFigures(consumed_kwh=40, baseline_kwh=100).reaches_target


def test_a_months_estimate_dims_led_lamps_and_keeps_old_lamps_at_full_power(db) -> None:
    cabinet = CabinetFactory()
    LightPointFactory(cabinet=cabinet, wattage=50, baseline_wattage=150)
    LightPointFactory(cabinet=cabinet, technology=Technology.HPS, wattage=150, baseline_wattage=150)
    month = date(2026, 1, 1)
    services.energy_estimate_month(month=month)
    row = MonthlyEnergy.objects.get(cabinet=cabinet, month=month)
    residential = schedule.month_level_hours(month, selectors.profiles()["residential"])
    full = schedule.month_level_hours(month, schedule.FULL_NIGHT)
    assert row.estimated_kwh == pytest.approx(50 * residential / 1000 + 150 * full / 1000)
    assert row.baseline_kwh == pytest.approx(300 * full / 1000)


def test_a_meter_reading_adds_the_consumption_since_the_previous_index(db) -> None:
    from datetime import UTC, datetime

    cabinet = CabinetFactory(meter_index_kwh=1000.0)
    services.energy_meter_record(
        cabinet=cabinet, index_kwh=1042.5, at=datetime(2026, 3, 10, 6, tzinfo=UTC)
    )
    assert MonthlyEnergy.objects.get(cabinet=cabinet).measured_kwh == pytest.approx(42.5)


def test_the_metered_figure_wins_over_the_estimate_in_the_monthly_totals(db) -> None:
    cabinet = CabinetFactory(commune_insee="21231")
    MonthlyEnergy.objects.create(
        cabinet=cabinet, month=date(2026, 1, 1), measured_kwh=30, estimated_kwh=40, baseline_kwh=100
    )
    figures = selectors.energy_figures(start=date(2026, 1, 1), end=date(2026, 2, 1))
    assert figures[date(2026, 1, 1)].savings == pytest.approx(0.70)


def test_renovation_progress_counts_led_conversions_month_by_month(db) -> None:
    LightPointFactory(renovated_on=date(2024, 3, 5))
    LightPointFactory(renovated_on=date(2024, 5, 1))
    LightPointFactory(technology=Technology.HPS, wattage=150)
    progress = selectors.renovation_progress()
    assert progress["share"] == pytest.approx(2 / 3)
    assert progress["series"] == [["2024-03", 1], ["2024-05", 2]]


def _energy_kpi():  # type: ignore[no-untyped-def]
    from hypervisor.registry import registry

    return {kpi.key: kpi for kpi in registry.kpis()}["lighting-energy-savings"]


def test_the_energy_breakdown_keeps_to_the_commune_filter(db) -> None:
    for insee, consumed in (("21231", 30), ("21515", 80)):
        MonthlyEnergy.objects.create(
            cabinet=CabinetFactory(commune_insee=insee),
            month=date(2026, 11, 1),
            estimated_kwh=consumed,
            baseline_kwh=100,
        )
    kpi = _energy_kpi()
    whole = kpi.compute(start=date(2026, 11, 1), end=date(2026, 11, 30))
    assert len(whole["by"]) == 2
    dijon = kpi.compute(start=date(2026, 11, 1), end=date(2026, 11, 30), commune_insee="21231")
    assert list(dijon["by"].values()) == [70.0]
    assert dijon["value"] == 70.0


def test_the_current_month_counts_from_its_first_day(db) -> None:
    MonthlyEnergy.objects.create(
        cabinet=CabinetFactory(commune_insee="21231"),
        month=date(2026, 12, 1),
        estimated_kwh=35,
        baseline_kwh=100,
    )
    kpi = _energy_kpi()
    assert kpi.compute(start=date(2026, 12, 1), end=date(2026, 12, 1))["value"] == 65.0
    assert kpi.compute(start=date(2026, 11, 1), end=date(2026, 11, 30))["value"] is None
