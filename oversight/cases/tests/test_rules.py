"""The chronology's one rule for a date something happened, shared by the event form, the meeting
rules and the importers."""

from __future__ import annotations

import datetime as dt

from oversight.cases.rules import held_date_problem

thursday_3_december_2026 = dt.date(2026, 12, 3)
born_tuesday_1_june_2021 = dt.date(2021, 6, 1)


def test_it_refuses_a_day_after_today() -> None:
    friday_4_december_2026 = dt.date(2026, 12, 4)
    assert held_date_problem(
        friday_4_december_2026, born=born_tuesday_1_june_2021, today=thursday_3_december_2026
    ) == ("The date must be today or in the past")


def test_it_refuses_a_day_before_the_birth_and_takes_the_birthday_itself() -> None:
    monday_31_may_2021 = dt.date(2021, 5, 31)
    assert held_date_problem(
        monday_31_may_2021, born=born_tuesday_1_june_2021, today=thursday_3_december_2026
    ) == ("The date must be on or after the child's date of birth (1 June 2021)")
    assert (
        held_date_problem(
            born_tuesday_1_june_2021, born=born_tuesday_1_june_2021, today=thursday_3_december_2026
        )
        is None
    )


def test_it_takes_today_and_does_not_check_an_unborn_childs_events_against_a_birth() -> None:
    assert (
        held_date_problem(thursday_3_december_2026, born=None, today=thursday_3_december_2026)
        is None
    )
    assert held_date_problem(dt.date(2020, 1, 1), born=None, today=thursday_3_december_2026) is None
