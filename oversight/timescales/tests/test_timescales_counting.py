"""Counting rules of docs/spec/timescales.md ("Counting"), with literal dates and weekdays.

Bank holidays used below (England & Wales): Christmas 2026 — Fri 25 Dec and Mon 28 Dec (Boxing
Day, a Saturday, substituted); New Year Fri 2027-01-01; Easter 2027 — Good Friday Fri 2027-03-26
and Easter Monday Mon 2027-03-29; spring Mon 2027-05-31; summer Mon 2027-08-30; Christmas 2027 —
Mon 27 and Tue 28 Dec (both substitutes: Christmas and Boxing Day fall on Sat and Sun); New Year
2028 substitute Mon 2028-01-03."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from oversight.timescales.calendar import WorkingCalendar
from oversight.timescales.catalogue import baseline_policy
from oversight.timescales.rules import parse_rule

from .helpers import obligations

POLICY = baseline_policy()


def run(events: list[dict], as_of: str = "2028-12-31") -> list[dict]:
    return obligations(events, as_of)


def one(obligations: list[dict], code: str) -> dict:
    found = [o for o in obligations if o["code"] == code]
    assert len(found) == 1, f"expected one {code}, got {found}"
    return found[0]


def o(iso: str) -> int:
    return date.fromisoformat(iso).toordinal()


# The calendar primitive ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected", "why"),
    [
        (
            "2027-01-09",
            1,
            "2027-01-11",
            "Sat + 1 working day → Mon: the trigger day is never counted",
        ),
        ("2027-01-10", 1, "2027-01-11", "Sun + 1 working day → Mon"),
        (
            "2027-01-11",
            1,
            "2027-01-12",
            "Mon + 1 → Tue: a working trigger day is not counted either",
        ),
        (
            "2026-12-14",
            15,
            "2027-01-07",
            "spec example: Mon 14 Dec + 15 → Thu 7 Jan, over Christmas 2026 and New Year",
        ),
        (
            "2026-12-24",
            1,
            "2026-12-29",
            "Thu 24 Dec 2026 + 1 → Tue 29 Dec: skips Christmas Fri 25 and the Boxing Day substitute Mon 28",
        ),
        (
            "2027-12-24",
            1,
            "2027-12-29",
            "Fri 24 Dec 2027 + 1 → Wed 29 Dec: skips both substitutes Mon 27 and Tue 28",
        ),
        (
            "2027-12-23",
            5,
            "2028-01-04",
            "Thu 23 Dec 2027 + 5 → Tue 4 Jan 2028: Christmas 2027 and the New Year substitute Mon 3 Jan",
        ),
        (
            "2027-03-25",
            1,
            "2027-03-30",
            "Thu 25 Mar 2027 + 1 → Tue 30 Mar: skips Good Friday and Easter Monday",
        ),
        (
            "2027-05-28",
            1,
            "2027-06-01",
            "Fri 28 May 2027 + 1 → Tue 1 Jun: skips the spring bank holiday Mon 31 May",
        ),
        (
            "2027-08-27",
            1,
            "2027-08-31",
            "Fri 27 Aug 2027 + 1 → Tue 31 Aug: skips the summer bank holiday Mon 30 Aug",
        ),
        (
            "2027-06-17",
            -3,
            "2027-06-14",
            "spec example: 3 working days before Thu 17 Jun 2027 → Mon 14 Jun",
        ),
        (
            "2027-03-31",
            -3,
            "2027-03-24",
            "3 before Wed 31 Mar 2027 → Wed 24 Mar: Tue 30, (Mon 29 and Fri 26 are bank holidays), Thu 25, Wed 24",
        ),
        (
            "2027-03-31",
            -15,
            "2027-03-08",
            "15 before Wed 31 Mar 2027 → Mon 8 Mar, stepping back over Easter",
        ),
        (
            "2027-06-01",
            -1,
            "2027-05-28",
            "1 before Tue 1 Jun 2027 → Fri 28 May: the spring bank holiday Mon 31 May is skipped",
        ),
        ("2027-01-11", -1, "2027-01-08", "1 before Mon → the Friday before"),
        ("2027-01-09", -1, "2027-01-08", "1 before Sat → Fri: the start day is never counted"),
        (
            "2027-12-29",
            -1,
            "2027-12-24",
            "1 before Wed 29 Dec 2027 → Fri 24 Dec: Christmas Eve is a working day",
        ),
    ],
)
def test_it_adds_working_days_from_the_day_after_the_trigger(
    start: str, n: int, expected: str, why: str
) -> None:
    calendar = WorkingCalendar()
    assert calendar.add_working_days(o(start), n) == o(expected), why


def test_it_counts_working_days_between_with_the_start_day_excluded_and_the_end_day_included() -> (
    None
):
    calendar = WorkingCalendar()
    # Mon 2026-12-14 → Thu 2027-01-07: the spec's 15 working days, the start day not counted
    assert calendar.working_days_between(o("2026-12-14"), o("2027-01-07")) == 15
    # Thu 2026-12-24 → Tue 2026-12-29: only Tue 29 counts (Fri 25 and Mon 28 are bank holidays)
    assert calendar.working_days_between(o("2026-12-24"), o("2026-12-29")) == 1
    # Sat 2027-01-09 → Sun 2027-01-10: no working day in between
    assert calendar.working_days_between(o("2027-01-09"), o("2027-01-10")) == 0


def test_it_lets_a_pack_close_christmas_eve_and_a_one_off_closure_day() -> None:
    calendar = WorkingCalendar(closure_days=[date(2027, 1, 4)], closure_yearly=[(12, 24)])
    # Wed 2026-12-23 + 1 → Tue 2026-12-29: Thu 24 Dec is now closed as well as Fri 25 and Mon 28
    assert calendar.add_working_days(o("2026-12-23"), 1) == o("2026-12-29")
    # Thu 2026-12-31 + 1 → Tue 2027-01-05: New Year Fri 1 Jan and the closure Mon 4 Jan skipped
    assert calendar.add_working_days(o("2026-12-31"), 1) == o("2027-01-05")


# Forward working days through the engine ---------------------------------------------------------


def test_it_counts_fifteen_working_days_from_a_strategy_discussion_over_christmas_2026() -> None:
    cp_icpc = one(
        run([{"type": "strategy_discussion", "date": "2026-12-14"}], "2027-01-01"), "cp.icpc"
    )
    # Mon 2026-12-14 + 15 working days → Thu 2027-01-07 (spec example)
    assert cp_icpc["due"] == "2027-01-07"


def test_it_counts_from_a_saturday_trigger_to_the_monday() -> None:
    events = [{"type": "chair_child_discussion", "date": "2027-01-09"}]
    record = one(run(events), "cp.child_discussion.record")
    # Sat 2027-01-09 + 5 working days → Fri 2027-01-15 (Mon 11 is the first)
    assert record["due"] == "2027-01-15"


def test_it_steps_over_christmas_2027_and_the_new_year_2028_substitute() -> None:
    events = [{"type": "chair_child_discussion", "date": "2027-12-23"}]
    record = one(run(events), "cp.child_discussion.record")
    # Thu 2027-12-23 + 5 → Tue 2028-01-04: Fri 24, Wed 29, Thu 30, Fri 31, Tue 4 (Mon 27, Tue 28
    # and Mon 3 Jan are substitute bank holidays)
    assert record["due"] == "2028-01-04"


def test_it_steps_over_the_spring_and_summer_bank_holidays_2027() -> None:
    spring = one(run([{"type": "lac_start", "date": "2027-05-24"}]), "lac.iro.allocate")
    # Mon 2027-05-24 + 5 → Tue 2027-06-01: the spring bank holiday Mon 31 May is not counted
    assert spring["due"] == "2027-06-01"
    summer = one(run([{"type": "lac_review", "date": "2027-08-23"}]), "lac.review.decisions")
    # Mon 2027-08-23 + 5 → Tue 2027-08-31: the summer bank holiday Mon 30 Aug is not counted
    assert summer["due"] == "2027-08-31"


def test_it_steps_over_easter_2027_going_forward() -> None:
    total = one(
        run([{"type": "escalation_notice", "date": "2027-03-01", "stage": 1}], "2027-03-02"),
        "esc.total",
    )
    # Mon 2027-03-01 + 20 working days → Wed 2027-03-31: Good Friday 26 and Easter Monday 29 skipped
    assert total["due"] == "2027-03-31"


# Calendar days -----------------------------------------------------------------------------------


def test_it_counts_calendar_days_for_a_days_rule() -> None:
    events = [
        {"type": "icpc", "date": "2027-01-01", "outcome": "plan", "visit_interval": "91 days"}
    ]
    visit = one(run(events, "2027-01-02"), "cp.visit")
    # Fri 2027-01-01 + 91 days → Fri 2027-04-02 (the spec's example); bank holidays don't matter
    assert visit["due"] == "2027-04-02"


def test_it_counts_calendar_days_before_a_booked_meeting() -> None:
    documents = next(r for r in POLICY.obligations if r.code == "lac.review.documents")
    pack = replace(
        POLICY,
        obligations=tuple(
            replace(r, due=parse_rule("10 days before")) if r is documents else r
            for r in POLICY.obligations
        ),
    )
    events = [
        {"type": "lac_start", "date": "2027-03-01"},
        {
            "type": "meeting_booked",
            "date": "2027-03-02",
            "meeting": "lac_review",
            "on": "2027-03-31",
        },
    ]
    result = obligations(events, "2027-03-02", pack)
    # Wed 2027-03-31, 10 days before → Sun 2027-03-21 (calendar days; the meeting day not counted)
    assert one(result, "lac.review.documents")["due"] == "2027-03-21"


# Months ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("icpc", "expected", "why"),
    [
        (
            "2027-01-31",
            "2027-04-30",
            "Sun 31 Jan 2027 + 3 months → Fri 30 Apr: April has no 31st, so its last day",
        ),
        (
            "2027-11-30",
            "2028-02-29",
            "Tue 30 Nov 2027 + 3 months → Tue 29 Feb 2028: the leap day, last of February",
        ),
        (
            "2027-01-05",
            "2027-04-05",
            "Tue 5 Jan 2027 + 3 months → Mon 5 Apr: same day of the month",
        ),
        (
            "2027-12-31",
            "2028-03-31",
            "Fri 31 Dec 2027 + 3 months → Fri 31 Mar 2028: across the year end",
        ),
    ],
)
def test_it_adds_months_to_the_same_day_or_the_last_day_of_a_shorter_month(
    icpc: str, expected: str, why: str
) -> None:
    first = one(run([{"type": "icpc", "date": icpc, "outcome": "plan"}]), "cp.rcpc.first")
    assert first["due"] == expected, why


def test_it_adds_six_months_to_the_leap_day() -> None:
    events = [{"type": "rcpc", "date": "2028-02-29", "outcome": "continue"}]
    nxt = one(run(events), "cp.rcpc.next")
    # Tue 2028-02-29 + 6 months → Tue 2028-08-29 (August has a 29th)
    assert nxt["due"] == "2028-08-29"


def test_it_adds_six_months_from_31_august_to_the_leap_day() -> None:
    events = [{"type": "rcpc", "date": "2027-08-31", "outcome": "continue"}]
    nxt = one(run(events), "cp.rcpc.next")
    # Tue 2027-08-31 + 6 months → Tue 2028-02-29 (February 2028's last day)
    assert nxt["due"] == "2028-02-29"


# Hours -------------------------------------------------------------------------------------------


def threshold(consultation: dict, *more: dict, as_of: str = "2027-12-31") -> dict:
    event = {"type": "consultation", "outcome": "disagree_threshold", **consultation}
    return one(run([event, *more], as_of), "consult.threshold")


def test_it_counts_24_hours_from_the_consultation_timestamp() -> None:
    # Mon 2027-03-01 14:30 + 24 hours → Tue 2027-03-02T14:30 (the spec's example)
    assert threshold({"date": "2027-03-01", "time": "14:30"})["due"] == "2027-03-02T14:30"


def test_it_counts_an_event_with_no_time_from_midnight() -> None:
    # no time: 00:00 of Mon 2027-03-01, + 24 hours → 2027-03-02T00:00
    assert threshold({"date": "2027-03-01"})["due"] == "2027-03-02T00:00"


def test_it_counts_elapsed_hours_across_the_clocks_going_forward() -> None:
    # Sat 2027-03-27 12:00 GMT + 24 elapsed hours → Sun 2027-03-28 13:00 BST (the clocks went
    # forward at 01:00 that Sunday, so the wall clock shows an hour later)
    assert threshold({"date": "2027-03-27", "time": "12:00"})["due"] == "2027-03-28T13:00"


def test_it_counts_elapsed_hours_across_the_clocks_going_back() -> None:
    # Sat 2027-10-30 12:00 BST + 24 elapsed hours → Sun 2027-10-31 11:00 GMT (clocks went back)
    assert threshold({"date": "2027-10-30", "time": "12:00"})["due"] == "2027-10-31T11:00"


def test_it_meets_an_hours_rule_by_timestamp_not_by_date() -> None:
    early = {"type": "service_leader_decision", "date": "2027-03-01", "time": "10:00"}
    in_time = {"type": "service_leader_decision", "date": "2027-03-02", "time": "14:30"}
    got = threshold({"date": "2027-03-01", "time": "14:30"}, early, in_time)
    # the 10:00 decision came before the 14:30 consultation, so only the next one meets it
    assert (got["status"], got["met_on"]) == ("met", "2027-03-02")
    # 14:30 on Tue 2027-03-02 is exactly the due timestamp: on time
    assert got["on_time"] is True


def test_it_reports_an_hours_rule_met_a_minute_late_as_not_on_time() -> None:
    late = {"type": "service_leader_decision", "date": "2027-03-02", "time": "14:31"}
    got = threshold({"date": "2027-03-01", "time": "14:30"}, late)
    # met on the due date but at 14:31, a minute after the 14:30 deadline
    assert (got["status"], got["met_on"], got["on_time"]) == ("met", "2027-03-02", False)


def test_it_compares_an_hours_rule_with_the_as_of_date() -> None:
    consultation = {"date": "2027-03-01", "time": "14:30"}
    # as-of Tue 2027-03-02 is the due date (due 14:30 that day): pending, not overdue
    assert threshold(consultation, as_of="2027-03-02")["status"] == "pending"
    # as-of Wed 2027-03-03 is after the due date: overdue
    assert threshold(consultation, as_of="2027-03-03")["status"] == "overdue"
