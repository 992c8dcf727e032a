"""Every obligation code of the national baseline catalogue (docs/spec/timescales.md, "The
obligation catalogue"), each with its trigger, due date, what meets it and what does not.

Dates carry their weekday; bank holidays as in test_timescales_counting.py."""

from __future__ import annotations

from typing import Any

from .helpers import obligations, of, one, state


def run(events: list[Any], as_of: str = "2028-12-31") -> list[dict]:
    return obligations(events, as_of)


# cp.icpc -----------------------------------------------------------------------------------------

STRATEGY = {"type": "strategy_discussion", "date": "2026-12-14"}  # Mon


def test_it_wants_an_icpc_15_working_days_after_the_strategy_discussion() -> None:
    got = one(
        run([STRATEGY, {"type": "icpc", "date": "2027-01-08", "outcome": "no_plan"}]), "cp.icpc"
    )
    # due Thu 2027-01-07; an ICPC of either outcome meets it; Fri 2027-01-08 is a day late
    assert state(got) == ("2027-01-07", "met", "2027-01-08", False)


def test_it_wants_no_icpc_once_icpc_not_required_comes_first() -> None:
    events = [
        STRATEGY,
        {"type": "icpc_not_required", "date": "2026-12-22"},
        {"type": "icpc", "date": "2027-01-05", "outcome": "plan"},
    ]
    # the decision (Tue 2026-12-22) came before any ICPC: none due
    assert of(run(events), "cp.icpc") == []


def test_it_still_wants_the_icpc_when_icpc_not_required_predates_the_strategy_discussion() -> None:
    events = [STRATEGY, {"type": "icpc_not_required", "date": "2026-12-01"}]
    got = one(run(events, "2027-01-08"), "cp.icpc")
    # "an X dated on or after the trigger": Tue 2026-12-01 is before Mon 2026-12-14, so it still
    # counts, and with no ICPC by as-of Fri 2027-01-08 it is overdue (due Thu 2027-01-07)
    assert state(got) == ("2027-01-07", "overdue", None, None)


def test_it_keeps_the_icpc_met_when_icpc_not_required_comes_after_it() -> None:
    events = [
        STRATEGY,
        {"type": "icpc", "date": "2027-01-05", "outcome": "no_plan"},
        {"type": "icpc_not_required", "date": "2027-01-06"},
    ]
    # the ICPC (Tue 2027-01-05) came first, so the later decision changes nothing
    assert state(one(run(events), "cp.icpc")) == ("2027-01-07", "met", "2027-01-05", True)


def test_it_wants_icpc_not_required_on_the_trigger_day_to_stop_the_obligation() -> None:
    events = [STRATEGY, {"type": "icpc_not_required", "date": "2026-12-14"}]
    # "dated on or after the trigger": the same day counts, so none due
    assert of(run(events), "cp.icpc") == []


# The plan: core group, review conferences ---------------------------------------------------------

ICPC = {"type": "icpc", "date": "2027-01-05", "outcome": "plan"}  # Tue


def test_it_wants_the_first_core_group_10_working_days_after_the_icpc() -> None:
    got = one(run([ICPC, {"type": "core_group", "date": "2027-01-20"}]), "cp.core_group.first")
    # Tue 2027-01-05 + 10 working days → Tue 2027-01-19; Wed 2027-01-20 is late
    assert state(got) == ("2027-01-19", "met", "2027-01-20", False)


def test_it_wants_no_plan_obligations_after_an_icpc_without_a_plan() -> None:
    codes = {o["code"] for o in run([{**ICPC, "outcome": "no_plan"}])}
    # no plan: no core group, review conference or visits are due
    assert codes == set()


def test_it_wants_the_first_review_conference_3_months_after_the_icpc() -> None:
    got = one(
        run([ICPC, {"type": "rcpc", "date": "2027-04-01", "outcome": "continue"}]), "cp.rcpc.first"
    )
    # Tue 2027-01-05 + 3 months → Mon 2027-04-05; held Thu 2027-04-01
    assert state(got) == ("2027-04-05", "met", "2027-04-01", True)


def test_it_wants_each_next_review_conference_6_months_after_a_continuing_one() -> None:
    events = [
        ICPC,
        {"type": "rcpc", "date": "2027-04-05", "outcome": "continue"},
        {"type": "rcpc", "date": "2027-10-01", "outcome": "continue"},
    ]
    nexts = of(run(events, "2027-10-04"), "cp.rcpc.next")
    # Mon 2027-04-05 + 6 months → Tue 2027-10-05, met by the rcpc of Fri 2027-10-01
    assert state(nexts[0]) == ("2027-10-05", "met", "2027-10-01", True)
    # Fri 2027-10-01 + 6 months → Sat 2028-04-01
    assert state(nexts[1]) == ("2028-04-01", "pending", None, None)
    assert len(nexts) == 2  # one per continuing review conference


def test_it_does_not_let_a_review_conference_meet_its_own_next() -> None:
    events = [ICPC, {"type": "rcpc", "date": "2027-04-05", "outcome": "continue"}]
    nxt = one(run(events, "2027-04-06"), "cp.rcpc.next")
    # a review after a review counts only when dated after it: the trigger itself does not meet it
    assert state(nxt) == ("2027-10-05", "pending", None, None)


# Visits ----------------------------------------------------------------------------------------


def test_it_chains_visits_each_10_working_days_after_the_last() -> None:
    events = [
        ICPC,
        {"type": "cp_visit", "date": "2027-01-15"},
        {"type": "cp_visit", "date": "2027-02-01"},
    ]
    visits = of(run(events, "2027-02-02"), "cp.visit")
    assert [state(v) for v in visits] == [
        # from the ICPC Tue 2027-01-05: due Tue 2027-01-19, visited Fri 2027-01-15
        ("2027-01-19", "met", "2027-01-15", True),
        # from the visit Fri 2027-01-15: due Fri 2027-01-29, next visit Mon 2027-02-01 is late
        ("2027-01-29", "met", "2027-02-01", False),
        # from the visit Mon 2027-02-01: due Mon 2027-02-15, none yet
        ("2027-02-15", "pending", None, None),
    ]
    # each link is triggered by the ICPC, then by each visit
    assert [v["trigger"]["type"] for v in visits] == ["icpc", "cp_visit", "cp_visit"]


def test_it_does_not_let_a_visit_meet_the_obligation_it_triggers() -> None:
    events = [
        ICPC,
        {"type": "cp_visit", "date": "2027-01-15"},
        {"type": "cp_visit", "date": "2027-01-15"},
    ]
    visits = of(run(events, "2027-01-16"), "cp.visit")
    # a visit after a visit counts only when dated after it: the second visit the same day meets
    # the ICPC's obligation at most, never the first visit's
    assert all(v["met_on"] != "2027-01-15" for v in visits if v["trigger"]["type"] == "cp_visit")


def test_it_uses_the_icpc_visit_interval_in_place_of_10_working_days() -> None:
    icpc = {"type": "icpc", "date": "2027-03-22", "outcome": "plan", "visit_interval": "14 days"}
    visits = of(run([icpc, {"type": "cp_visit", "date": "2027-04-01"}], "2027-04-02"), "cp.visit")
    # Mon 2027-03-22 + 14 days → Mon 2027-04-05 (10 working days would be Wed 2027-04-07)
    assert visits[0]["due"] == "2027-04-05"
    # the visit Thu 2027-04-01 + 14 days → Thu 2027-04-15: the interval holds for the whole plan
    assert visits[1]["due"] == "2027-04-15"


def test_it_changes_the_visit_interval_at_a_review_conference() -> None:
    events = [
        ICPC,
        {
            "type": "rcpc",
            "date": "2027-04-05",
            "outcome": "continue",
            "visit_interval": "5 working days",
        },
        {"type": "cp_visit", "date": "2027-03-31"},
        {"type": "cp_visit", "date": "2027-04-08"},
    ]
    visits = {v["trigger"]["date"]: v for v in of(run(events, "2027-04-09"), "cp.visit")}
    # the visit of Wed 2027-03-31 was before the conference: 10 working days → Wed 2027-04-14
    # (5 working days, wrongly applied back, would give Wed 2027-04-07)
    assert visits["2027-03-31"]["due"] == "2027-04-14"
    # the visit of Thu 2027-04-08 is after it: 5 working days → Thu 2027-04-15 (not Thu 22 Apr)
    assert visits["2027-04-08"]["due"] == "2027-04-15"


# The chair's discussion with the child ---------------------------------------------------------


def test_it_wants_the_childs_discussion_recorded_within_5_working_days() -> None:
    events = [
        {"type": "chair_child_discussion", "date": "2027-01-11"},
        {"type": "child_discussion_recorded", "date": "2027-01-18"},
    ]
    # Mon 2027-01-11 + 5 → Mon 2027-01-18, recorded that day: on time
    assert state(one(run(events), "cp.child_discussion.record")) == (
        "2027-01-18",
        "met",
        "2027-01-18",
        True,
    )


# Conference reports ------------------------------------------------------------------------------


def test_it_wants_reports_3_working_days_before_a_booked_icpc() -> None:
    events = [
        {"type": "conference_reports_received", "date": "2027-01-03"},
        {"type": "meeting_booked", "date": "2027-01-04", "meeting": "icpc", "on": "2027-01-14"},
        {"type": "conference_reports_received", "date": "2027-01-12"},
    ]
    got = one(run(events, "2027-01-05"), "cp.conference.reports")
    # Thu 2027-01-14, 3 working days before → Mon 2027-01-11. An ICPC booking belongs to no plan,
    # so reports count on or after the booking (Mon 2027-01-04): Sun 3 Jan's do not; Tue 12 is late
    assert state(got) == ("2027-01-11", "met", "2027-01-12", False)


def test_it_counts_reports_received_on_the_day_an_icpc_is_booked() -> None:
    events = [
        {"type": "meeting_booked", "date": "2027-01-04", "meeting": "icpc", "on": "2027-01-14"},
        {"type": "conference_reports_received", "date": "2027-01-04"},
    ]
    # "with neither, on or after the booking's date": Mon 2027-01-04 itself counts
    assert state(one(run(events), "cp.conference.reports")) == (
        "2027-01-11",
        "met",
        "2027-01-04",
        True,
    )


def test_it_wants_reports_for_a_review_conference_received_after_the_last_one_held() -> None:
    events = [
        ICPC,
        {"type": "conference_reports_received", "date": "2027-02-20"},
        {"type": "meeting_booked", "date": "2027-03-01", "meeting": "rcpc", "on": "2027-04-05"},
        {"type": "rcpc", "date": "2027-04-05", "outcome": "continue"},
        {"type": "meeting_booked", "date": "2027-04-05", "meeting": "rcpc", "on": "2027-10-05"},
    ]
    reports = {
        r["trigger"]["on"]: r for r in of(run(events, "2027-10-06"), "cp.conference.reports")
    }
    # first review Mon 2027-04-05: due Wed 2027-03-31; the reports of Sat 2027-02-20 came after the
    # plan began (Tue 2027-01-05), before the booking, and count
    assert state(reports["2027-04-05"]) == ("2027-03-31", "met", "2027-02-20", True)
    # next review Tue 2027-10-05: due Thu 2027-09-30; the only reports predate the review
    # conference held Mon 2027-04-05, so none count: overdue at Wed 2027-10-06
    assert state(reports["2027-10-05"]) == ("2027-09-30", "overdue", None, None)


def test_it_wants_reports_after_the_plan_began_not_on_its_first_day() -> None:
    events = [
        ICPC,
        {"type": "conference_reports_received", "date": "2027-01-05"},
        {"type": "meeting_booked", "date": "2027-01-05", "meeting": "rcpc", "on": "2027-04-05"},
    ]
    got = one(run(events, "2027-03-01"), "cp.conference.reports")
    # "with none, after the plan ... began": the reports dated the ICPC's own day (Tue 2027-01-05)
    # were for that ICPC, so the review's reports are still pending (due Wed 2027-03-31)
    assert state(got) == ("2027-03-31", "pending", None, None)


# Looked-after children -----------------------------------------------------------------------------

LAC = {"type": "lac_start", "date": "2027-05-24"}  # Mon


def test_it_wants_an_iro_allocated_within_5_working_days() -> None:
    got = one(run([LAC, {"type": "iro_allocated", "date": "2027-06-01"}]), "lac.iro.allocate")
    # Mon 2027-05-24 + 5 → Tue 2027-06-01 over the spring bank holiday Mon 31 May; met that day
    assert state(got) == ("2027-06-01", "met", "2027-06-01", True)


def test_it_wants_the_first_review_within_20_working_days() -> None:
    got = one(run([LAC, {"type": "lac_review", "date": "2027-06-17"}]), "lac.review.first")
    # Mon 2027-05-24 + 20 working days → Tue 2027-06-22; reviewed Thu 2027-06-17
    assert state(got) == ("2027-06-22", "met", "2027-06-17", True)


def test_it_wants_the_second_review_3_months_after_the_first_and_later_ones_every_6_months() -> (
    None
):
    events = [
        LAC,
        {"type": "lac_review", "date": "2027-06-17"},
        {"type": "lac_review", "date": "2027-09-13"},
        {"type": "lac_review", "date": "2028-03-20"},
    ]
    got = run(events, "2028-03-21")
    # Thu 2027-06-17 + 3 months → Fri 2027-09-17; second review Mon 2027-09-13
    assert state(one(got, "lac.review.second")) == ("2027-09-17", "met", "2027-09-13", True)
    nexts = of(got, "lac.review.next")
    # Mon 2027-09-13 + 6 months → Mon 2028-03-13; the third review Mon 2028-03-20 is a week late
    assert state(nexts[0]) == ("2028-03-13", "met", "2028-03-20", False)
    # Mon 2028-03-20 + 6 months → Wed 2028-09-20
    assert state(nexts[1]) == ("2028-09-20", "pending", None, None)
    assert len(nexts) == 2  # one per review after the first


def test_it_wants_decisions_in_5_and_the_record_in_20_working_days_after_each_review() -> None:
    events = [
        {"type": "lac_review", "date": "2027-06-17"},
        {"type": "review_decisions_issued", "date": "2027-06-24"},
        {"type": "review_record_issued", "date": "2027-07-16"},
    ]
    got = run(events)
    # Thu 2027-06-17 + 5 → Thu 2027-06-24, issued that day
    assert state(one(got, "lac.review.decisions")) == ("2027-06-24", "met", "2027-06-24", True)
    # Thu 2027-06-17 + 20 → Thu 2027-07-15; the record on Fri 2027-07-16 is a day late
    assert state(one(got, "lac.review.record")) == ("2027-07-15", "met", "2027-07-16", False)


def test_it_counts_sw_consultation_and_documents_back_from_a_booked_review() -> None:
    events = [
        LAC,
        {
            "type": "meeting_booked",
            "date": "2027-05-25",
            "meeting": "lac_review",
            "on": "2027-06-17",
        },
        {"type": "sw_consulted", "date": "2027-05-25"},
        {"type": "review_documents_received", "date": "2027-06-15"},
    ]
    got = run(events, "2027-06-16")
    # Thu 2027-06-17, 15 working days before → Wed 2027-05-26 (stepping back over Mon 31 May)
    assert state(one(got, "lac.review.sw_consultation")) == (
        "2027-05-26",
        "met",
        "2027-05-25",
        True,
    )
    # Thu 2027-06-17, 3 working days before → Mon 2027-06-14; documents Tue 15 Jun are late
    assert state(one(got, "lac.review.documents")) == ("2027-06-14", "met", "2027-06-15", False)


def test_it_counts_the_before_rules_back_over_easter_2027() -> None:
    events = [
        {"type": "lac_start", "date": "2027-02-01"},
        {
            "type": "meeting_booked",
            "date": "2027-02-02",
            "meeting": "lac_review",
            "on": "2027-03-31",
        },
    ]
    got = run(events, "2027-02-03")
    # Wed 2027-03-31, 3 working days before: Tue 30, (Mon 29 Easter Monday, Fri 26 Good Friday),
    # Thu 25, Wed 24 → Wed 2027-03-24
    assert one(got, "lac.review.documents")["due"] == "2027-03-24"
    # Wed 2027-03-31, 15 working days before → Mon 2027-03-08
    assert one(got, "lac.review.sw_consultation")["due"] == "2027-03-08"


def test_it_lets_documents_sent_before_the_booking_meet_it_after_the_last_review() -> None:
    events = [
        {"type": "lac_start", "date": "2027-01-04"},
        {"type": "lac_review", "date": "2027-01-28"},
        {"type": "review_documents_received", "date": "2027-01-20"},
        {"type": "review_documents_received", "date": "2027-02-10"},
        {
            "type": "meeting_booked",
            "date": "2027-03-01",
            "meeting": "lac_review",
            "on": "2027-04-27",
        },
    ]
    got = one(run(events, "2027-03-02"), "lac.review.documents")
    # Tue 2027-04-27, 3 working days before → Thu 2027-04-22. The booking is Mon 2027-03-01; the
    # last review held was Thu 2027-01-28, so the documents of Wed 2027-02-10 (before the booking,
    # after that review) meet it; those of Wed 2027-01-20 were for the first review
    assert state(got) == ("2027-04-22", "met", "2027-02-10", True)


def test_it_wants_an_adoption_review_3_months_after_a_placement_order() -> None:
    events = [
        {"type": "lac_start", "date": "2026-06-01"},
        {"type": "placement_order", "date": "2027-01-29", "plan": "adoption"},
        {"type": "lac_review", "date": "2027-04-30"},
    ]
    got = one(run(events), "lac.adoption.review")
    # Fri 2027-01-29 + 3 months → Thu 2027-04-29; the review on Fri 2027-04-30 is a day late
    assert state(got) == ("2027-04-29", "met", "2027-04-30", False)


def test_it_wants_no_adoption_review_once_placed_for_adoption() -> None:
    events = [
        {"type": "lac_start", "date": "2026-06-01"},
        {"type": "placement_order", "date": "2027-01-29", "plan": "adoption"},
        {"type": "placed_for_adoption", "date": "2027-03-01"},
    ]
    # placed (Mon 2027-03-01) before any review: none due
    assert of(run(events), "lac.adoption.review") == []


# Bookings ----------------------------------------------------------------------------------------


def test_it_wants_each_booked_meeting_held_on_its_date() -> None:
    events = [
        {"type": "meeting_booked", "date": "2026-12-20", "meeting": "icpc", "on": "2027-01-05"},
        ICPC,
        {
            "type": "meeting_booked",
            "date": "2027-01-05",
            "meeting": "core_group",
            "on": "2027-01-18",
        },
        {"type": "core_group", "date": "2027-01-19"},
        {
            "type": "meeting_booked",
            "date": "2027-01-05",
            "meeting": "midway_review",
            "on": "2027-02-22",
        },
        {"type": "midway_review", "date": "2027-02-22", "outcome": "not_needed"},
        {"type": "meeting_booked", "date": "2027-01-05", "meeting": "rcpc", "on": "2027-04-05"},
        {"type": "lac_start", "date": "2027-05-24"},
        {
            "type": "meeting_booked",
            "date": "2027-05-24",
            "meeting": "lac_review",
            "on": "2027-06-17",
        },
        {"type": "lac_review", "date": "2027-06-17"},
        {
            "type": "meeting_booked",
            "date": "2027-02-01",
            "meeting": "tac_meeting",
            "on": "2027-02-10",
        },
        {"type": "tac_meeting", "date": "2027-02-09", "chair": "other"},
    ]
    got = run(events, "2027-06-30")
    # Tue 2027-01-05 as booked
    assert state(one(got, "booked.icpc")) == ("2027-01-05", "met", "2027-01-05", True)
    # booked for Mon 2027-01-18, held Tue 2027-01-19: late
    assert state(one(got, "booked.core_group")) == ("2027-01-18", "met", "2027-01-19", False)
    # the chair decided on Mon 2027-02-22 that no midway review is needed: that meets the booking
    assert state(one(got, "booked.midway_review")) == ("2027-02-22", "met", "2027-02-22", True)
    # booked for Mon 2027-04-05, never held: overdue at Wed 2027-06-30
    assert state(one(got, "booked.rcpc")) == ("2027-04-05", "overdue", None, None)
    # booked for Thu 2027-06-17, held that day
    assert state(one(got, "booked.lac_review")) == ("2027-06-17", "met", "2027-06-17", True)
    # booked for Wed 2027-02-10, a TAC meeting of any chair on Tue 2027-02-09 meets it early
    assert state(one(got, "booked.tac_meeting")) == ("2027-02-10", "met", "2027-02-09", True)


def test_it_does_not_let_a_meeting_on_the_day_of_its_booking_meet_the_booking() -> None:
    events = [
        {"type": "lac_start", "date": "2027-05-24"},
        {"type": "lac_review", "date": "2027-06-17"},
        {
            "type": "meeting_booked",
            "date": "2027-06-17",
            "meeting": "lac_review",
            "on": "2027-09-16",
        },
    ]
    got = one(run(events, "2027-06-18"), "booked.lac_review")
    # "a review on the day a booking is made is the one at which it was booked": still pending
    assert state(got) == ("2027-09-16", "pending", None, None)


# Actions -----------------------------------------------------------------------------------------


def test_it_wants_each_action_done_by_its_due_date() -> None:
    events = [
        {
            "type": "action_set",
            "date": "2027-01-04",
            "action": "a1",
            "due": "2027-01-29",
            "owner": "SW",
        },
        {"type": "action_set", "date": "2027-01-04", "action": "a2", "due": "2027-02-12"},
        {"type": "action_done", "date": "2027-01-20", "action": "a2"},
        {"type": "action_done", "date": "2027-02-01", "action": "a1"},
    ]
    got = {o["trigger"]["action"]: o for o in of(run(events), "action.due")}
    # a1 due Fri 2027-01-29, done Mon 2027-02-01: late (a2's completion does not count for it)
    assert state(got["a1"]) == ("2027-01-29", "met", "2027-02-01", False)
    # a2 due Fri 2027-02-12, done Wed 2027-01-20
    assert state(got["a2"]) == ("2027-02-12", "met", "2027-01-20", True)
    # `owner` is kept in the trigger as given
    assert got["a1"]["trigger"]["owner"] == "SW"


def test_it_leaves_an_action_with_no_completion_overdue_after_its_due_date() -> None:
    events = [
        {"type": "action_set", "date": "2027-01-04", "action": 7, "due": "2027-01-29"},
        {"type": "action_done", "date": "2027-01-10", "action": 8},
    ]
    # a different action's completion does not meet it: overdue at Sat 2027-01-30
    assert state(one(run(events, "2027-01-30"), "action.due")) == (
        "2027-01-29",
        "overdue",
        None,
        None,
    )


# Consultations -----------------------------------------------------------------------------------


def test_it_wants_a_tac_meeting_chaired_by_the_iro_within_15_working_days() -> None:
    events = [
        {"type": "consultation", "date": "2027-03-01", "outcome": "tac"},
        {"type": "tac_meeting", "date": "2027-03-10", "chair": "other"},
        {"type": "tac_meeting", "date": "2027-03-23", "chair": "iro"},
    ]
    got = one(run(events), "consult.tac")
    # Mon 2027-03-01 + 15 → Mon 2027-03-22; the TAC chaired by someone else (Wed 10 Mar) does not
    # meet it; the IRO's on Tue 2027-03-23 is a day late
    assert state(got) == ("2027-03-22", "met", "2027-03-23", False)


def test_it_wants_nothing_after_a_consultation_for_advice_or_more_information() -> None:
    events = [
        {"type": "consultation", "date": "2027-03-01", "outcome": "advice"},
        {"type": "consultation", "date": "2027-03-02", "outcome": "more_information"},
        {"type": "consultation", "date": "2027-03-03", "outcome": "icpc"},
    ]
    # no catalogue row is triggered by these outcomes
    assert run(events) == []


def test_it_wants_a_service_leader_decision_within_24_hours_of_a_threshold_disagreement() -> None:
    events = [
        {
            "type": "consultation",
            "date": "2027-03-01",
            "time": "14:30",
            "outcome": "disagree_threshold",
        },
        {"type": "service_leader_decision", "date": "2027-03-02", "time": "09:00"},
    ]
    got = one(run(events), "consult.threshold")
    # Mon 2027-03-01 14:30 + 24 hours → 2027-03-02T14:30; decided Tue 09:00
    assert state(got) == ("2027-03-02T14:30", "met", "2027-03-02", True)


# Every event type --------------------------------------------------------------------------------

ONE_OF_EACH: list[dict[str, Any]] = [
    {"type": "strategy_discussion", "date": "2027-01-04"},
    {"type": "icpc_not_required", "date": "2027-01-04"},
    {"type": "icpc", "date": "2027-01-05", "outcome": "plan", "visit_interval": "10 working days"},
    {"type": "rcpc", "date": "2027-04-05", "outcome": "continue", "visit_interval": "14 days"},
    {"type": "core_group", "date": "2027-01-18"},
    {"type": "cp_visit", "date": "2027-01-15"},
    {"type": "midway_review", "date": "2027-02-22", "outcome": "held"},
    {"type": "chair_child_discussion", "date": "2027-01-05"},
    {"type": "child_discussion_recorded", "date": "2027-01-06"},
    {"type": "conference_reports_received", "date": "2027-03-30"},
    {"type": "lac_start", "date": "2027-05-24"},
    {"type": "lac_end", "date": "2027-12-01"},
    {"type": "iro_allocated", "date": "2027-05-25"},
    {"type": "sw_consulted", "date": "2027-05-25"},
    {"type": "review_documents_received", "date": "2027-06-10"},
    {"type": "lac_review", "date": "2027-06-17", "adjourned": False},
    {"type": "review_decisions_issued", "date": "2027-06-18"},
    {"type": "review_record_issued", "date": "2027-06-30"},
    {"type": "placement_order", "date": "2027-07-01", "plan": "adoption"},
    {"type": "placed_for_adoption", "date": "2027-08-01"},
    {"type": "meeting_booked", "date": "2027-05-25", "meeting": "lac_review", "on": "2027-06-17"},
    {"type": "action_set", "date": "2027-01-05", "action": "a", "due": "2027-01-29", "text": "x"},
    {"type": "action_done", "date": "2027-01-20", "action": "a"},
    {"type": "consultation", "date": "2027-03-01", "time": "09:15", "outcome": "tac"},
    {"type": "tac_meeting", "date": "2027-03-10", "chair": "iro"},
    {"type": "service_leader_decision", "date": "2027-03-02"},
    {"type": "concern_raised", "date": "2027-03-01", "concern": "c", "ladder": "default"},
    {"type": "concern_response", "date": "2027-03-02", "concern": "c", "accepted": False},
    {"type": "concern_warning", "date": "2027-03-03", "concern": "c"},
    {"type": "concern_resolved", "date": "2027-04-20", "concern": "c"},
    {"type": "escalation_notice", "date": "2027-03-04", "concern": "c", "stage": 1},
    {"type": "escalation_extended", "date": "2027-03-05", "concern": "c", "stage": 1, "respond_by": "2027-03-19"},
    {"type": "escalation_response", "date": "2027-03-18", "concern": "c", "stage": 1, "accepted": False},
    {"type": "cafcass_referral", "date": "2027-04-01", "concern": "c"},
    {"type": "legal_advice_sought", "date": "2027-04-02", "concern": "c"},
]  # fmt: skip


def test_it_accepts_every_event_type_of_the_spec_together() -> None:
    # the spec's "Event types" table has 35 types; each appears once above
    assert len({e["type"] for e in ONE_OF_EACH}) == 35
    got = run(ONE_OF_EACH, "2027-12-31")
    # a sample of what they trigger, by hand: the TAC (Mon 2027-03-01 + 15 → Mon 2027-03-22) was
    # met by the IRO-chaired TAC meeting of Wed 2027-03-10
    assert state(one(got, "consult.tac")) == ("2027-03-22", "met", "2027-03-10", True)
    # the extension moved stage 1 to Fri 2027-03-19; answered Thu 2027-03-18
    assert state(one(got, "esc.stage.response")) == ("2027-03-19", "met", "2027-03-18", True)
    # placed for adoption (Sun 2027-08-01) before any later review: no adoption review due
    assert of(got, "lac.adoption.review") == []
    # `adjourned: false` is an ordinary review: it meets the first review (due Tue 2027-06-22)
    assert state(one(got, "lac.review.first")) == ("2027-06-22", "met", "2027-06-17", True)
