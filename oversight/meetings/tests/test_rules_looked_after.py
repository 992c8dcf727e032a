"""The rules of looked-after children's records, as plain functions (no form, no database): the
review, its record issued, and the IRO's details, visits and handover. Today is Fri 2027-01-08."""

from __future__ import annotations

import datetime as dt
from typing import Any

from oversight.cases.constants import Role
from oversight.meetings import rules
from oversight.meetings.constants import SCHEDULE_7
from oversight.meetings.rules import PastReview, PlacementFact
from oversight.meetings.tests.conftest import episode, facts, numbers, refusals, staff

FRI_8_JAN = dt.date(2027, 1, 8)
LOOKED_AFTER = facts(periods=(episode(dt.date(2025, 6, 2)),))
# placed on Mon 2 June 2025, intended to last until 18: long-term for more than a year by the
# review of Fri 8 January 2027
LONG_TERM = (PlacementFact(dt.date(2025, 6, 2), None, until_18=True),)
ANNA_IRO = staff(1, "Anna Okafor", Role.IRO)
BEN_IRO = staff(2, "Ben Ashworth", Role.IRO)


def review(**overrides: Any) -> dict[str, Any]:
    """A complete looked-after review on Fri 2027-01-08, in the placement."""
    values: dict[str, Any] = {"date": FRI_8_JAN, "venue": "placement"}
    values.update({f"s7_{key}": "Discussed" for key, _ in SCHEDULE_7})
    values.update(overrides)
    return values


def test_it_allows_a_complete_review():
    assert refusals("lac_review", LOOKED_AFTER, **review()) == {}


def test_it_asks_a_review_elsewhere_when_the_child_was_seen_in_the_placement():
    found = refusals("lac_review", LOOKED_AFTER, **review(venue="elsewhere"))
    assert found == {"seen_in_placement": ["Give the date the IRO saw the child in the placement"]}


def test_it_asks_an_adjourned_review_only_why():
    found = refusals("lac_review", LOOKED_AFTER, date=FRI_8_JAN, venue="placement", adjourned=True)
    # no Schedule 7 notes are asked of a review that did not take place
    assert found == {"adjourned_reason": ["Say why the review was adjourned"]}


def test_it_asks_for_the_checklist_except_what_applies_later():
    found = refusals("lac_review", LOOKED_AFTER, **review(s7_health="", s7_permanence=""))
    assert found == {"s7_health": ["Write a note on: health"]}


def test_it_refuses_two_reviews_without_a_meeting_within_a_year():
    # Walsall: a meeting at least every 12 months; a review without a meeting on Mon 2026-07-06,
    # 6 months before
    known = facts(
        numbers=numbers("walsall"),
        placements=LONG_TERM,
        lac_reviews=(
            PastReview(dt.date(2026, 1, 5), adjourned=False, without_meeting=False),
            PastReview(dt.date(2026, 7, 6), adjourned=False, without_meeting=True),
        ),
    )
    found = refusals(
        "lac_review", known, **review(without_meeting=True, without_meeting_consultation="Carer")
    )
    assert found == {
        "without_meeting": [
            "The review on Mon 6 July 2026 was held without a meeting: never more than 12 months "
            "without one, so this review needs a meeting"
        ]
    }


def test_it_refuses_a_review_without_a_meeting_when_none_in_the_year_before_had_one():
    # Walsall: the only review with a meeting was on Thu 2026-01-08, exactly 12 months before:
    # not within them; an adjourned review on Mon 2026-07-06 does not count
    known = facts(
        numbers=numbers("walsall"),
        placements=LONG_TERM,
        lac_reviews=(
            PastReview(dt.date(2026, 1, 8), adjourned=False, without_meeting=False),
            PastReview(dt.date(2026, 7, 6), adjourned=True, without_meeting=False),
        ),
    )
    found = refusals(
        "lac_review", known, **review(without_meeting=True, without_meeting_consultation="Carer")
    )
    assert found["without_meeting"] == [
        "No review in the 12 months before this one had a meeting: there must be a meeting at "
        "least every 12 months"
    ]
    # one with a meeting on Fri 2026-01-09, within the 12 months: allowed
    known = facts(
        numbers=numbers("walsall"),
        placements=LONG_TERM,
        lac_reviews=(PastReview(dt.date(2026, 1, 9), False, False),),
    )
    assert not refusals(
        "lac_review", known, **review(without_meeting=True, without_meeting_consultation="Carer")
    )


def test_after_a_review_without_a_meeting_the_next_meets_within_a_year_of_the_last_that_did():
    from oversight.meetings.rules.looked_after import meeting_needed_by

    # Walsall: the last review with a meeting on Thu 29 February 2024, 12 months on as the engine
    # counts a month: Fri 28 February 2025; an adjourned review, a review without a meeting and
    # a review after the one shown do not count
    reviews = (
        PastReview(dt.date(2023, 9, 1), adjourned=False, without_meeting=False),
        PastReview(dt.date(2024, 2, 29), adjourned=False, without_meeting=False),
        PastReview(dt.date(2024, 6, 3), adjourned=True, without_meeting=False),
        PastReview(dt.date(2024, 8, 28), adjourned=False, without_meeting=True),
        PastReview(dt.date(2025, 2, 3), adjourned=False, without_meeting=False),
    )
    walsall = facts(numbers=numbers("walsall"), lac_reviews=reviews)
    assert meeting_needed_by(walsall, dt.date(2024, 8, 28)) == dt.date(2025, 2, 28)
    # a pack with no such limit (England) gives none
    assert meeting_needed_by(facts(lac_reviews=reviews), dt.date(2024, 8, 28)) is None


def test_it_wants_a_long_term_placement_of_more_than_a_year_for_a_review_without_a_meeting():
    held = (PastReview(dt.date(2026, 7, 6), False, False),)
    without = review(without_meeting=True, without_meeting_consultation="Carer")
    cases = [
        # placed Thu 8 January 2026: a year to the day on the review, not more
        (PlacementFact(dt.date(2026, 1, 8), None, until_18=True), False),
        # placed Wed 7 January 2026: more than a year
        (PlacementFact(dt.date(2026, 1, 7), None, until_18=True), True),
        # more than a year, but not meant to last until 18
        (PlacementFact(dt.date(2025, 6, 2), None, until_18=False), False),
        # long-term, but ended Mon 4 January 2027, before the review
        (PlacementFact(dt.date(2025, 6, 2), dt.date(2027, 1, 4), until_18=True), False),
    ]
    for placement, allowed in cases:
        known = facts(numbers=numbers("walsall"), placements=(placement,), lac_reviews=held)
        assert (not refusals("lac_review", known, **without)) is allowed, placement


def test_it_asks_a_late_review_for_the_group_managers_agreement():
    # a review was due on Thu 2027-01-07 and is not met: the review on Fri 2027-01-08 is late
    found = refusals("lac_review", facts(reviews_due=(dt.date(2027, 1, 7),)), **review())
    assert found == {
        "group_manager_agreement": [
            "This review is outside its timescale: record the group manager's agreement"
        ]
    }
    # due on the day of the review: in time
    assert not refusals("lac_review", facts(reviews_due=(FRI_8_JAN,)), **review())


def test_it_refuses_a_reviews_dates_out_of_order():
    found = refusals(
        "lac_review",
        **review(
            date=dt.date(2027, 1, 6),  # Wed 2027-01-06
            sw_consulted=dt.date(2027, 1, 7),  # Thu: after the review
            decisions_issued=dt.date(2027, 1, 5),  # Tue: before the review
            record_issued=dt.date(2027, 1, 11),  # Mon: in the future
        ),
    )
    assert found == {
        "sw_consulted": ["This must be on or before the review"],
        "decisions_issued": ["This must be on or after the review, and not in the future"],
        "record_issued": ["This must be on or after the review, and not in the future"],
    }


def test_it_keeps_only_the_next_booking_of_an_adjourned_review():
    record = rules.Record(
        "lac_review",
        review(
            adjourned=True,
            action_1_text="Update the care plan",
            action_1_due=dt.date(2027, 1, 22),
            next_review=dt.date(2027, 1, 29),
        ),
    )
    written = rules.planned(record, facts(), "m4")
    assert [(p.type, p.data) for p in written] == [
        ("lac_review", {"adjourned": True}),
        ("meeting_booked", {"meeting": "lac_review", "on": "2027-01-29"}),
    ]


def test_it_asks_for_the_review_record_issued_and_refuses_it_in_the_future():
    found = refusals("review_issued", date=dt.date(2027, 1, 4))
    assert found == {"decisions_issued": ["Give the date the decisions or the record were issued"]}
    found = refusals("review_issued", date=dt.date(2027, 1, 4), record_issued=dt.date(2027, 1, 11))
    assert found == {"record_issued": ["The date must be today or in the past"]}


def test_it_refuses_the_iros_records_for_a_child_not_looked_after():
    found = refusals("iro_details_sent", date=FRI_8_JAN, how="letter")
    assert found == {
        "date": [
            "The child is not looked after on this date: the IRO's details go to a looked-after child"
        ]
    }
    found = refusals("iro_visit", date=FRI_8_JAN, seen_alone="yes")
    assert list(found) == ["date"]


def test_it_refuses_a_visit_recorded_before_it_or_in_the_future():
    # visited Wed 2027-01-06, recorded Tue 2027-01-05
    found = refusals(
        "iro_visit", LOOKED_AFTER, date=dt.date(2027, 1, 6), recorded_on=dt.date(2027, 1, 5)
    )
    assert found == {"recorded_on": ["This must be on or after the visit, and not in the future"]}


def test_it_asks_for_the_visit_to_be_recorded_within_5_working_days():
    record = rules.Record("iro_visit", {"date": FRI_8_JAN, "recorded_on": dt.date(2027, 1, 12)})
    # Walsall's numbers.iro_visit_record: 5 working days
    action, done = rules.planned(record, facts(numbers=numbers("walsall")), "m9")
    # visited Fri 2027-01-08: recorded by Fri 2027-01-15
    assert (action.type, action.data["due"], action.data["action"]) == (
        "action_set",
        "2027-01-15",
        "m9-record",
    )
    # recorded Tue 2027-01-12: the action is done that day
    assert (done.type, done.date, done.data) == (
        "action_done",
        dt.date(2027, 1, 12),
        {"action": "m9-record"},
    )


def test_it_refuses_a_handover_to_an_iro_who_is_not_the_childs_now():
    found = refusals(
        "iro_handover", facts(iro=ANNA_IRO), date=FRI_8_JAN, new_iro=BEN_IRO, introduced="yes"
    )
    assert found == {
        "new_iro": ["Ben Ashworth is not this child's IRO: reallocate on the Allocation page first"]
    }
    found = refusals(
        "iro_handover", facts(iro=BEN_IRO), date=FRI_8_JAN, new_iro=BEN_IRO, introduced="no"
    )
    assert found == {"not_introduced_reason": ["Say why not, and how the child was told"]}


def test_it_counts_walsalls_visit_record_across_the_may_bank_holiday():
    # visited Wed 2027-04-28: Thu 29, Fri 30 April, (Mon 3 May the early May bank holiday)
    # Tue 4, Wed 5, Thu 6 May
    record = rules.Record("iro_visit", {"date": dt.date(2027, 4, 28)})
    (action,) = rules.planned(record, facts(numbers=numbers("walsall")), "m9")
    assert action.data["due"] == "2027-05-06"  # Thu 2027-05-06


def test_it_sets_no_visit_record_action_under_a_pack_without_the_number():
    # england (the IRO Handbook sets no time for the record of a visit): the visit is recorded,
    # and nothing falls due
    record = rules.Record("iro_visit", {"date": FRI_8_JAN})
    assert rules.planned(record, facts(numbers=numbers("england")), "m9") == []


def test_it_allows_reviews_without_a_meeting_under_a_pack_without_the_yearly_meeting():
    # england: no review had a meeting in the year before Fri 2027-01-08, and no limit applies
    known = facts(
        numbers=numbers("england"),
        lac_reviews=(PastReview(dt.date(2026, 7, 6), adjourned=False, without_meeting=True),),
    )
    assert not refusals(
        "lac_review", known, **review(without_meeting=True, without_meeting_consultation="Carer")
    )
