"""Child protection records' rules as plain functions (no form, no database): bookings,
conferences, core groups, visits, midway reviews, significant changes, the Support and Challenge
Panel and the Legal Planning Meeting decision. Today is Fri 2027-01-08."""

from __future__ import annotations

import datetime as dt
from typing import Any

from oversight.cases.constants import Role
from oversight.meetings import rules
from oversight.meetings.tests.conftest import facts, numbers, plan, policy, refusals, staff

FRI_8_JAN = dt.date(2027, 1, 8)
MON_2_NOV_2026 = dt.date(2026, 11, 2)
ANNA_IRO = staff(1, "Anna Okafor", Role.IRO)
CARA_SW = staff(4, "Cara Lindqvist", Role.SOCIAL_WORKER)
ELLA_TM = staff(5, "Ella Moreau", Role.TEAM_MANAGER)
IN_PLAN = facts(iro=ANNA_IRO, periods=(plan(MON_2_NOV_2026),))


def icpc(**overrides: Any) -> dict[str, Any]:
    """A complete ICPC with a plan on Fri 2027-01-08."""
    values: dict[str, Any] = {
        "date": FRI_8_JAN,
        "quorate": "yes",
        "outcome": "plan",
        "decided_by": "consensus",
        "categories": ["neglect"],
        "risks": "Poor home conditions",
        "what_needs_to_change": "Home conditions",
        "lead_social_worker": CARA_SW,
        "first_core_group": dt.date(2027, 1, 22),
        "next_review": dt.date(2027, 4, 8),
        "midway_review": dt.date(2027, 2, 19),
    }
    values.update(overrides)
    return values


def test_it_allows_a_complete_icpc():
    assert refusals("icpc", facts(iro=ANNA_IRO), **icpc()) == {}


# -- bookings ------------------------------------------------------------------------------


def test_it_refuses_a_booking_of_a_plan_meeting_with_no_plan_open():
    found = refusals("booking", date=FRI_8_JAN, meeting="core_group", on=dt.date(2027, 1, 22))
    assert found == {
        "meeting": [
            "There is no child protection plan open on Fri 8 January 2027: a core group meeting "
            "is booked only within a plan (book the initial conference first)"
        ]
    }


def test_it_refuses_a_booking_for_before_the_day_it_was_made():
    # made Fri 2027-01-08 for Thu 2027-01-07
    found = refusals(
        "booking", IN_PLAN, date=FRI_8_JAN, meeting="core_group", on=dt.date(2027, 1, 7)
    )
    assert found == {"on": ["The date booked must be today or later, not in the past"]}


def test_it_refuses_a_review_brought_forward_without_the_reason():
    found = refusals(
        "booking",
        IN_PLAN,
        date=FRI_8_JAN,
        meeting="rcpc",
        on=dt.date(2027, 2, 1),
        brought_forward=True,
    )
    assert found == {"reason": ["Give the reason the review is brought forward"]}


# -- conferences ---------------------------------------------------------------------------


def test_it_refuses_an_icpc_while_a_plan_is_open():
    found = refusals("icpc", IN_PLAN, **icpc())
    assert found == {
        "outcome": [
            "A child protection plan is open since Mon 2 November 2026: a plan and its "
            "categories change only at a review conference (record an RCPC)"
        ]
    }


def test_it_refuses_an_rcpc_with_no_plan_open_before_it():
    found = refusals("rcpc", facts(iro=ANNA_IRO), **icpc(outcome="continue"))
    assert list(found) == ["date"]
    assert found["date"][0].startswith("There is no child protection plan open before this date")
    # the plan's own ICPC day (Fri 2027-01-08) is not before the review either
    found = refusals(
        "rcpc", facts(iro=ANNA_IRO, periods=(plan(FRI_8_JAN),)), **icpc(outcome="continue")
    )
    assert list(found) == ["date"]


def test_it_refuses_restricted_information_after_the_conference_and_flags_it_late():
    walsall = facts(iro=ANNA_IRO, numbers=numbers("walsall"))
    # received Sat 2027-01-09, the day after the conference
    found = refusals("icpc", walsall, **icpc(restricted_info_received=dt.date(2027, 1, 9)))
    assert found == {"restricted_info_received": ["This must be on or before the conference"]}
    # Wed 2027-01-06: 2 working days before, so the record says how the chair managed it
    found = refusals("icpc", walsall, **icpc(restricted_info_received=dt.date(2027, 1, 6)))
    assert found == {
        "restricted_info_late": [
            "The restricted information came after Tue 5 January 2027, 3 working days before "
            "the conference: record how the chair managed it"
        ]
    }
    # Tue 2027-01-05: 3 working days before, in time
    found = refusals("icpc", walsall, **icpc(restricted_info_received=dt.date(2027, 1, 5)))
    assert found == {}


def test_it_counts_walsalls_restricted_information_in_working_days():
    # A review conference on Tue 2027-05-04, the day after the early May bank holiday (Mon 3 May).
    # 3 working days before it: Fri 30 Apr, Thu 29 Apr, Wed 28 Apr.
    tue_4_may = dt.date(2027, 5, 4)
    walsall = facts(
        today=tue_4_may, iro=ANNA_IRO, numbers=numbers("walsall"), periods=(plan(FRI_8_JAN),)
    )
    conference = icpc(
        date=tue_4_may,
        outcome="continue",
        first_core_group=None,
        next_review=dt.date(2027, 11, 4),
        midway_review=dt.date(2027, 8, 3),
    )
    # received Thu 2027-04-29: 5 calendar days before, but only 2 working days: flagged
    found = refusals("rcpc", walsall, **conference, restricted_info_received=dt.date(2027, 4, 29))
    assert found == {
        "restricted_info_late": [
            "The restricted information came after Wed 28 April 2027, 3 working days before "
            "the conference: record how the chair managed it"
        ]
    }
    # received Wed 2027-04-28: 3 working days before, in time
    found = refusals("rcpc", walsall, **conference, restricted_info_received=dt.date(2027, 4, 28))
    assert found == {}


def test_it_flags_no_restricted_information_under_a_pack_without_the_rule():
    # england sets no time for restricted information: Thu 2027-01-07, the day before, is not
    # flagged (Sat 2027-01-09, after the conference, still is refused)
    england = facts(iro=ANNA_IRO, numbers=numbers("england"))
    assert refusals("icpc", england, **icpc(restricted_info_received=dt.date(2027, 1, 7))) == {}
    found = refusals("icpc", england, **icpc(restricted_info_received=dt.date(2027, 1, 9)))
    assert list(found) == ["restricted_info_received"]


def test_it_asks_for_the_chairs_decisions_at_the_conference():
    found = refusals(
        "icpc",
        facts(iro=ANNA_IRO),
        **icpc(quorate="no", arrangements=["split"], decided_by="chair", lpm_recommended=True),
    )
    assert found == {
        "inquorate_went_ahead": [
            "Record the chair's decision whether the inquorate conference went ahead"
        ],
        "split_reason": ["Say why the conference was split"],
        "dissent": ["Record the dissent: the decision was the chair's"],
        "lpm_reason": ["Say why a Legal Planning Meeting is recommended"],
        "lpm_decide_by": ["Give the date by which the team manager decides"],
    }


def test_it_refuses_a_visiting_frequency_that_is_not_a_rule_of_days():
    for written in ("fortnightly", "24 hours", "3 working days before"):
        found = refusals("icpc", facts(iro=ANNA_IRO), **icpc(visit_interval=written))
        assert list(found) == ["visit_interval"], written
    assert refusals("icpc", facts(iro=ANNA_IRO), **icpc(visit_interval="14 days")) == {}


def test_it_refuses_a_plan_without_its_contents_and_bookings():
    found = refusals(
        "icpc",
        facts(iro=ANNA_IRO),
        **icpc(
            categories=[],
            risks="",
            what_needs_to_change="",
            lead_social_worker=None,
            first_core_group=None,
            next_review=None,
            midway_review=None,
        ),
    )
    assert found == {
        "categories": ["Choose at least one category of harm for a plan"],
        "risks": ["State the risks to the child"],
        "what_needs_to_change": ["Say what needs to change"],
        "lead_social_worker": ["Choose the lead social worker"],
        "next_review": ["Book the review conference"],
        "midway_review": ["Book the midway review, or say why none is needed"],
        "first_core_group": ["Book the first core group meeting"],
    }


def test_it_refuses_a_lead_social_worker_who_is_not_a_social_worker():
    found = refusals("icpc", facts(iro=ANNA_IRO), **icpc(lead_social_worker=ELLA_TM))
    assert found == {
        "lead_social_worker": [
            "Ella Moreau is not a qualified social worker: the lead social worker must be"
        ]
    }


def test_it_refuses_no_plan_without_how_the_childs_needs_are_met():
    found = refusals("icpc", facts(iro=ANNA_IRO), date=FRI_8_JAN, quorate="yes", outcome="no_plan")
    assert found == {
        "cin_plan": [
            "Record how the child's needs will be met: a child in need plan or a step-down"
        ]
    }
    assert not refusals(
        "icpc",
        facts(iro=ANNA_IRO),
        date=FRI_8_JAN,
        quorate="yes",
        outcome="no_plan",
        step_down="tac",
    )


def test_it_books_nothing_at_a_conference_that_makes_no_plan():
    record = rules.Record(
        "icpc",
        icpc(outcome="no_plan", cin_plan=True, categories=["neglect"]),
    )
    written = rules.planned(record, facts(), "m1")
    # the conference only: no core group, review or midway review booked, no categories
    assert [(p.type, p.date, p.data) for p in written] == [
        ("icpc", FRI_8_JAN, {"outcome": "no_plan"})
    ]


# -- core group, visit, midway review --------------------------------------------------------


def test_it_refuses_plan_meetings_on_a_day_with_no_plan_open():
    for kind, what in (
        ("core_group", "a core group"),
        ("cp_visit", "a child protection visit"),
        ("midway_review", "a midway review"),
    ):
        found = refusals(
            kind, date=FRI_8_JAN, seen="no", outcome="not_needed", not_needed_reason="x"
        )
        assert found == {
            "date": [
                f"There is no child protection plan open on this date: {what} belongs to a plan"
            ]
        }


def test_it_asks_whether_a_child_seen_was_seen_alone():
    found = refusals("cp_visit", IN_PLAN, date=FRI_8_JAN, seen="yes", where="home")
    assert found == {"seen_alone": ["Say whether the child was seen alone"]}


def test_it_asks_a_midway_review_held_for_its_headings_and_scale():
    found = refusals("midway_review", IN_PLAN, date=FRI_8_JAN, outcome="held", worries="Neglect")
    assert found == {
        "working_well": ["Record what's working well"],
        "needs_to_happen": ["Record what needs to happen"],
        "scale": ["Give the scale of worries"],
    }
    found = refusals("midway_review", IN_PLAN, date=FRI_8_JAN, outcome="not_needed")
    assert found == {"not_needed_reason": ["Say why no midway review is needed"]}


# -- significant change --------------------------------------------------------------------


def test_it_sets_the_chairs_decision_on_a_change_for_the_next_working_day_under_camden():
    camden = numbers("camden")  # numbers.change_decision: 1 working day

    def due(held: dt.date, known: Any) -> str:
        record = rules.Record("change_notice", {"date": held, "changes": ["new_incident"]})
        (action,) = rules.planned(record, known, "m7")
        assert action.data["action"] == "m7-decide"
        return dt.date.fromisoformat(action.data["due"]).strftime("%a %Y-%m-%d")

    # told on Fri 2027-01-08: due on Mon 2027-01-11, over the weekend
    assert due(FRI_8_JAN, facts(numbers=camden)) == "Mon 2027-01-11"
    # the pack closes on Mon 2027-01-11: due on Tue 2027-01-12
    closed = policy(dt.date(2027, 1, 11))
    assert due(FRI_8_JAN, facts(numbers=camden, policy=closed)) == "Tue 2027-01-12"
    # told on Thu 2026-12-24: Christmas and Boxing Day (moved to Mon 28) skipped: Tue 2026-12-29
    assert due(dt.date(2026, 12, 24), facts(numbers=camden)) == "Tue 2026-12-29"


def test_it_sets_no_decision_on_a_change_under_a_pack_without_the_number():
    record = rules.Record("change_notice", {"date": FRI_8_JAN, "changes": ["new_incident"]})
    assert numbers("walsall").change_decision is None  # seed 002 gives no time
    assert rules.planned(record, facts(numbers=numbers("walsall")), "m7") == []


def test_it_keeps_the_labels_of_the_changes_notified():
    record = rules.Record("change_notice", {"date": FRI_8_JAN, "changes": ["baby_due", "missing"]})
    assert rules.details(record)["changes_labels"] == [
        "A child is to be born into the household",
        "Running away or going missing",
    ]
    assert rules.decision(record) == "baby_due,missing"


def test_it_asks_a_review_brought_forward_for_the_review_and_its_new_date():
    found = refusals("change_decision", date=FRI_8_JAN, notice="7", outcome="forward", reason="x")
    assert found == {
        "new_date": ["Give the new date of the review"],
        "review": ["Choose the review brought forward"],
    }
    # Thu 2027-01-07 is in the past
    found = refusals(
        "change_decision",
        date=FRI_8_JAN,
        notice="7",
        outcome="forward",
        review="rcpc",
        new_date=dt.date(2027, 1, 7),
    )
    assert found == {"new_date": ["The date booked must be today or later, not in the past"]}


# -- Support and Challenge Panel, Legal Planning Meeting --------------------------------------


def test_it_refuses_a_panel_referral_when_the_flag_is_not_raised():
    found = refusals("scp_referral", date=FRI_8_JAN, outcome="pending", reason="x")
    assert list(found) == [None]
    assert found[None][0].startswith("The Support and Challenge Panel flag is not raised")
    assert not refusals("scp_referral", facts(scp_flag=True), date=FRI_8_JAN, outcome="pending")


def test_it_refuses_a_legal_planning_decision_with_no_recommendation_or_before_it():
    found = refusals("lpm_decision", date=FRI_8_JAN, conference="3", outcome="convene")
    assert found == {
        "conference": ["No conference of this child recommended a Legal Planning Meeting"]
    }
    # the conference on Mon 2027-01-11 recommended one; the decision is Fri 2027-01-08
    known = facts(lpm_conferences={"3": dt.date(2027, 1, 11)})
    found = refusals("lpm_decision", known, date=FRI_8_JAN, conference="3", outcome="convene")
    assert found == {"date": ["The decision comes on or after the conference"]}
    known = facts(lpm_conferences={"3": dt.date(2027, 1, 4)})
    found = refusals(
        "lpm_decision",
        known,
        date=FRI_8_JAN,
        conference="3",
        outcome="not_convene",
        lpm_date=dt.date(2027, 1, 20),
    )
    assert found == {"lpm_date": ["No Legal Planning Meeting is held: leave the date empty"]}
