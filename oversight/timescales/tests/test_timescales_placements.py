"""Placements and the social worker's visits (`lac.sw_visit`, CPPCR 2010 reg 28), and a row's
second trigger (`or_from`): docs/spec/timescales.md, "Additions".

Calendar days, not working days: Christmas Day 2026 is a Friday and Boxing Day a Saturday (Mon 28
December 2026 its substitute bank holiday), and neither moves a visit; 2028 is a leap year."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Literal

import pytest

from oversight.timescales.engine import evaluate
from oversight.timescales.events import InputError
from oversight.timescales.rules import OrFrom, parse_rule
from oversight.timescales.tests.helpers import POLICY, by_trigger, obligations, of, state


def visits(events: list[dict], as_of: str) -> list[tuple]:
    return [
        (o["trigger"]["date"], *state(o)) for o in of(obligations(events, as_of), "lac.sw_visit")
    ]


def test_it_wants_a_visit_within_a_week_of_a_placement_then_every_six_weeks() -> None:
    events = [
        {"type": "lac_start", "date": "2026-12-14"},  # Mon
        {"type": "placement_start", "date": "2026-12-14", "placement_type": "foster"},
        {"type": "lac_visit", "date": "2026-12-21"},  # Mon
    ]
    assert visits(events, "2027-01-04") == [
        # Mon 14 December + 7 days: Mon 21 December, met that day
        ("2026-12-14", "2026-12-21", "met", "2026-12-21", True),
        # Mon 21 December + 42 days, over Christmas and New Year: Mon 1 February
        ("2026-12-21", "2027-02-01", "pending", None, None),
    ]


@pytest.mark.parametrize(
    ("until_18", "after_the_year"),
    [
        # intended to last until 18: Mon 31 January 2028 + 3 months, April's last day, Sun 30th
        (True, "2028-04-30"),
        # otherwise still six weeks: Mon 31 January + 42 days over 29 February, Mon 13 March
        (False, "2028-03-13"),
    ],
)
def test_it_visits_every_three_months_after_the_first_year_of_a_placement_until_18(
    until_18: bool, after_the_year: str
) -> None:
    events = [
        {"type": "lac_start", "date": "2027-01-29"},  # Fri
        {"type": "placement_start", "date": "2027-01-29", "until_18": until_18},
        {"type": "lac_visit", "date": "2027-02-03"},
        {"type": "lac_visit", "date": "2028-01-25"},  # Tue: in the first year
        {"type": "lac_visit", "date": "2028-01-31"},  # Mon: after Sat 29 January 2028
    ]
    found = by_trigger(obligations(events, "2028-02-15"), "lac.sw_visit")
    # Tue 25 January 2028, still in the first year: + 42 days (29 February counted), Tue 7 March
    assert state(found["2028-01-25"]) == ("2028-03-07", "met", "2028-01-31", True)
    assert state(found["2028-01-31"]) == (after_the_year, "pending", None, None)


def test_it_visits_a_child_placed_with_parents_weekly_until_the_first_review() -> None:
    events = [
        {"type": "lac_start", "date": "2027-03-01"},  # Mon
        {"type": "placement_start", "date": "2027-03-01", "placement_type": "with_parents"},
        {"type": "lac_visit", "date": "2027-03-08"},  # Mon
        {"type": "lac_visit", "date": "2027-03-15"},  # Mon
        {"type": "lac_review", "date": "2027-03-29"},  # Mon: the first review
        {"type": "lac_visit", "date": "2027-03-30"},  # Tue
    ]
    assert visits(events, "2027-04-01") == [
        ("2027-03-01", "2027-03-08", "met", "2027-03-08", True),
        ("2027-03-08", "2027-03-15", "met", "2027-03-15", True),
        # weekly before the review: due Mon 22 March, met late by the visit after it
        ("2027-03-15", "2027-03-22", "met", "2027-03-30", False),
        # after the first review, six weeks: Tue 30 March + 42 days, Tue 11 May
        ("2027-03-30", "2027-05-11", "pending", None, None),
    ]


def test_a_change_of_placement_starts_the_visits_again_and_drops_the_old_placements() -> None:
    events = [
        {"type": "lac_start", "date": "2027-03-01"},
        {"type": "placement_start", "date": "2027-03-01", "placement_type": "foster"},
        {"type": "lac_visit", "date": "2027-03-05"},  # Fri: next due Fri 16 April
        {"type": "placement_change", "date": "2027-04-07", "placement_type": "residential"},
    ]
    assert visits(events, "2027-04-20") == [
        ("2027-03-01", "2027-03-08", "met", "2027-03-05", True),
        # the old placement's next visit (Fri 16 April) is dropped: it ended Wed 7 April.
        # The new one's first visit: Wed 7 April + 7 days, Wed 14 April
        ("2027-04-07", "2027-04-14", "overdue", None, None),
    ]
    # a visit on the day of the change is the new placement's
    same_day = [*events, {"type": "lac_visit", "date": "2027-04-07"}]
    assert visits(same_day, "2027-04-20")[1] == (
        "2027-04-07",
        "2027-04-14",
        "met",
        "2027-04-07",
        True,
    )


def test_a_placement_ends_with_its_episode_or_its_end_and_needs_an_episode() -> None:
    ended = [
        {"type": "lac_start", "date": "2027-03-01"},
        {"type": "placement_start", "date": "2027-03-01"},
        {"type": "lac_end", "date": "2027-03-03"},  # Wed: before the visit due Mon 8 March
    ]
    assert visits(ended, "2027-04-01") == []
    closed = [*ended[:2], {"type": "placement_end", "date": "2027-03-03"}]
    assert visits(closed, "2027-04-01") == []
    # not looked after: no visits are due (reg 28 is about looked-after children)
    assert visits([{"type": "placement_start", "date": "2027-03-01"}], "2027-04-01") == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("area", "elsewhere", "events[1].area: 'elsewhere' is not 'in' or 'out'"),
        ("distance", -1, "events[1].distance: -1 is not a distance in miles"),
        ("until_18", "yes", "events[1].until_18: must be true or false"),
        ("provider", 12, "events[1].provider: must be a string"),
    ],
)
def test_it_refuses_a_placement_with_bad_details(field: str, value: object, message: str) -> None:
    events = [
        {"type": "lac_start", "date": "2027-03-01"},
        {"type": "placement_change", "date": "2027-03-01", field: value},
    ]
    with pytest.raises(InputError) as raised:
        evaluate(events, POLICY, date(2027, 4, 1))
    assert str(raised.value).startswith(message)


def _record_rule(whichever: Literal["earlier", "later"]) -> object:
    second = OrFrom("review_decisions_issued", parse_rule("15 days"), whichever)
    return replace(
        POLICY,
        obligations=tuple(
            replace(row, due=parse_rule("20 days"), or_from=second)
            if row.code == "lac.review.record"
            else row
            for row in POLICY.obligations
        ),
    )


REVIEW = [
    {"type": "lac_start", "date": "2026-11-19"},
    {"type": "lac_review", "date": "2026-12-17"},  # Thu
]


@pytest.mark.parametrize(
    ("whichever", "decisions", "due"),
    [
        # no decisions yet: Thu 17 December + 20 days (Christmas counted), Wed 6 January
        ("later", None, "2027-01-06"),
        # decisions Thu 24 December + 15 days, Fri 8 January, later than Wed 6th
        ("later", "2026-12-24", "2027-01-08"),
        # decisions Mon 21 December + 15 days, Tue 5 January: the 20 days are later
        ("later", "2026-12-21", "2027-01-06"),
        ("earlier", "2026-12-21", "2027-01-05"),
        ("earlier", "2026-12-24", "2027-01-06"),
    ],
)
def test_a_second_trigger_moves_the_due_date_to_the_earlier_or_later(
    whichever: Literal["earlier", "later"], decisions: str | None, due: str
) -> None:
    events = [*REVIEW]
    if decisions:
        events.append({"type": "review_decisions_issued", "date": decisions})
    found = of(obligations(events, "2027-01-07", _record_rule(whichever)), "lac.review.record")
    assert [o["due"] for o in found] == [due]


def test_a_later_reviews_decisions_are_not_a_second_trigger_of_an_earlier_review() -> None:
    events = [
        *REVIEW,
        {"type": "lac_review", "date": "2027-03-17"},  # Wed: the second review
        {"type": "review_decisions_issued", "date": "2027-03-22"},
    ]
    found = by_trigger(
        obligations(events, "2027-03-23", _record_rule("later")), "lac.review.record"
    )
    assert found["2026-12-17"]["due"] == "2027-01-06"  # its own 20 days only
    # the second review's: Wed 17 March + 20 days, Tue 6 April; decisions Mon 22 March + 15, Tue 6 April
    assert found["2027-03-17"]["due"] == "2027-04-06"
