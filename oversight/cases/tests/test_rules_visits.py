"""The rules of a care plan's visits, a visit the child asked for and a court application, as
plain functions (the event form, the API and the events import call them alike)."""

from __future__ import annotations

import datetime as dt

from oversight.cases.rules import EventRecord, asked_visits, care_plan_problems, event_problems
from oversight.timescales.rules import parse_rule

monday_14_december_2026 = dt.date(2026, 12, 14)


def plan(interval: str, day: dt.date = monday_14_december_2026) -> EventRecord:
    return EventRecord(type="care_plan_visits", date=day, visit_interval=interval)


def test_a_care_plan_may_visit_as_often_as_the_minimum_or_more_often() -> None:
    six_weeks = parse_rule("42 days")
    assert care_plan_problems(plan("28 days"), six_weeks) == {}
    assert care_plan_problems(plan("42 days"), six_weeks) == {}  # the minimum itself
    # Mon 14 December + 1 month: Thu 14 January, before the minimum's Mon 25 January
    assert care_plan_problems(plan("1 month"), six_weeks) == {}


def test_a_care_plan_less_often_than_the_minimum_is_refused_on_its_field() -> None:
    refused = {
        "visit_interval": "A care plan cannot set visits less often than the law's minimum: at "
        "least every 42 days for this child's placement on this date"
    }
    assert care_plan_problems(plan("43 days"), parse_rule("42 days")) == refused
    # from Mon 31 January 2028, 1 month is Tue 29 February (29 days): more than weekly
    weekly = parse_rule("7 days")
    assert care_plan_problems(plan("1 month", dt.date(2028, 1, 31)), weekly) == {
        "visit_interval": "A care plan cannot set visits less often than the law's minimum: at "
        "least every 7 days for this child's placement on this date"
    }
    # 3 months are never less often than the 3 months after a long placement's first year
    assert care_plan_problems(plan("3 months"), parse_rule("3 months")) == {}


def test_a_care_plan_is_days_or_months() -> None:
    words = "Write how often in days or months, e.g. \u201c28 days\u201d or \u201c1 month\u201d"
    for bad in ("4 weeks", "20 working days", "24 hours", "3 days before", "monthly"):
        assert care_plan_problems(plan(bad), None) == {"visit_interval": words}, bad
    assert care_plan_problems(plan(" "), None) == {
        "visit_interval": "Enter how often the care plan says the child is visited"
    }


def test_event_problems_ask_the_minimum_for_the_plans_own_date() -> None:
    asked: list[dt.date] = []

    def minimum(day: dt.date):  # type: ignore[no-untyped-def]
        asked.append(day)
        return parse_rule("7 days")

    problems = event_problems(
        plan("14 days"), periods=[], open_actions=set(), visit_minimum=minimum
    )
    assert asked == [monday_14_december_2026]
    assert "visit_interval" in problems


def test_each_visit_the_child_asked_for_is_met_by_the_first_visit_on_or_after_it() -> None:
    thursday_24_december = dt.date(2026, 12, 24)
    monday_4_january = dt.date(2027, 1, 4)
    assert asked_visits(
        [monday_4_january, thursday_24_december],
        [dt.date(2026, 12, 21), thursday_24_december, dt.date(2027, 1, 2)],
    ) == [
        (thursday_24_december, thursday_24_december),  # visited the same day
        (monday_4_january, None),  # the visit of Sat 2 January came before it
    ]


def test_a_court_application_names_who_applied_and_the_order_sought() -> None:
    record = EventRecord(type="court_application", date=monday_14_december_2026)
    assert event_problems(record, periods=[], open_actions=set()) == {
        "applicant": "Say who applied to the court: the child or an adult for them",
        "order": "Choose the order sought from the list",
    }
    given = EventRecord(
        type="court_application",
        date=monday_14_december_2026,
        applicant="appropriate_adult",
        order="discharge_care_order",
    )
    assert event_problems(given, periods=[], open_actions=set()) == {}
