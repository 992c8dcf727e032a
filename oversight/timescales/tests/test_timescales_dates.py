"""The engine's public date rules (`oversight.timescales.dates`): the one place outside a
chronology that a due date comes from. Literal dates, each with its weekday."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from oversight.timescales.calendar import WorkingCalendar
from oversight.timescales.catalogue import baseline_policy
from oversight.timescales.dates import (
    LONDON,
    bank_holidays_between,
    due,
    due_date,
    is_working_day,
    working_day_step,
    working_days_between,
)

CALENDAR = WorkingCalendar()


def test_it_counts_working_days_from_the_day_after_over_christmas_2026() -> None:
    thursday_24_december_2026 = date(2026, 12, 24)
    # Fri 25 Dec, Mon 28 Dec (Boxing Day's substitute) and Fri 1 Jan are bank holidays:
    # Tue 29, Wed 30, Thu 31 Dec, Mon 4 and Tue 5 Jan 2027.
    assert due("5 working days", thursday_24_december_2026, CALENDAR) == date(2027, 1, 5)
    # The engine's reading of "the next working day": Thu 24 Dec → Tue 29 Dec.
    assert due("1 working day", thursday_24_december_2026, CALENDAR) == date(2026, 12, 29)


def test_it_lists_the_bank_holidays_of_christmas_2026_both_ends_included() -> None:
    friday_25_december_2026, friday_1_january_2027 = date(2026, 12, 25), date(2027, 1, 1)
    assert bank_holidays_between(friday_25_december_2026, friday_1_january_2027) == [
        date(2026, 12, 25),  # Fri, Christmas Day: the first day of the interval counts
        date(2026, 12, 28),  # Mon, the substitute for Boxing Day (Sat 26 Dec)
        date(2027, 1, 1),  # Fri, New Year's Day: the last day of the interval counts
    ]
    # Christmas Eve is a working day, not a bank holiday
    assert bank_holidays_between(date(2026, 12, 24), date(2026, 12, 24)) == []


def test_it_counts_a_saturday_start_to_the_monday() -> None:
    saturday_5_december_2026 = date(2026, 12, 5)
    assert due_date("1 working day", saturday_5_december_2026, CALENDAR) == date(2026, 12, 7)


def test_it_counts_working_days_before_a_meeting() -> None:
    thursday_7_january_2027 = date(2027, 1, 7)
    # 3 working days before: Mon 4 Jan (the day itself not counted).
    assert due("3 working days before", thursday_7_january_2027, CALENDAR) == date(2027, 1, 4)


def test_it_takes_the_month_end_for_a_months_rule_into_a_leap_february() -> None:
    tuesday_30_november_2027 = date(2027, 11, 30)
    assert due("3 months", tuesday_30_november_2027, CALENDAR) == date(2028, 2, 29)
    assert due("14 days", tuesday_30_november_2027, CALENDAR) == date(2027, 12, 14)


def test_it_adds_hours_to_the_clock_time_across_the_autumn_clock_change() -> None:
    # Sat 30 Oct 2027 10:00 BST + 24 elapsed hours: clocks go back on Sun 31 Oct → 09:00 GMT.
    start = datetime(2027, 10, 30, 10, 0, tzinfo=LONDON)
    assert due("24 hours", start, CALENDAR) == datetime(2027, 10, 31, 9, 0, tzinfo=LONDON)


def test_it_refuses_an_hours_rule_from_a_bare_date() -> None:
    with pytest.raises(TypeError, match="counts from a time"):
        due("24 hours", date(2027, 1, 4), CALENDAR)


def test_it_reads_the_pack_calendar_from_a_policy() -> None:
    policy = baseline_policy()
    friday_28_may_2027 = date(2027, 5, 28)
    # Mon 31 May 2027 is the spring bank holiday.
    assert due("1 working day", friday_28_may_2027, policy) == date(2027, 6, 1)
    assert not is_working_day(date(2027, 5, 31), policy)
    assert is_working_day(date(2027, 6, 1), policy)


def test_it_counts_working_days_left_and_late() -> None:
    monday_7_december_2026 = date(2026, 12, 7)
    # (Mon, Fri]: Tue to Fri are 4 working days left.
    assert working_days_between(monday_7_december_2026, date(2026, 12, 11), CALENDAR) == 4
    # Due Mon 30 Nov, today Mon 7 Dec: 5 working days late.
    assert working_days_between(monday_7_december_2026, date(2026, 11, 30), CALENDAR) == -5


def test_it_steps_working_days_on_ordinals_as_due_counts() -> None:
    step = working_day_step()
    thursday_24_december_2026 = date(2026, 12, 24).toordinal()
    # Tue 29 Dec: Christmas Day and Boxing Day's substitute skipped, as `due` counts.
    assert date.fromordinal(step(thursday_24_december_2026, 1)) == date(2026, 12, 29)
    # 3 working days before Thu 24 Dec: Mon 21 Dec, the day itself not counted.
    assert date.fromordinal(step(thursday_24_december_2026, -3)) == date(2026, 12, 21)
    assert step(thursday_24_december_2026, 0) == thursday_24_december_2026
