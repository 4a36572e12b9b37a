"""Astronomical clock and dimming plans, at fixed dates for Dijon."""

from __future__ import annotations

from datetime import date, datetime, time

import time_machine

from lighting import schedule
from lighting.schedule import PARIS, Profile

RESIDENTIAL = Profile(evening_level=100, night_level=50, night_start=time(23), night_end=time(5))


def test_the_winter_solstice_night_in_dijon_runs_from_about_five_to_about_eight() -> None:
    dusk, dawn = schedule.night_of(date(2026, 12, 21))
    assert dusk.date() == date(2026, 12, 21)
    assert (16, 50) <= (dusk.hour, dusk.minute) <= (17, 5)
    assert dawn.date() == date(2026, 12, 22)
    assert (8, 15) <= (dawn.hour, dawn.minute) <= (8, 30)


def test_a_summer_night_is_much_shorter_than_a_winter_night() -> None:
    summer = schedule.night_of(date(2026, 6, 21))
    winter = schedule.night_of(date(2026, 12, 21))
    assert (summer[1] - summer[0]).total_seconds() / 3600 < 9
    assert (winter[1] - winter[0]).total_seconds() / 3600 > 15


def test_a_night_plan_is_full_at_dusk_dimmed_from_eleven_to_five_and_full_before_dawn() -> None:
    steps = schedule.plan(date(2026, 12, 21), RESIDENTIAL)
    assert [step.level for step in steps] == [100, 50, 100]
    assert steps[1].start == datetime(2026, 12, 21, 23, 0, tzinfo=PARIS)
    assert steps[1].end == datetime(2026, 12, 22, 5, 0, tzinfo=PARIS)
    assert steps[0].start == schedule.night_of(date(2026, 12, 21))[0]


def test_a_lamp_is_off_at_noon() -> None:
    assert schedule.level_at(datetime(2026, 12, 21, 12, 0, tzinfo=PARIS), RESIDENTIAL) == 0


def test_a_lamp_is_dimmed_at_three_in_the_morning() -> None:
    assert schedule.level_at(datetime(2026, 12, 22, 3, 0, tzinfo=PARIS), RESIDENTIAL) == 50


def test_a_lamp_is_at_full_power_at_seven_on_a_winter_morning() -> None:
    assert schedule.level_at(datetime(2026, 12, 22, 7, 0, tzinfo=PARIS), RESIDENTIAL) == 100


def test_it_is_dark_at_ten_in_the_evening_of_frozen_time() -> None:
    with time_machine.travel(datetime(2026, 1, 15, 22, 0, tzinfo=PARIS), tick=False):
        assert schedule.is_dark(datetime.now(tz=PARIS))


def test_full_power_hours_of_a_dimmed_night_count_half_for_the_dimmed_hours() -> None:
    night = date(2026, 12, 21)
    dusk, dawn = schedule.night_of(night)
    total_hours = (dawn - dusk).total_seconds() / 3600
    assert abs(schedule.level_hours(night, RESIDENTIAL) - (total_hours - 6 * 0.5)) < 1e-6


def test_a_month_of_nights_adds_up_every_night() -> None:
    month = date(2026, 2, 1)
    expected = sum(schedule.level_hours(date(2026, 2, day), RESIDENTIAL) for day in range(1, 29))
    assert abs(schedule.month_level_hours(month, RESIDENTIAL) - expected) < 1e-6
