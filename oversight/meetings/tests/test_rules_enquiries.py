"""The rules of records before a plan, as plain functions (no form, no database): strategy
meetings, section 47 outcomes and Stockport's consultation. Today is Fri 2027-01-08."""

from __future__ import annotations

import datetime as dt

from oversight.meetings import rules
from oversight.meetings.tests.conftest import facts, numbers, refusals

FRI_8_JAN = dt.date(2027, 1, 8)
THU_7_JAN = dt.date(2027, 1, 7)


def test_it_asks_an_exploitation_meeting_for_its_rating_and_a_complex_case_why():
    found = refusals("strategy", date=FRI_8_JAN, meeting_type="exploitation")
    assert found == {"rag": ["Give the exploitation RAG rating"]}
    found = refusals("strategy", date=FRI_8_JAN, meeting_type="complex")
    assert found == {"complex_reason": ["Say why the case is complex"]}


def test_it_sets_the_icpc_deadline_only_from_a_section_47_strategy_discussion():
    def written(meeting_type: str) -> list[str]:
        record = rules.Record("strategy", {"date": FRI_8_JAN, "meeting_type": meeting_type})
        return [p.type for p in rules.planned(record, facts(), "m1")]

    assert written("s47") == ["strategy_discussion"]
    assert written("lado") == []  # a LADO meeting chaired by an IRO sets no ICPC deadline


def test_it_asks_a_section_47_outcome_for_the_booking_or_the_reason():
    found = refusals("s47_outcome", facts(iro=None), date=FRI_8_JAN, outcome="not_required")
    assert found == {"reason": ["Give the reason no conference is needed"]}
    found = refusals("s47_outcome", facts(iro=None), date=FRI_8_JAN, outcome="icpc")
    # no conference booked, and no IRO to chair it
    assert list(found) == ["chair", "icpc_on"]
    assert found["icpc_on"] == ["Book the initial conference"]


def consultation(**values):
    return {
        "date": FRI_8_JAN,
        "requested_on": FRI_8_JAN,
        "iro_recommendation": "tac",
        "team_decision": "tac",
        "outcome": "tac",
        **values,
    }


def test_it_refuses_a_consultation_requested_after_it_and_asks_why_a_later_day():
    # requested Sat 2027-01-09, after the discussion on Fri 2027-01-08
    found = refusals("consultation", **consultation(requested_on=dt.date(2027, 1, 9)))
    assert found == {"requested_on": ["The request comes on or before the discussion"]}
    # Stockport: requested Thu 2027-01-07, the discussion should have been the same working day
    stockport = facts(numbers=numbers("stockport"))
    found = refusals("consultation", stockport, **consultation(requested_on=THU_7_JAN))
    assert found == {"not_same_day": ["The discussion should be the same working day: say why not"]}
    assert not refusals(
        "consultation", stockport, **consultation(requested_on=THU_7_JAN, not_same_day="Ill")
    )


def test_it_asks_no_reason_for_a_later_day_under_a_pack_without_the_same_day_rule():
    # england (Camden, Walsall too): requested Thu 2027-01-07, discussed Fri 2027-01-08
    england = facts(numbers=numbers("england"))
    assert not refusals("consultation", england, **consultation(requested_on=THU_7_JAN))


def test_it_refuses_an_outcome_the_recommendation_and_decision_do_not_give():
    found = refusals("consultation", **consultation(team_decision="icpc"))
    assert found == {"outcome": ["A TAC outcome needs the IRO and the team to agree on TAC"]}
    found = refusals(
        "consultation",
        **consultation(
            iro_recommendation="icpc", team_decision="icpc", outcome="disagree_threshold"
        ),
    )
    assert found == {
        "outcome": [
            "A threshold disagreement is the team deciding on an ICPC that the IRO did not "
            "recommend"
        ]
    }
    assert not refusals(
        "consultation", **consultation(team_decision="icpc", outcome="disagree_threshold")
    )


def test_it_asks_a_weak_or_late_judgement_of_a_consultation_what_should_change():
    def refused(quality: str, timely: bool | None, comments: str = "") -> dict:
        return rules.check_judgement(quality, timely, comments).as_dict()

    assert refused("inadequate", True) == {"comments": ["Say what should change"]}
    assert refused("good", False) == {"comments": ["Say what should change"]}
    assert refused("requires_improvement", True, "Read the chronology first") == {}
    assert refused("adequate", True) == {}
    # not yet answered whether it was timely: the form asks that, not this rule
    assert refused("good", None) == {}
