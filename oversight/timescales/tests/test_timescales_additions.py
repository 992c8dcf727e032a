"""The contract's additions (docs/spec/timescales.md, "Additions"): a `before` rule from the Nth
meeting, and the plan after an accepted notice, on policies built here from the baseline.

Working days: Christmas Day 2026 is a Friday and Boxing Day a Saturday, so Mon 28 December 2026
is its substitute bank holiday; New Year's Day 2027 is a Friday."""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

from oversight.timescales.catalogue import BASELINE_LADDER
from oversight.timescales.rules import Accepted, Policy, parse_rule
from oversight.timescales.tests.helpers import POLICY, obligations, of, state

SECOND_ON = replace(
    POLICY,
    obligations=tuple(
        replace(row, from_meeting=2) if row.code == "lac.review.documents" else row
        for row in POLICY.obligations
    ),
)
REVIEWS = [
    {"type": "lac_start", "date": "2027-01-04"},  # Mon
    {"type": "meeting_booked", "date": "2027-01-05", "meeting": "lac_review", "on": "2027-01-29"},
    {"type": "lac_review", "date": "2027-01-29"},  # Fri: the initial review, booking the second
    {"type": "meeting_booked", "date": "2027-01-29", "meeting": "lac_review", "on": "2027-04-29"},
    {"type": "review_documents_received", "date": "2027-04-23"},  # Fri
]


def test_it_applies_a_before_rule_from_the_second_meeting_of_the_episode() -> None:
    found = of(obligations(REVIEWS, "2027-05-03", SECOND_ON), "lac.review.documents")
    # Only the second review, Thu 29 April: 3 working days before is Mon 26 April, met Fri 23rd.
    assert [(o["trigger"]["on"], *state(o)) for o in found] == [
        ("2027-04-29", "2027-04-26", "met", "2027-04-23", True)
    ]


def test_it_applies_a_before_rule_to_every_booking_without_from_meeting() -> None:
    found = of(obligations(REVIEWS, "2027-05-03"), "lac.review.documents")
    # The initial review, Fri 29 January: due Tue 26 January, met (late) by the only documents
    # of the episode, Fri 23 April.
    assert [(o["trigger"]["on"], *state(o)) for o in found] == [
        ("2027-01-29", "2027-01-26", "met", "2027-04-23", False),
        ("2027-04-29", "2027-04-26", "met", "2027-04-23", True),
    ]


def test_it_counts_meetings_of_the_bookings_own_episode_only() -> None:
    events = [
        *REVIEWS[:3],
        {"type": "lac_end", "date": "2027-02-01"},  # Mon
        {"type": "lac_start", "date": "2027-03-01"},  # Mon: a new episode
        {"type": "meeting_booked", "date": "2027-03-02", "meeting": "lac_review", "on": "2027-03-26"},
    ]  # fmt: skip
    found = of(obligations(events, "2027-03-31", SECOND_ON), "lac.review.documents")
    # The new episode's initial review (Fri 26 March) is its first: none due.
    assert found == []


def accepting(within: str, counted_from: Literal["notice", "response"] = "notice") -> Policy:
    """The baseline with stage 1 calling for a plan once accepted."""
    accepted = Accepted(parse_rule(within), counted_from)
    stage = replace(BASELINE_LADDER.stages[0], on_accepted=accepted)
    ladder = replace(BASELINE_LADDER, stages=(stage, *BASELINE_LADDER.stages[1:]))
    return replace(POLICY, ladders={"default": ladder})


NOTICE = {"type": "escalation_notice", "date": "2026-12-24", "concern": "c1", "stage": 1}  # Thu
ACCEPTED = {"type": "escalation_response", "date": "2026-12-29", "concern": "c1", "stage": 1,
            "accepted": True}  # fmt: skip  # Tue


def plan(day: str, concern: str | None = "c1", action: str = "c1-1") -> dict:
    event = {"type": "action_set", "date": day, "action": action, "due": "2027-02-01"}
    return event if concern is None else {**event, "concern": concern}


def test_it_counts_the_plan_from_the_notice_across_christmas() -> None:
    [found] = of(obligations([NOTICE, ACCEPTED, plan("2027-01-05")], "2027-01-08",
                             accepting("5 working days")), "esc.action_plan")  # fmt: skip
    # Tue 29, Wed 30, Thu 31 December, Mon 4, Tue 5 January: met on its due day.
    assert state(found) == ("2027-01-05", "met", "2027-01-05", True)
    assert found["trigger"] == NOTICE


def test_it_counts_the_plan_from_the_response_when_the_pack_says_so() -> None:
    [found] = of(obligations([NOTICE, ACCEPTED], "2027-01-08",
                             accepting("5 working days", "response")), "esc.action_plan")  # fmt: skip
    # From Tue 29 December: Wed 30, Thu 31, Mon 4, Tue 5, Wed 6 January.
    assert state(found) == ("2027-01-06", "overdue", None, None)


def test_it_meets_the_plan_by_no_other_action() -> None:
    events = [NOTICE, ACCEPTED, plan("2026-12-30", "c2", "c2-1"), plan("2026-12-31", None, "r-1")]
    [found] = of(obligations(events, "2027-01-06", accepting("5 working days")), "esc.action_plan")
    assert state(found) == ("2027-01-05", "overdue", None, None)


def test_it_wants_no_plan_until_the_stage_is_accepted() -> None:
    refused = {**ACCEPTED, "accepted": False}
    policy = accepting("5 working days")
    assert of(obligations([NOTICE], "2027-01-06", policy), "esc.action_plan") == []
    assert of(obligations([NOTICE, refused], "2027-01-06", policy), "esc.action_plan") == []


def test_it_wants_no_plan_under_the_baseline() -> None:
    assert of(obligations([NOTICE, ACCEPTED], "2027-01-06"), "esc.action_plan") == []
