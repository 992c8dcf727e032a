"""Plans and episodes, out-of-sequence events, re-booking, the Support and Challenge Panel flag,
status at the as-of date, output order and order-independence (docs/spec/timescales.md)."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from oversight.timescales.engine import evaluate

from .helpers import POLICY, by_trigger, flags, obligations, of, one, state

PANEL = "cp.support_challenge_panel"


def run(events: list[Any], as_of: str = "2028-12-31") -> list[dict]:
    return obligations(events, as_of)


ICPC = {"type": "icpc", "date": "2027-01-05", "outcome": "plan"}  # Tue


# Status at the as-of date ----------------------------------------------------------------------


def test_it_reports_pending_on_the_due_date_and_overdue_the_day_after() -> None:
    # cp.core_group.first is due Tue 2027-01-19 (10 working days after Tue 2027-01-05)
    on_due = one(run([ICPC], "2027-01-19"), "cp.core_group.first")
    assert state(on_due) == ("2027-01-19", "pending", None, None)  # as-of equal to due: pending
    day_after = one(run([ICPC], "2027-01-20"), "cp.core_group.first")
    assert state(day_after) == ("2027-01-19", "overdue", None, None)  # Wed 20th is after it


def test_it_reports_met_whatever_the_as_of_date_once_the_event_is_on_record() -> None:
    events = [ICPC, {"type": "core_group", "date": "2027-02-01"}]
    got = one(run(events, "2027-01-10"), "cp.core_group.first")
    # the core group of Mon 2027-02-01 is after the as-of date but on record: met, and late
    assert state(got) == ("2027-01-19", "met", "2027-02-01", False)


def test_it_keeps_unknown_fields_in_the_trigger_as_given() -> None:
    event = {
        "type": "chair_child_discussion",
        "date": "2027-01-11",
        "note": "at school",
        "n": [1, 2],
    }
    got = one(run([event]), "cp.child_discussion.record")
    # "Unknown fields are kept: they come back in `trigger`"
    assert got["trigger"] == event


# Plan end ----------------------------------------------------------------------------------------


def test_it_drops_what_a_plan_end_leaves_unmet_and_due_later_and_keeps_the_rest() -> None:
    events = [
        ICPC,
        {"type": "cp_visit", "date": "2027-01-15"},
        {"type": "cp_visit", "date": "2027-03-05"},
        {
            "type": "meeting_booked",
            "date": "2027-02-01",
            "meeting": "core_group",
            "on": "2027-03-30",
        },
        {"type": "rcpc", "date": "2027-03-15", "outcome": "end"},
    ]
    got = run(events, "2027-06-01")
    # cp.rcpc.first (due Mon 2027-04-05) is met by the rcpc that ends the plan: kept, as met
    assert state(one(got, "cp.rcpc.first")) == ("2027-04-05", "met", "2027-03-15", True)
    # cp.core_group.first was due Tue 2027-01-19, before the end (Mon 2027-03-15): still overdue
    assert state(one(got, "cp.core_group.first")) == ("2027-01-19", "overdue", None, None)
    visits = by_trigger(got, "cp.visit")
    # from the ICPC: due Tue 2027-01-19, met Fri 2027-01-15 (met links stay)
    assert state(visits["2027-01-05"]) == ("2027-01-19", "met", "2027-01-15", True)
    # from Fri 2027-01-15: due Fri 2027-01-29, before the end; the visit of Fri 2027-03-05 meets it late
    assert state(visits["2027-01-15"]) == ("2027-01-29", "met", "2027-03-05", False)
    # from Fri 2027-03-05: due Fri 2027-03-19, after the end and unmet: dropped
    assert "2027-03-05" not in visits
    # the core group booked for Tue 2027-03-30, after the end and never held: dropped
    assert of(got, "booked.core_group") == []
    # no review conference is due after a plan ends with `end`
    assert of(got, "cp.rcpc.next") == []


def test_it_does_nothing_for_a_review_conference_that_ends_no_open_plan() -> None:
    # "an rcpc end with no open plan does nothing"
    assert run([{"type": "rcpc", "date": "2027-03-15", "outcome": "end"}]) == []
    assert flags([{"type": "rcpc", "date": "2027-03-15", "outcome": "end"}], "2027-03-15") == []


def test_it_opens_a_plan_from_a_continuing_review_conference_with_none_open() -> None:
    events = [
        {"type": "rcpc", "date": "2027-04-05", "outcome": "continue"},
        {"type": "cp_visit", "date": "2027-04-08"},
    ]
    got = run(events, "2027-04-09")
    # the plan counts from Mon 2027-04-05: next review 6 months on, Tue 2027-10-05
    assert state(one(got, "cp.rcpc.next")) == ("2027-10-05", "pending", None, None)
    # visits while the plan lasts chain: Thu 2027-04-08 + 10 working days → Thu 2027-04-22
    assert state(one(got, "cp.visit")) == ("2027-04-22", "pending", None, None)


def test_it_ends_the_old_plan_when_a_new_icpc_makes_a_plan() -> None:
    events = [ICPC, {"type": "icpc", "date": "2027-02-01", "outcome": "plan"}]
    got = run(events, "2027-02-02")
    first = by_trigger(got, "cp.rcpc.first")
    # the old plan ended Mon 2027-02-01: its first review (due Mon 2027-04-05) is dropped
    assert "2027-01-05" not in first
    # the new plan's first review: Mon 2027-02-01 + 3 months → Sat 2027-05-01
    assert state(first["2027-02-01"]) == ("2027-05-01", "pending", None, None)
    core = by_trigger(got, "cp.core_group.first")
    # the old plan's core group was due Tue 2027-01-19, before its end: overdue
    assert state(core["2027-01-05"]) == ("2027-01-19", "overdue", None, None)
    # new plan: Mon 2027-02-01 + 10 working days → Mon 2027-02-15
    assert state(core["2027-02-01"]) == ("2027-02-15", "pending", None, None)


def test_it_flags_a_new_plan_that_replaced_an_open_one_as_a_repeat_plan() -> None:
    events = [ICPC, {"type": "icpc", "date": "2027-02-01", "outcome": "plan"}]
    got = flags(events, "2027-02-02")
    # the old plan ended Mon 2027-02-01 and the new one began that day: within 24 months
    assert [f["code"] for f in got] == [PANEL]


# Episode end --------------------------------------------------------------------------------------

LAC = {"type": "lac_start", "date": "2027-05-24"}  # Mon


def test_it_drops_what_an_episode_end_leaves_unmet_and_due_later() -> None:
    events = [
        LAC,
        {"type": "lac_review", "date": "2027-06-17"},
        {"type": "lac_end", "date": "2027-07-02"},
    ]
    got = run(events, "2027-12-31")
    # the first review (due Tue 2027-06-22) was met Thu 2027-06-17: kept
    assert state(one(got, "lac.review.first")) == ("2027-06-22", "met", "2027-06-17", True)
    # decisions were due Thu 2027-06-24, before the end Fri 2027-07-02: overdue
    assert state(one(got, "lac.review.decisions")) == ("2027-06-24", "overdue", None, None)
    # the record (due Thu 2027-07-15) and the second review (due Fri 2027-09-17) fall after the
    # end, unmet: dropped
    assert of(got, "lac.review.record") == []
    assert of(got, "lac.review.second") == []
    # the IRO (due Tue 2027-06-01) was never allocated: overdue
    assert state(one(got, "lac.iro.allocate")) == ("2027-06-01", "overdue", None, None)


def test_it_ends_the_old_episode_when_a_new_one_starts() -> None:
    events = [LAC, {"type": "lac_start", "date": "2027-06-07"}]
    got = run(events, "2027-06-08")
    firsts = by_trigger(got, "lac.review.first")
    # the old episode ended Mon 2027-06-07; its first review (due Tue 2027-06-22) is dropped
    assert "2027-05-24" not in firsts
    # new: Mon 2027-06-07 + 20 working days → Mon 2027-07-05
    assert state(firsts["2027-06-07"]) == ("2027-07-05", "pending", None, None)
    # the old IRO allocation was due Tue 2027-06-01, before the end: overdue
    assert state(by_trigger(got, "lac.iro.allocate")["2027-05-24"]) == (
        "2027-06-01",
        "overdue",
        None,
        None,
    )


def test_it_opens_an_episode_from_a_review_with_none_open() -> None:
    got = run([{"type": "lac_review", "date": "2027-06-17"}], "2027-06-18")
    # the review is the first of its (new) episode: second review Thu 2027-06-17 + 3 months → Fri 2027-09-17
    assert state(one(got, "lac.review.second")) == ("2027-09-17", "pending", None, None)
    assert of(got, "lac.review.next") == []  # it is the first review, not a later one


def test_it_opens_an_episode_from_a_placement_order_with_none_open() -> None:
    events = [
        {"type": "placement_order", "date": "2027-01-29", "plan": "adoption"},
        {"type": "lac_end", "date": "2027-02-15"},
    ]
    # the order opened an episode; its end Mon 2027-02-15 drops the adoption review due Thu
    # 2027-04-29 — which only happens if the order belonged to an episode
    assert of(run(events), "lac.adoption.review") == []


def test_it_ignores_an_adjourned_review_entirely() -> None:
    events = [
        LAC,
        {"type": "review_documents_received", "date": "2027-06-08"},
        {
            "type": "meeting_booked",
            "date": "2027-05-25",
            "meeting": "lac_review",
            "on": "2027-06-17",
        },
        {"type": "lac_review", "date": "2027-06-10", "adjourned": True},
    ]
    got = run(events, "2027-06-11")
    # it does not meet the first review (due Tue 2027-06-22) nor the booking
    assert state(one(got, "lac.review.first")) == ("2027-06-22", "pending", None, None)
    assert state(one(got, "booked.lac_review")) == ("2027-06-17", "pending", None, None)
    # it triggers no decisions, record or second review
    assert {o["code"] for o in got} == {
        "lac.iro.allocate",
        "lac.review.first",
        "booked.lac_review",
        "lac.review.sw_consultation",
        "lac.review.documents",
    }
    # it is not a meeting held: the documents of Tue 2027-06-08 still meet the booking's
    # documents obligation (due Mon 2027-06-14)
    assert state(one(got, "lac.review.documents")) == ("2027-06-14", "met", "2027-06-08", True)


def test_it_opens_nothing_for_an_adjourned_review_alone() -> None:
    # an adjourned review "opens nothing": no episode, so nothing is due
    assert run([{"type": "lac_review", "date": "2027-06-17", "adjourned": True}]) == []


# Re-booking --------------------------------------------------------------------------------------


def test_it_drops_a_booking_not_met_by_the_date_of_a_later_booking() -> None:
    events = [
        LAC,
        {
            "type": "meeting_booked",
            "date": "2027-05-25",
            "meeting": "lac_review",
            "on": "2027-06-17",
        },
        {
            "type": "meeting_booked",
            "date": "2027-06-01",
            "meeting": "lac_review",
            "on": "2027-06-24",
        },
    ]
    got = run(events, "2027-06-02")
    # the first booking (for Thu 17 Jun) is dropped with its before obligations; only the new
    # date Thu 2027-06-24 remains
    assert [o["due"] for o in of(got, "booked.lac_review")] == ["2027-06-24"]
    # Thu 2027-06-24, 3 working days before → Mon 2027-06-21
    assert [o["due"] for o in of(got, "lac.review.documents")] == ["2027-06-21"]
    # Thu 2027-06-24, 15 working days before → Thu 2027-06-03
    assert [o["due"] for o in of(got, "lac.review.sw_consultation")] == ["2027-06-03"]


def test_it_keeps_a_booking_met_before_the_next_booking() -> None:
    events = [
        ICPC,
        {
            "type": "meeting_booked",
            "date": "2027-01-05",
            "meeting": "core_group",
            "on": "2027-01-18",
        },
        {"type": "core_group", "date": "2027-01-18"},
        {
            "type": "meeting_booked",
            "date": "2027-01-25",
            "meeting": "core_group",
            "on": "2027-03-01",
        },
    ]
    got = of(run(events, "2027-01-26"), "booked.core_group")
    assert [state(o) for o in got] == [
        ("2027-01-18", "met", "2027-01-18", True),  # held as booked, Mon 2027-01-18: stays
        ("2027-03-01", "pending", None, None),  # the next one, Mon 2027-03-01
    ]


def test_it_keeps_bookings_of_different_meetings_apart() -> None:
    events = [
        ICPC,
        {
            "type": "meeting_booked",
            "date": "2027-01-05",
            "meeting": "core_group",
            "on": "2027-01-18",
        },
        {
            "type": "meeting_booked",
            "date": "2027-01-06",
            "meeting": "midway_review",
            "on": "2027-02-22",
        },
    ]
    got = run(events, "2027-01-07")
    # a later booking of another meeting does not drop the core group booking (Mon 2027-01-18)
    assert [o["due"] for o in of(got, "booked.core_group")] == ["2027-01-18"]
    assert [o["due"] for o in of(got, "booked.midway_review")] == ["2027-02-22"]


# The Support and Challenge Panel flag -----------------------------------------------------------

LONG_PLAN = [
    {"type": "icpc", "date": "2026-01-05", "outcome": "plan"},  # Mon
    {"type": "rcpc", "date": "2026-04-02", "outcome": "continue"},
    {"type": "rcpc", "date": "2026-09-28", "outcome": "continue"},
    {"type": "rcpc", "date": "2027-03-22", "outcome": "continue"},
]


def test_it_flags_a_plan_that_has_lasted_18_months() -> None:
    # Mon 2026-01-05 + 18 months = Mon 2027-07-05 ≤ as-of: flagged
    got = flags(LONG_PLAN, "2027-07-05")
    assert [f["code"] for f in got] == [PANEL]
    assert got[0]["reason"]  # a human reason is given


def test_it_does_not_flag_a_plan_one_day_short_of_18_months() -> None:
    # as-of Sun 2027-07-04 is before Mon 2027-07-05
    assert flags(LONG_PLAN, "2027-07-04") == []


def test_it_counts_18_months_from_a_plan_opened_by_a_continuing_review() -> None:
    events = [{"type": "rcpc", "date": "2026-01-05", "outcome": "continue"}]
    # the plan counts from Mon 2026-01-05 (the record began mid-plan): 18 months → Mon 2027-07-05
    assert [f["code"] for f in flags(events, "2027-07-05")] == [PANEL]
    assert flags(events, "2027-07-04") == []


def test_it_does_not_flag_a_plan_that_ends_on_the_as_of_date() -> None:
    events = [*LONG_PLAN, {"type": "rcpc", "date": "2027-07-05", "outcome": "end"}]
    # "A plan that ends on the as-of date is not open"
    assert flags(events, "2027-07-05") == []


def test_it_does_not_flag_before_the_plan_began() -> None:
    # at as-of Sun 2026-01-04 there is no plan yet
    assert flags(LONG_PLAN, "2026-01-04") == []


def test_it_flags_a_plan_that_began_within_24_months_of_an_earlier_plans_end() -> None:
    events = [
        {"type": "icpc", "date": "2025-01-06", "outcome": "plan"},
        {"type": "rcpc", "date": "2025-06-02", "outcome": "end"},  # Mon
        {"type": "icpc", "date": "2027-06-02", "outcome": "plan"},  # Wed
    ]
    # end Mon 2025-06-02 + 24 months = Wed 2027-06-02 ≥ the new plan's start: flagged
    assert [f["code"] for f in flags(events, "2027-06-03")] == [PANEL]


def test_it_does_not_flag_a_plan_that_began_more_than_24_months_after_the_last() -> None:
    events = [
        {"type": "icpc", "date": "2025-01-06", "outcome": "plan"},
        {"type": "rcpc", "date": "2025-06-02", "outcome": "end"},
        {"type": "icpc", "date": "2027-06-03", "outcome": "plan"},  # Thu, a day too late
    ]
    assert flags(events, "2027-06-04") == []


def test_it_does_not_flag_a_repeat_plan_that_is_no_longer_open() -> None:
    events = [
        {"type": "icpc", "date": "2025-01-06", "outcome": "plan"},
        {"type": "rcpc", "date": "2025-06-02", "outcome": "end"},
        {"type": "icpc", "date": "2026-01-05", "outcome": "plan"},
        {"type": "rcpc", "date": "2026-04-01", "outcome": "end"},
    ]
    # the flag is for the plan open at the as-of date; none is open at Wed 2026-06-03
    assert flags(events, "2026-06-03") == []


# Order of the output, and of the input ------------------------------------------------------------


def test_it_lists_obligations_by_due_date_then_code_then_trigger_date() -> None:
    events = [
        {"type": "action_set", "date": "2027-01-04", "action": "late-set", "due": "2027-02-01"},
        {"type": "action_set", "date": "2027-01-02", "action": "early-set", "due": "2027-02-01"},
        {
            "type": "meeting_booked",
            "date": "2027-01-03",
            "meeting": "tac_meeting",
            "on": "2027-02-01",
        },
        {"type": "action_set", "date": "2027-01-01", "action": "first-due", "due": "2027-01-29"},
    ]
    got = [(o["due"], o["code"], o["trigger"]["date"]) for o in run(events, "2027-01-05")]
    assert got == [
        ("2027-01-29", "action.due", "2027-01-01"),  # earliest due date first (Fri 29 Jan)
        ("2027-02-01", "action.due", "2027-01-02"),  # Mon 1 Feb: action.due before booked.*,
        ("2027-02-01", "action.due", "2027-01-04"),  # and the earlier trigger date first
        ("2027-02-01", "booked.tac_meeting", "2027-01-03"),
    ]


RICH: list[dict[str, Any]] = [
    {"type": "strategy_discussion", "date": "2026-12-14"},
    {"type": "meeting_booked", "date": "2026-12-20", "meeting": "icpc", "on": "2027-01-05"},
    {"type": "conference_reports_received", "date": "2026-12-30"},
    {"type": "icpc", "date": "2027-01-05", "outcome": "plan", "visit_interval": "14 days"},
    {"type": "meeting_booked", "date": "2027-01-05", "meeting": "rcpc", "on": "2027-04-05"},
    {"type": "core_group", "date": "2027-01-18"},
    {"type": "cp_visit", "date": "2027-01-15"},
    {"type": "cp_visit", "date": "2027-01-15", "note": "second visit that day"},
    {"type": "cp_visit", "date": "2027-01-29"},
    {"type": "chair_child_discussion", "date": "2027-01-05"},
    {"type": "child_discussion_recorded", "date": "2027-01-08"},
    {"type": "rcpc", "date": "2027-04-05", "outcome": "continue"},
    {"type": "rcpc", "date": "2027-06-01", "outcome": "end"},
    {"type": "icpc", "date": "2027-09-01", "outcome": "plan"},
    {"type": "lac_start", "date": "2027-05-24"},
    {"type": "lac_review", "date": "2027-06-17"},
    {"type": "lac_review", "date": "2027-06-17", "adjourned": True},
    {"type": "lac_end", "date": "2027-06-17"},
    {"type": "lac_review", "date": "2027-07-01"},
    {"type": "action_set", "date": "2027-01-05", "action": "a", "due": "2027-02-01"},
    {"type": "action_done", "date": "2027-01-20", "action": "a"},
    {
        "type": "consultation",
        "date": "2027-03-01",
        "time": "14:30",
        "outcome": "disagree_threshold",
    },
    {"type": "service_leader_decision", "date": "2027-03-01", "time": "09:00"},
    {"type": "service_leader_decision", "date": "2027-03-02", "time": "15:00"},
    {"type": "concern_raised", "date": "2027-02-01", "concern": "x"},
    {"type": "escalation_notice", "date": "2027-02-05", "concern": "x", "stage": 1},
    {"type": "escalation_notice", "date": "2027-02-05", "stage": 2},
    {
        "type": "escalation_extended",
        "date": "2027-02-08",
        "concern": "x",
        "stage": 1,
        "respond_by": "2027-02-19",
    },
    {
        "type": "escalation_extended",
        "date": "2027-02-09",
        "concern": "x",
        "stage": 1,
        "respond_by": "2027-02-26",
    },
    {"type": "concern_resolved", "date": "2027-02-20", "concern": "x"},
]


def test_it_gives_identical_output_whatever_the_order_of_the_events() -> None:
    expected = evaluate(RICH, POLICY, date(2027, 10, 1))
    assert len(expected.obligations) > 20  # the chronology exercises most of the catalogue
    rng = random.Random(20270101)
    for _ in range(40):
        shuffled = RICH[:]
        rng.shuffle(shuffled)
        got = evaluate(shuffled, POLICY, date(2027, 10, 1))
        # "the result does not depend on their order in the input"
        assert got.obligations == expected.obligations
        assert got.flags == expected.flags


def test_it_does_not_change_the_callers_events() -> None:
    events = [dict(e) for e in RICH]
    evaluate(events, POLICY, date(2027, 10, 1))
    # the input is read, never rewritten
    assert events == RICH
