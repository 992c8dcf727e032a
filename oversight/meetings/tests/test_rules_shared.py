"""The checks every kind of record shares, as plain functions (no form, no database): the date
held, bookings, actions, exclusions and the conference chair. Today is Fri 2027-01-08."""

from __future__ import annotations

import datetime as dt

from oversight.cases.constants import Role
from oversight.meetings import rules
from oversight.meetings.tests.conftest import facts, plan, refusals, staff

FRI_8_JAN = dt.date(2027, 1, 8)
ANNA_IRO = staff(1, "Anna Okafor", Role.IRO)
BEN_IRO = staff(2, "Ben Ashworth", Role.IRO)
DEV_DUTY = staff(3, "Dev Rahman", Role.DUTY_IRO)
CARA_SW = staff(4, "Cara Lindqvist", Role.SOCIAL_WORKER)


def test_it_refuses_a_meeting_held_in_the_future():
    # Sat 2027-01-09 is tomorrow
    found = refusals("strategy", date=dt.date(2027, 1, 9), meeting_type="s47")
    assert found == {"date": ["The date must be today or in the past"]}


def test_it_refuses_a_meeting_held_before_the_child_was_born():
    # the child was born on Fri 2020-05-01; Thu 2020-04-30 is the day before
    found = refusals("strategy", date=dt.date(2020, 4, 30), meeting_type="s47")
    assert found == {
        "date": ["The date must be on or after the child's date of birth (1 May 2020)"]
    }


def test_it_checks_nothing_else_against_a_refused_date():
    # a core group on Sat 2027-01-09 (tomorrow) with no plan: only the date is refused, not the
    # plan that is not open on a day that is wrong anyway
    found = refusals("core_group", date=dt.date(2027, 1, 9), plan_updated="updated")
    assert found == {"date": ["The date must be today or in the past"]}


def test_it_refuses_a_date_booked_in_the_past():
    # the next core group booked for Thu 2027-01-07, yesterday
    found = refusals(
        "core_group",
        facts(periods=(plan(dt.date(2026, 11, 2)),)),
        date=dt.date(2027, 1, 5),
        next_core_group=dt.date(2027, 1, 7),
    )
    assert found == {"next_core_group": ["The date booked must be today or later, not in the past"]}


def test_it_refuses_an_action_without_its_due_date_or_text_or_due_before_the_meeting():
    found = refusals(
        "tac_meeting",
        date=FRI_8_JAN,
        chair="iro",
        action_1_text="Referral to the school nurse",
        action_2_due=dt.date(2027, 1, 22),  # Fri 2027-01-22, no text
        action_3_text="Home visit",
        action_3_due=dt.date(2027, 1, 7),  # Thu 2027-01-07, the day before the meeting
    )
    assert found == {
        "action_1_due": ["Enter the date action 1 is due by"],
        "action_2_text": ["Enter action 2"],
        "action_3_due": ["The due date must be on or after the meeting"],
    }


def test_it_does_not_call_a_due_date_missing_when_it_could_not_be_read():
    record = rules.Record(
        kind="tac_meeting",
        values={"date": FRI_8_JAN, "chair": "iro", "action_1_text": "Home visit"},
        invalid=frozenset({"action_1_due"}),
    )
    assert not rules.check(record, facts())


def test_it_refuses_an_exclusion_without_its_rationale_or_its_person():
    found = refusals(
        "lac_review",
        date=FRI_8_JAN,
        adjourned=True,
        adjourned_reason="The care plan was not ready",
        venue="placement",
        excluded_1_who="Father",
        excluded_2_rationale="Threats to the carers",
    )
    assert found == {
        "excluded_1_rationale": ["Give the evidence-based rationale for excluding Father"],
        "excluded_2_who": ["Name the person excluded"],
    }


def booking(**values):
    return {"date": FRI_8_JAN, "meeting": "icpc", "on": dt.date(2027, 1, 20), **values}


def test_it_refuses_no_chair_for_a_child_with_no_iro():
    found = refusals("booking", facts(iro=None), **booking())
    assert found["chair"][0].startswith("Choose the chair: the child has no IRO")


def test_it_refuses_a_chair_who_is_not_an_iro():
    found = refusals("booking", facts(iro=None), **booking(chair=DEV_DUTY))
    assert found == {"chair": ["Dev Rahman is not an IRO: the chair must be an IRO"]}


def test_it_refuses_a_different_chair_without_a_reason():
    found = refusals("booking", facts(iro=ANNA_IRO), **booking(chair=BEN_IRO))
    assert found == {
        "chair_change_reason": [
            "Anna Okafor is the child's IRO: give the reason for reallocating to Ben Ashworth"
        ]
    }
    # with a plan open today (since Mon 2026-11-02), the chair stays until the plan ends
    found = refusals(
        "booking",
        facts(iro=ANNA_IRO, periods=(plan(dt.date(2026, 11, 2)),)),
        **booking(meeting="rcpc", chair=BEN_IRO),
    )
    assert found["chair_change_reason"] == [
        "Anna Okafor is the chair until the plan ends: give the reason for reallocating to "
        "Ben Ashworth"
    ]


def test_it_refuses_a_chair_in_the_management_line_of_the_childs_social_worker():
    known = facts(iro=None, management_line={BEN_IRO.id: CARA_SW})
    found = refusals("booking", known, **booking(chair=BEN_IRO))
    assert found["chair"][0].startswith(
        "Ben Ashworth is in the management line of Cara Lindqvist, the child's social worker"
    )


def test_it_allocates_a_chair_only_when_the_rules_allow_one_who_is_not_the_iro_already():
    def chair(known, **values):
        return rules.new_chair(rules.Record("booking", booking(**values)), known)

    assert chair(facts(iro=None), chair=BEN_IRO) == BEN_IRO  # no IRO yet
    assert chair(facts(iro=ANNA_IRO), chair=ANNA_IRO) is None  # the IRO already
    assert chair(facts(iro=ANNA_IRO), chair=BEN_IRO) is None  # no reason given
    assert chair(facts(iro=ANNA_IRO), chair=BEN_IRO, chair_change_reason="Leave") == BEN_IRO
    # a TAC meeting books no conference: no chair to allocate
    assert chair(facts(iro=None), chair=BEN_IRO, meeting="tac_meeting") is None
