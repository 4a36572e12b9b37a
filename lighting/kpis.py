"""KPIs of the lighting app for the hypervisor's board."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.utils.translation import gettext_lazy as _

from hypervisor import selectors as territory
from lighting import selectors
from lighting.energy import SAVINGS_TARGET


def _day(value: Any) -> date:
    return value.date() if isinstance(value, datetime) else value


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


class EnergySavingsKpi:
    key = "lighting-energy-savings"
    label = _("Lighting energy saved against the baseline")
    unit = "%"
    target: float | None = SAVINGS_TARGET * 100
    higher_is_better = True

    def compute(self, *, start: Any, end: Any, commune_insee: str | None = None) -> dict[str, Any]:
        # Months are keyed by their first day and the selectors' end is exclusive: the day
        # after the period keeps the current month on its first day.
        first, after = _day(start).replace(day=1), _day(end) + timedelta(days=1)
        months = selectors.energy_figures(start=first, end=after, commune_insee=commune_insee)
        consumed = sum(figures.consumed_kwh for figures in months.values())
        baseline = sum(figures.baseline_kwh for figures in months.values())
        metered = sum(figures.metered_kwh for figures in months.values())
        names = territory.commune_names()
        by_commune = selectors.energy_by_commune(
            start=first, end=after, commune_insee=commune_insee
        )
        return {
            "value": _percent(1 - consumed / baseline) if baseline else None,
            "series": [
                [month.strftime("%Y-%m"), _percent(f.savings)] for month, f in months.items()
            ],
            "by": {names.get(insee, insee): _percent(f.savings) for insee, f in by_commune.items()},
            # Metered energy replaces the estimate wherever a meter reports; say how much.
            "metered_share": _percent(metered / consumed) if consumed else None,
            "note": _("%(share)s %% of this energy is metered, the rest estimated.")
            % {"share": _percent(metered / consumed) if consumed else 0},
        }


class LedRenovationKpi:
    key = "lighting-led-share"
    label = _("Light points converted to LED")
    unit = "%"
    target: float | None = None
    higher_is_better = True

    def compute(self, *, start: Any, end: Any, commune_insee: str | None = None) -> dict[str, Any]:
        progress = selectors.renovation_progress(commune_insee=commune_insee)
        total = progress["total"] or 1
        return {
            "value": _percent(progress["share"]),
            "series": [
                [month, round(count / total * 100, 1)] for month, count in progress["series"]
            ],
            "by": {},
        }


class LightingAvailabilityKpi:
    key = "lighting-availability"
    label = _("Street lights in working order")
    unit = "%"
    target: float | None = 99.9
    higher_is_better = True

    def compute(self, *, start: Any, end: Any, commune_insee: str | None = None) -> dict[str, Any]:
        shares = selectors.availability(commune_insee=commune_insee)
        return {
            "value": _percent(shares["lamps"]),
            "series": [],
            "by": {
                str(_("light points")): _percent(shares["lamps"]),
                str(_("cabinets")): _percent(shares["cabinets"]),
            },
        }
