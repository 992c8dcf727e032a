"""Concerns and escalation (docs/spec/timescales.md: `concern`, `ladder`, `stage`, the baseline
ladder; codes esc.informal.response, esc.stage.response, esc.total)."""

from __future__ import annotations

from typing import Any

from .helpers import obligations, of, one, state


def run(events: list[Any], as_of: str = "2027-12-31") -> list[dict]:
    return obligations(events, as_of)


RAISED = {"type": "concern_raised", "date": "2027-03-01"}  # Mon


def notice(day: str, stage: int, **extra: object) -> dict:
    return {"type": "escalation_notice", "date": day, "stage": stage, **extra}


# The informal stage ------------------------------------------------------------------------------


def test_it_wants_an_informal_response_within_5_working_days() -> None:
    events = [RAISED, {"type": "concern_response", "date": "2027-03-09", "accepted": True}]
    # Mon 2027-03-01 + 5 → Mon 2027-03-08; answered Tue 2027-03-09: late
    assert state(one(run(events), "esc.informal.response")) == (
        "2027-03-08",
        "met",
        "2027-03-09",
        False,
    )


def test_it_meets_the_informal_response_by_a_resolution_a_warning_or_a_notice() -> None:
    for meeting_event in (
        {"type": "concern_resolved", "date": "2027-03-03"},
        {"type": "concern_warning", "date": "2027-03-03"},
        notice("2027-03-03", 1),
    ):
        got = one(run([RAISED, meeting_event]), "esc.informal.response")
        # each of these on Wed 2027-03-03 meets it (due Mon 2027-03-08)
        assert state(got) == ("2027-03-08", "met", "2027-03-03", True), meeting_event["type"]


def test_it_leaves_the_informal_response_pending_until_its_due_date() -> None:
    # as-of Mon 2027-03-08 is the due date: pending; Tue 9th: overdue
    assert one(run([RAISED], "2027-03-08"), "esc.informal.response")["status"] == "pending"
    assert one(run([RAISED], "2027-03-09"), "esc.informal.response")["status"] == "overdue"


def test_it_records_cafcass_referral_and_legal_advice_with_no_deadline() -> None:
    events = [
        {"type": "cafcass_referral", "date": "2027-03-01"},
        {"type": "legal_advice_sought", "date": "2027-03-02"},
    ]
    # "recorded; no deadline"
    assert run(events) == []
    got = one(run([RAISED, *events], "2027-03-09"), "esc.informal.response")
    # and they do not answer a concern either: overdue at Tue 2027-03-09 (due Mon 2027-03-08)
    assert state(got) == ("2027-03-08", "overdue", None, None)


# Formal stages -----------------------------------------------------------------------------------


def test_it_wants_each_stage_answered_within_5_working_days_by_default() -> None:
    events = [
        notice("2027-03-01", 1),
        {"type": "escalation_response", "date": "2027-03-08", "stage": 1, "accepted": False},
    ]
    # Mon 2027-03-01 + 5 → Mon 2027-03-08, answered that day
    assert state(one(run(events), "esc.stage.response")) == (
        "2027-03-08",
        "met",
        "2027-03-08",
        True,
    )


def test_it_does_not_count_a_response_to_another_stage() -> None:
    events = [
        notice("2027-03-01", 2),
        {"type": "escalation_response", "date": "2027-03-02", "stage": 1, "accepted": True},
    ]
    # a stage 1 reply does not answer the stage 2 notice (due Mon 2027-03-08): overdue at Tue 9th
    assert state(one(run(events, "2027-03-09"), "esc.stage.response")) == (
        "2027-03-08",
        "overdue",
        None,
        None,
    )


def test_it_uses_the_notices_respond_by() -> None:
    got = one(
        run([notice("2027-03-01", 1, respond_by="2027-03-03")], "2027-03-04"), "esc.stage.response"
    )
    # the manager's shorter deadline Wed 2027-03-03 replaces 5 working days; overdue on Thu 4th
    assert state(got) == ("2027-03-03", "overdue", None, None)


def test_it_uses_the_last_extension_of_the_stage() -> None:
    events = [
        notice("2027-03-01", 1, respond_by="2027-03-03"),
        {
            "type": "escalation_extended",
            "date": "2027-03-05",
            "stage": 1,
            "respond_by": "2027-03-19",
        },
        {
            "type": "escalation_extended",
            "date": "2027-03-02",
            "stage": 1,
            "respond_by": "2027-03-12",
        },
        {
            "type": "escalation_extended",
            "date": "2027-03-04",
            "stage": 2,
            "respond_by": "2027-04-30",
        },
        {"type": "escalation_response", "date": "2027-03-16", "stage": 1, "accepted": True},
    ]
    got = one(run(events), "esc.stage.response")
    # extensions Tue 2 Mar (to Fri 12 Mar) then Fri 5 Mar (to Fri 2027-03-19): the last wins,
    # whatever the input order; stage 2's extension is not this stage's; answered Tue 16 Mar
    assert state(got) == ("2027-03-19", "met", "2027-03-16", True)


def test_it_meets_a_stage_by_a_notice_at_a_higher_stage() -> None:
    events = [notice("2027-03-01", 1), notice("2027-03-09", 2)]
    stages = {o["trigger"]["stage"]: o for o in of(run(events, "2027-03-10"), "esc.stage.response")}
    # stage 1 (due Mon 2027-03-08) is closed by escalating to stage 2 on Tue 2027-03-09, late
    assert state(stages[1]) == ("2027-03-08", "met", "2027-03-09", False)
    # stage 2: Tue 2027-03-09 + 5 → Tue 2027-03-16
    assert state(stages[2]) == ("2027-03-16", "pending", None, None)


def test_it_does_not_meet_a_stage_by_a_notice_at_a_lower_or_the_same_stage() -> None:
    events = [notice("2027-03-01", 2), notice("2027-03-02", 1), notice("2027-03-03", 2)]
    stages = [
        o
        for o in of(run(events, "2027-03-04"), "esc.stage.response")
        if o["trigger"]["date"] == "2027-03-01"
    ]
    # neither the stage 1 notice nor a second stage 2 notice answers the first stage 2 notice
    assert [state(o) for o in stages] == [("2027-03-08", "pending", None, None)]


def test_it_meets_a_stage_by_the_concern_being_resolved() -> None:
    events = [notice("2027-03-01", 3), {"type": "concern_resolved", "date": "2027-03-04"}]
    # resolved Thu 2027-03-04, before the stage's due date Mon 2027-03-08
    assert state(one(run(events), "esc.stage.response")) == (
        "2027-03-08",
        "met",
        "2027-03-04",
        True,
    )


def test_it_lets_the_chair_bypass_straight_to_stage_3() -> None:
    got = run([RAISED, notice("2027-03-02", 3)], "2027-03-03")
    # a notice at stage 3 with no stage 1 or 2 is accepted: it answers the informal stage ...
    assert state(one(got, "esc.informal.response")) == ("2027-03-08", "met", "2027-03-02", True)
    # ... calls for the head of service's answer, Tue 2027-03-02 + 5 → Tue 2027-03-09 ...
    assert state(one(got, "esc.stage.response")) == ("2027-03-09", "pending", None, None)
    # ... and starts the formal total: Tue 2027-03-02 + 20 working days → Thu 2027-04-01 (over
    # Good Friday Fri 26 and Easter Monday Mon 29 March)
    assert state(one(got, "esc.total")) == ("2027-04-01", "pending", None, None)


# The formal total ----------------------------------------------------------------------------------


def test_it_wants_the_formal_process_done_within_20_working_days_of_the_first_notice() -> None:
    events = [
        notice("2027-03-01", 1),
        notice("2027-03-08", 2),
        notice("2027-03-15", 3),
        notice("2027-03-22", 4),
        {"type": "concern_resolved", "date": "2027-04-01"},
    ]
    got = run(events)
    # one total per concern, from the first notice Mon 2027-03-01: + 20 working days → Wed
    # 2027-03-31 (over Good Friday and Easter Monday); resolved Thu 2027-04-01, a day late
    assert state(one(got, "esc.total")) == ("2027-03-31", "met", "2027-04-01", False)


def test_it_meets_the_total_only_by_a_resolution() -> None:
    events = [
        notice("2027-03-01", 1),
        {"type": "escalation_response", "date": "2027-03-02", "stage": 1, "accepted": True},
    ]
    # an accepted response is not `concern_resolved`: the total stays open, overdue at Thu 1 Apr
    assert state(one(run(events, "2027-04-01"), "esc.total")) == (
        "2027-03-31",
        "overdue",
        None,
        None,
    )


# Two concerns at once ------------------------------------------------------------------------------


def test_it_keeps_two_concerns_apart_by_their_concern_ids() -> None:
    events = [
        {"type": "concern_raised", "date": "2027-03-01", "concern": "visits"},
        {"type": "concern_raised", "date": "2027-03-02", "concern": "plan"},
        {"type": "concern_response", "date": "2027-03-03", "concern": "plan", "accepted": True},
        notice("2027-03-10", 1, concern="visits"),
        notice("2027-03-11", 1, concern="plan"),
        {
            "type": "escalation_response",
            "date": "2027-03-12",
            "concern": "plan",
            "stage": 1,
            "accepted": True,
        },
        {"type": "concern_resolved", "date": "2027-03-15", "concern": "plan"},
    ]
    got = run(events, "2027-03-18")
    informal = {o["trigger"]["concern"]: o for o in of(got, "esc.informal.response")}
    # "visits" (Mon 1 Mar, due Mon 2027-03-08): "plan"'s response does not answer it; its own
    # notice on Wed 2027-03-10 does, late
    assert state(informal["visits"]) == ("2027-03-08", "met", "2027-03-10", False)
    # "plan" (Tue 2 Mar, due Tue 2027-03-09): answered Wed 2027-03-03
    assert state(informal["plan"]) == ("2027-03-09", "met", "2027-03-03", True)
    stage = {o["trigger"]["concern"]: o for o in of(got, "esc.stage.response")}
    # "visits" stage 1 from Wed 2027-03-10: due Wed 2027-03-17, unanswered: overdue on Thu 18th
    assert state(stage["visits"]) == ("2027-03-17", "overdue", None, None)
    # "plan" stage 1 from Thu 2027-03-11: due Thu 2027-03-18, answered Fri 12th
    assert state(stage["plan"]) == ("2027-03-18", "met", "2027-03-12", True)
    total = {o["trigger"]["concern"]: o for o in of(got, "esc.total")}
    # "visits": Wed 2027-03-10 + 20 → Fri 2027-04-09 (over Easter); "plan" resolved Mon 15 Mar
    assert state(total["visits"]) == ("2027-04-09", "pending", None, None)
    assert state(total["plan"]) == ("2027-04-12", "met", "2027-03-15", True)


def test_it_treats_the_events_with_no_concern_as_one_concern() -> None:
    events = [
        RAISED,
        {"type": "concern_raised", "date": "2027-03-01", "concern": "other"},
        {"type": "concern_response", "date": "2027-03-02", "accepted": False},
    ]
    informal = {
        o["trigger"].get("concern"): o
        for o in of(run(events, "2027-03-09"), "esc.informal.response")
    }
    # the response with no `concern` answers the concern raised with no `concern` ...
    assert state(informal[None]) == ("2027-03-08", "met", "2027-03-02", True)
    # ... and not the concern "other": overdue at Tue 2027-03-09
    assert state(informal["other"]) == ("2027-03-08", "overdue", None, None)


def test_it_accepts_the_default_ladder_by_name() -> None:
    events = [{**RAISED, "ladder": "default"}, notice("2027-03-02", 4)]
    # the baseline pack's one ladder is called `default`; stage 4 (the director) is on it
    got = one(run(events, "2027-03-03"), "esc.stage.response")
    # Tue 2027-03-02 + 5 → Tue 2027-03-09
    assert state(got) == ("2027-03-09", "pending", None, None)
