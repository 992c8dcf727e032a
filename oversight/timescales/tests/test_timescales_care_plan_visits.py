"""The social worker's visits as the child's care plan sets them (`care_plan_visits`), a visit
the child asks for (`visit_requested`) and a child's own application to the court
(`court_application`): docs/spec/timescales.md, "Additions".

Christmas Day 2026 is a Friday, Boxing Day's substitute Mon 28 December and New Year's Day a
Friday; 2028 is a leap year."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from oversight.timescales.catalogue import _row
from oversight.timescales.engine import evaluate, visit_minimum
from oversight.timescales.events import InputError
from oversight.timescales.rules import parse_rule
from oversight.timescales.tests.helpers import POLICY, by_trigger, obligations, of, state

PLACED = [
    {"type": "lac_start", "date": "2026-12-14"},  # Mon
    {"type": "placement_start", "date": "2026-12-14", "placement_type": "foster"},
    {"type": "lac_visit", "date": "2026-12-21"},  # Mon
]


def next_visit(events: list[dict], as_of: str, after: str) -> tuple:
    return state(by_trigger(obligations(events, as_of), "lac.sw_visit")[after])


def test_a_care_plan_visiting_more_often_brings_the_next_visit_forward() -> None:
    # the statutory minimum alone: Mon 21 December + 42 days, Mon 1 February
    assert next_visit(PLACED, "2027-01-04", "2026-12-21") == ("2027-02-01", "pending", None, None)
    planned = [
        *PLACED,
        {"type": "care_plan_visits", "date": "2026-12-14", "visit_interval": "28 days"},
    ]
    # every 28 days, over Christmas (calendar days): Mon 18 January
    assert next_visit(planned, "2027-01-04", "2026-12-21") == ("2027-01-18", "pending", None, None)


def test_a_care_plan_in_working_days_skips_the_bank_holidays() -> None:
    planned = [
        *PLACED,
        {"type": "care_plan_visits", "date": "2026-12-14", "visit_interval": "20 working days"},
    ]
    # Mon 21 December + 20 working days, Christmas, Boxing Day's substitute and New Year's Day
    # skipped: Thu 21 January (earlier than the minimum's Mon 1 February)
    assert next_visit(planned, "2027-01-04", "2026-12-21") == ("2027-01-21", "pending", None, None)


def test_a_care_plan_in_months_counts_to_the_leap_day() -> None:
    events: list[dict] = [
        {"type": "lac_start", "date": "2027-01-29"},  # Fri
        {"type": "placement_start", "date": "2027-01-29", "until_18": True},
        {"type": "care_plan_visits", "date": "2027-01-29", "visit_interval": "1 month"},
        {"type": "lac_visit", "date": "2028-01-31"},  # Mon: after the first year
    ]
    # the minimum after the first year until 18 is 3 months (Sun 30 April); the plan's month
    # from Mon 31 January 2028 ends on February's last day, Tue 29 February
    assert next_visit(events, "2028-02-01", "2028-01-31") == ("2028-02-29", "pending", None, None)


def test_a_care_plan_never_makes_visits_less_frequent_than_the_minimum() -> None:
    planned = [
        *PLACED,
        {"type": "care_plan_visits", "date": "2026-12-14", "visit_interval": "3 months"},
    ]
    found = by_trigger(obligations(planned, "2027-01-04"), "lac.sw_visit")
    # the placement's week stands: Mon 21 December, met that day
    assert state(found["2026-12-14"]) == ("2026-12-21", "met", "2026-12-21", True)
    # 3 months would be Sun 21 March: the 42 days of the first year are earlier, Mon 1 February
    assert state(found["2026-12-21"]) == ("2027-02-01", "pending", None, None)


def test_the_plan_in_force_on_the_visits_day_sets_the_next_and_a_new_episode_drops_it() -> None:
    events = [
        *PLACED,
        # set after the visit of Mon 21 December: that visit's next stays the minimum's
        {"type": "care_plan_visits", "date": "2026-12-22", "visit_interval": "14 days"},
        {"type": "lac_visit", "date": "2027-01-04"},  # Mon
        {"type": "lac_end", "date": "2027-01-06"},
        {"type": "lac_start", "date": "2027-02-01"},  # Mon: a new episode, no plan of its own
        {"type": "placement_start", "date": "2027-02-01"},
        {"type": "lac_visit", "date": "2027-02-05"},  # Fri
    ]
    found = by_trigger(obligations(events, "2027-02-08"), "lac.sw_visit")
    assert state(found["2026-12-21"]) == ("2027-02-01", "met", "2027-01-04", True)
    # the old episode's next visit (Mon 18 January) is dropped: it ended Wed 6 January
    assert "2027-01-04" not in found
    # the new episode's: Fri 5 February + 42 days, Fri 19 March (the old plan is not its own)
    assert state(found["2027-02-05"]) == ("2027-03-19", "pending", None, None)


@pytest.mark.parametrize(
    ("interval", "message"),
    [
        (None, "events[3].visit_interval: missing"),
        ("4 weeks", "events[3].visit_interval: '4 weeks' is not a rule"),
        ("24 hours", "events[3].visit_interval: a visiting interval counts forward in days"),
        ("3 days before", "events[3].visit_interval: a visiting interval counts forward in days"),
    ],
)
def test_it_refuses_a_care_plan_without_a_forward_interval(
    interval: str | None, message: str
) -> None:
    plan: dict = {"type": "care_plan_visits", "date": "2026-12-14"}
    if interval is not None:
        plan["visit_interval"] = interval
    with pytest.raises(InputError) as raised:
        evaluate([*PLACED, plan], POLICY, date(2027, 1, 4))
    assert str(raised.value).startswith(message)


@pytest.mark.parametrize(
    ("events", "on", "minimum"),
    [
        (PLACED, date(2027, 1, 4), "42 days"),  # the first year of the placement
        ([], date(2027, 1, 4), "42 days"),  # no placement: a new one's first year
        (
            [
                {"type": "lac_start", "date": "2027-01-29"},
                {"type": "placement_start", "date": "2027-01-29", "until_18": True},
            ],
            date(2028, 1, 29),  # Sat: the start's date a year on, past the first year
            "3 months",
        ),
        (
            [
                {"type": "lac_start", "date": "2027-03-01"},
                {"type": "placement_start", "date": "2027-03-01", "placement_type": "with_parents"},
            ],
            date(2027, 3, 8),  # before the first review
            "7 days",
        ),
    ],
)
def test_it_says_the_minimum_a_care_plan_may_not_fall_below(
    events: list[dict], on: date, minimum: str
) -> None:
    assert visit_minimum(events, POLICY, on) == parse_rule(minimum)


REQUESTED = [
    {"type": "lac_start", "date": "2026-12-01"},
    {"type": "placement_start", "date": "2026-12-01"},
    {"type": "lac_visit", "date": "2026-12-03"},
    {"type": "visit_requested", "date": "2026-12-24"},  # Thu: Christmas Eve
]


def test_a_request_calls_for_nothing_without_a_packs_row() -> None:
    # the same obligations as without the request: reg 28's visits, the IRO and the reviews
    assert obligations(REQUESTED, "2027-01-11") == obligations(REQUESTED[:-1], "2027-01-11")


def test_a_packs_row_makes_the_requested_visit_due() -> None:
    row = _row(
        "lac.sw_visit.requested",
        "visit_requested",
        "5 working days",
        "lac_visit",
        "a pack's own reading (no source gives a time)",
        belongs_to="episode",
    )
    policy = replace(POLICY, obligations=(*POLICY.obligations, row))
    # Thu 24 December + 5 working days, Christmas, Boxing Day's substitute and New Year's Day
    # skipped: Tue 5 January
    assert state(of(obligations(REQUESTED, "2027-01-11", policy), "lac.sw_visit.requested")[0]) == (
        "2027-01-05",
        "overdue",
        None,
        None,
    )
    visited = [*REQUESTED, {"type": "lac_visit", "date": "2026-12-24"}]  # the same day
    assert state(of(obligations(visited, "2027-01-11", policy), "lac.sw_visit.requested")[0]) == (
        "2027-01-05",
        "met",
        "2026-12-24",
        True,
    )


def test_a_court_application_changes_no_obligation_and_its_details_are_codes() -> None:
    applied = {
        "type": "court_application",
        "date": "2027-01-04",
        "applicant": "child",
        "order": "contact_in_care",
    }
    assert obligations([*PLACED, applied], "2027-01-11") == obligations(PLACED, "2027-01-11")
    with pytest.raises(InputError) as raised:
        evaluate([*PLACED, {**applied, "applicant": "parent"}], POLICY, date(2027, 1, 11))
    assert str(raised.value) == (
        "events[3].applicant: unknown applicant 'parent' (one of appropriate_adult, child)"
    )
