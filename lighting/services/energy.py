"""Energy: meter readings per cabinet and month, estimates from the lamps, the baseline."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from django.db import transaction
from django.db.models import Sum

from lighting import schedule
from lighting.energy import point_kwh
from lighting.models import Cabinet, LightPoint, MonthlyEnergy, Technology
from lighting.selectors import profiles


def month_of(at: datetime) -> date:
    return at.astimezone(schedule.PARIS).date().replace(day=1)


@transaction.atomic
def energy_meter_record(*, cabinet: Cabinet, index_kwh: float, at: datetime) -> float:
    """Add the consumption since the previous index to the month; returns the delta.

    A meter index that goes backwards (a replaced meter) restarts counting from it.
    """
    previous = cabinet.meter_index_kwh
    delta = index_kwh - previous if previous is not None and index_kwh >= previous else 0.0
    cabinet.meter_index_kwh = index_kwh
    cabinet.save(update_fields=["meter_index_kwh"])
    if delta:
        row, _created = MonthlyEnergy.objects.select_for_update().get_or_create(
            cabinet=cabinet, month=month_of(at)
        )
        row.measured_kwh = (row.measured_kwh or 0.0) + delta
        row.save(update_fields=["measured_kwh"])
    return delta


@transaction.atomic
def energy_estimate_month(*, month: date) -> int:
    """Estimate every cabinet's month from its lamps (wattage × level × hours) and baseline.

    Lamps follow their street class's dimming profile; the baseline is the pre-renovation
    lamp at full power from dusk to dawn.
    """
    month = month.replace(day=1)
    hours = {
        name: schedule.month_level_hours(month, profile) for name, profile in profiles().items()
    }
    full_night = schedule.month_level_hours(month, schedule.FULL_NIGHT)
    totals: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for cabinet_id, street_class, technology, watts, baseline_watts in (
        LightPoint.objects.values_list("cabinet_id", "street_class", "technology")
        .annotate(watts=Sum("wattage"), baseline=Sum("baseline_wattage"))
        .order_by()
    ):
        # Only LED lamps dim; older lamps burn at full power from dusk to dawn.
        used_hours = hours[street_class] if technology == Technology.LED else full_night
        totals[cabinet_id][0] += point_kwh(wattage=watts, full_power_hours=used_hours)
        totals[cabinet_id][1] += point_kwh(wattage=baseline_watts, full_power_hours=full_night)
    rows = [
        MonthlyEnergy(cabinet_id=cabinet_id, month=month, estimated_kwh=est, baseline_kwh=base)
        for cabinet_id, (est, base) in totals.items()
    ]
    MonthlyEnergy.objects.bulk_create(
        rows,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["cabinet", "month"],
        update_fields=["estimated_kwh", "baseline_kwh"],
    )
    return len(rows)
