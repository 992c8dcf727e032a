"""Each pack's distinctive rules through the engine, with literal dates.

Working days skip weekends and England & Wales bank holidays: in 2027 the spring bank holiday is
Mon 31 May, and Christmas Day and Boxing Day fall on Sat 25 and Sun 26 December, so Mon 27 and
Tue 28 December are the substitute bank holidays."""

from __future__ import annotations

from datetime import date
from typing import Any

import orjson
import pytest

from oversight.policies import load_pack, resolve_policy
from oversight.timescales.engine import evaluate
from oversight.timescales.events import InputError
from oversight.timescales.output import dumps


def run(pack: str, events: list[dict[str, Any]], as_of: str = "2027-12-31") -> list[dict[str, Any]]:
    """The obligations as `oversight timescales` writes them (dates as the contract's text)."""
    result = evaluate(events, resolve_policy(pack), date.fromisoformat(as_of))
    return orjson.loads(dumps({}, result))["obligations"]


def only(obligations: list[dict[str, Any]], code: str) -> list[dict[str, Any]]:
    return [o for o in obligations if o["code"] == code]


def brief(obligation: dict[str, Any]) -> tuple[str, str, str | None]:
    return obligation["due"], obligation["status"], obligation["met_on"]


# Camden ------------------------------------------------------------------------------------


def test_it_gives_camden_informal_stage_10_working_days_across_the_bank_holiday() -> None:
    thursday_20_may = "2027-05-20"
    found = run("camden", [{"type": "concern_raised", "date": thursday_20_may, "concern": "c1"}])
    # 10 working days, skipping Mon 31 May: Fri 4 June.
    assert [brief(o) for o in only(found, "esc.informal.response")] == [
        ("2027-06-04", "overdue", None)
    ]


def test_it_gives_camden_a_further_10_working_days_after_the_warning() -> None:
    found = run(
        "camden",
        [
            {"type": "concern_raised", "date": "2027-05-20", "concern": "c1"},  # Thu
            {"type": "concern_warning", "date": "2027-06-04", "concern": "c1"},  # Fri
            {"type": "escalation_notice", "date": "2027-06-18", "concern": "c1", "stage": 1},
        ],
    )
    # The warning on Fri 4 June answers the informal stage on its due day.
    assert [brief(o) for o in only(found, "esc.informal.response")] == [
        ("2027-06-04", "met", "2027-06-04")
    ]
    # A further 10 working days from Fri 4 June: Fri 18 June, met by the stage 1 notice that day.
    assert [brief(o) for o in only(found, "esc.informal.final")] == [
        ("2027-06-18", "met", "2027-06-18")
    ]


def test_it_gives_camden_stage_1_five_working_days() -> None:
    found = run(
        "camden",
        [
            {"type": "escalation_notice", "date": "2027-06-21", "concern": "c1", "stage": 1},
            {"type": "escalation_response", "date": "2027-06-24", "concern": "c1", "stage": 1,
             "accepted": True},
        ],
    )  # fmt: skip
    # Mon 21 June + 5 working days: Mon 28 June; answered Thu 24 June.
    assert [brief(o) for o in only(found, "esc.stage.response")] == [
        ("2027-06-28", "met", "2027-06-24")
    ]
    assert only(found, "esc.total") == []  # Camden's ladder has no overall limit


def test_it_skips_the_christmas_2027_substitute_days_in_camden() -> None:
    wednesday_22_december = "2027-12-22"
    found = run(
        "camden",
        [{"type": "escalation_notice", "date": wednesday_22_december, "stage": 1}],
        as_of="2027-12-22",
    )
    # Thu 23, Fri 24 (Christmas Eve works), Mon 27 and Tue 28 are bank holidays, Wed 29,
    # Thu 30, Fri 31 December.
    assert [brief(o) for o in only(found, "esc.stage.response")] == [
        ("2027-12-31", "pending", None)
    ]


def test_it_keeps_a_shorter_deadline_set_for_camden_stage_1() -> None:
    found = run(
        "camden",
        [
            {
                "type": "escalation_notice",
                "date": "2027-06-21",
                "stage": 1,
                "respond_by": "2027-06-23",
            }
        ],
    )
    assert [o["due"] for o in only(found, "esc.stage.response")] == ["2027-06-23"]  # Wed


def test_it_numbers_camden_stages_by_position_including_both_stage_3_rows() -> None:
    policy = resolve_policy("camden")
    assert [s.label for s in policy.ladders["default"].stages] == [
        "Stage 1", "Stage 2", "Stage 3", "Stage 3", "Stage 4",
    ]  # fmt: skip
    found = run("camden", [{"type": "escalation_notice", "date": "2027-06-21", "stage": 5}])
    assert [o["due"] for o in only(found, "esc.stage.response")] == ["2027-06-28"]  # Mon
    with pytest.raises(InputError):
        run("camden", [{"type": "escalation_notice", "date": "2027-06-21", "stage": 6}])


# Walsall -----------------------------------------------------------------------------------

WALSALL_REVIEWS = [
    {"type": "lac_start", "date": "2027-06-07"},  # Mon
    {"type": "lac_review", "date": "2027-06-25"},  # Fri: the first review
    {"type": "lac_review", "date": "2027-08-31"},  # Tue: the second review
]


def test_it_counts_walsall_second_review_in_91_days() -> None:
    found = run("walsall", WALSALL_REVIEWS, as_of="2027-09-01")
    # Fri 25 June + 91 days: Fri 24 September (3 months would be Sat 25 September).
    assert [brief(o) for o in only(found, "lac.review.second")] == [
        ("2027-09-24", "met", "2027-08-31")
    ]


def test_it_counts_walsall_later_reviews_in_183_days() -> None:
    found = run("walsall", WALSALL_REVIEWS, as_of="2027-09-01")
    # Tue 31 August 2027 + 183 days: Wed 1 March 2028 (6 months would be Tue 29 February).
    assert [brief(o) for o in only(found, "lac.review.next")] == [("2028-03-01", "pending", None)]
    # The first review: 20 working days from Mon 7 June, Mon 5 July.
    assert [brief(o) for o in only(found, "lac.review.first")] == [
        ("2027-07-05", "met", "2027-06-25")
    ]


# The initial review booked on Tue 5 Jan 2027 for Fri 29 Jan; at it, the second booked for
# Thu 29 April; the social worker consulted on Wed 6 Jan and on Tue 6 April.
WALSALL_BOOKINGS = [
    {"type": "lac_start", "date": "2027-01-04"},  # Mon
    {"type": "meeting_booked", "date": "2027-01-05", "meeting": "lac_review", "on": "2027-01-29"},
    {"type": "sw_consulted", "date": "2027-01-06"},  # Wed
    {"type": "lac_review", "date": "2027-01-29"},  # Fri: the initial review
    {"type": "meeting_booked", "date": "2027-01-29", "meeting": "lac_review", "on": "2027-04-29"},
    {"type": "sw_consulted", "date": "2027-04-06"},  # Tue
]


def test_it_consults_the_walsall_social_worker_from_the_second_review_on() -> None:
    found = run("walsall", WALSALL_BOOKINGS, as_of="2027-05-03")
    # None for the initial review of Fri 29 January. For the second, Thu 29 April: 15 working
    # days before is Thu 8 April (Easter Monday, 29 March, is earlier), met Tue 6 April.
    assert [(o["trigger"]["on"], *brief(o)) for o in only(found, "lac.review.sw_consultation")] == [
        ("2027-04-29", "2027-04-08", "met", "2027-04-06")
    ]


def test_it_consults_the_social_worker_before_the_first_review_too_under_england() -> None:
    found = run("england", WALSALL_BOOKINGS, as_of="2027-05-03")
    # Fri 29 January less 15 working days: Fri 8 January, met Wed 6 January.
    assert [(o["trigger"]["on"], *brief(o)) for o in only(found, "lac.review.sw_consultation")] == [
        ("2027-01-29", "2027-01-08", "met", "2027-01-06"),
        ("2027-04-29", "2027-04-08", "met", "2027-04-06"),
    ]


# The second review booked for Wed 31 March 2027; the IRO saw the child in private on Thu 25
# March, the day before Good Friday (Fri 26 March; Easter Monday Mon 29 March).
WALSALL_SEEN: list[dict[str, Any]] = [
    {"type": "lac_start", "date": "2027-01-04"},  # Mon
    {"type": "meeting_booked", "date": "2027-01-05", "meeting": "lac_review", "on": "2027-01-29"},
    {"type": "lac_review", "date": "2027-01-29"},  # Fri: the initial review, no conversation
    {"type": "meeting_booked", "date": "2027-01-29", "meeting": "lac_review", "on": "2027-03-31"},
    {"type": "chair_child_discussion", "date": "2027-03-25", "meeting": "lac_review"},  # Thu
]


def test_it_wants_walsalls_child_seen_in_private_before_every_review() -> None:
    found = run("walsall", WALSALL_SEEN, as_of="2027-03-31")
    # Before the initial review (Fri 29 January) nobody saw the child: met late (as a `before`
    # rule is) by the conversation of Thu 25 March; before the second (Wed 31 March) on time.
    seen = only(found, "lac.review.child_seen")
    assert [(o["trigger"]["on"], *brief(o), o["on_time"]) for o in seen] == [
        ("2027-01-29", "2027-01-29", "met", "2027-03-25", False),
        ("2027-03-31", "2027-03-31", "met", "2027-03-25", True),
    ]
    # and that conversation recorded within 5 working days: Good Friday and Easter Monday
    # skipped, Mon 5 April
    assert [brief(o) for o in only(found, "cp.child_discussion.record")] == [
        ("2027-04-05", "pending", None)
    ]


# Looked after from Mon 19 April 2027; the IRO appointed on Tue 20 April and changed on Tue 27
# April (the early May bank holiday is Mon 3 May).
WALSALL_IROS: list[dict[str, Any]] = [
    {"type": "lac_start", "date": "2027-04-19"},
    {"type": "iro_allocated", "date": "2027-04-20"},
    {"type": "iro_details_sent", "date": "2027-04-27"},  # Tue, 6 working days on
    {"type": "iro_allocated", "date": "2027-04-27", "reallocated": True},
]


def test_it_wants_walsalls_iro_details_sent_and_the_new_iro_introduced() -> None:
    found = run("walsall", WALSALL_IROS, as_of="2027-05-06")
    # Mon 19 April + 5 working days: Mon 26 April; sent Tue 27 April, a day late
    assert [(*brief(o), o["on_time"]) for o in only(found, "lac.iro.details")] == [
        ("2027-04-26", "met", "2027-04-27", False)
    ]
    # the change of Tue 27 April + 5 working days, Mon 3 May skipped: Wed 5 May, overdue on the
    # Thursday; the first appointment (not a change) wants no introduction
    assert [brief(o) for o in only(found, "lac.iro.handover")] == [("2027-05-05", "overdue", None)]
    handed = [*WALSALL_IROS, {"type": "iro_handover", "date": "2027-04-30", "introduced": "yes"}]
    assert [brief(o) for o in only(run("walsall", handed, "2027-05-06"), "lac.iro.handover")] == [
        ("2027-05-05", "met", "2027-04-30")
    ]


def test_it_wants_no_iro_details_or_introduction_under_england() -> None:
    found = run("england", WALSALL_IROS, as_of="2027-05-06")
    assert only(found, "lac.iro.details") == only(found, "lac.iro.handover") == []


def test_it_wants_no_private_conversation_before_a_review_under_england() -> None:
    assert only(run("england", WALSALL_SEEN, as_of="2027-03-31"), "lac.review.child_seen") == []


def test_it_gives_walsall_iro_ladder_six_stages_and_stage_6_no_deadline() -> None:
    ladder = resolve_policy("walsall").ladders["iro"]
    assert len(ladder.stages) == 6
    assert [s.response is None for s in ladder.stages] == [False] * 5 + [True]
    found = run(
        "walsall",
        [{"type": "escalation_notice", "date": "2027-06-07", "stage": 6, "ladder": "iro"}],
    )
    assert only(found, "esc.stage.response") == []  # Cafcass and legal advice: no deadline
    # The IRO ladder keeps the Handbook's total: Mon 7 June + 20 working days, Mon 5 July.
    assert [o["due"] for o in only(found, "esc.total")] == ["2027-07-05"]


def test_it_runs_walsall_stage_5_in_5_working_days() -> None:
    found = run("walsall", [{"type": "escalation_notice", "date": "2027-06-07", "stage": 5}])
    assert [o["due"] for o in only(found, "esc.stage.response")] == ["2027-06-14"]  # Mon


def test_it_runs_the_walsall_conference_chairs_ladder() -> None:
    found = run(
        "walsall",
        [
            {"type": "concern_raised", "date": "2027-06-07", "ladder": "cp"},  # Mon
            {"type": "escalation_notice", "date": "2027-06-15", "stage": 1},  # Tue
            {"type": "escalation_notice", "date": "2027-06-23", "stage": 2},  # Wed
        ],
    )
    assert [o["due"] for o in only(found, "esc.informal.response")] == ["2027-06-14"]  # Mon
    # Stage 1 (Tue 15 June + 5 working days, Tue 22 June); stage 2 has no response time.
    assert [o["due"] for o in only(found, "esc.stage.response")] == ["2027-06-22"]
    assert only(found, "esc.total") == []
    with pytest.raises(InputError):
        run("walsall", [{"type": "escalation_notice", "date": "2027-06-07", "stage": 3,
                         "ladder": "cp"}])  # fmt: skip


# Leicestershire ----------------------------------------------------------------------------


def test_it_gives_leicestershire_20_working_days_from_the_first_notice() -> None:
    found = run(
        "leicestershire",
        [
            {"type": "escalation_notice", "date": "2027-06-07", "stage": 1},  # Mon
            {"type": "escalation_notice", "date": "2027-06-14", "stage": 2},  # Mon
            {"type": "concern_resolved", "date": "2027-07-02"},  # Fri
        ],
    )
    # Mon 7 June + 20 working days: Mon 5 July; resolved Fri 2 July.
    assert [brief(o) for o in only(found, "esc.total")] == [("2027-07-05", "met", "2027-07-02")]


def test_it_lets_leicestershire_bypass_to_stage_3() -> None:
    found = run("leicestershire", [{"type": "escalation_notice", "date": "2027-06-07", "stage": 3}])
    assert [o["due"] for o in only(found, "esc.stage.response")] == ["2027-06-14"]  # Mon
    assert [o["due"] for o in only(found, "esc.total")] == ["2027-07-05"]  # Mon


def test_it_gives_leicestershire_positive_challenge_5_working_days() -> None:
    found = run("leicestershire", [{"type": "concern_raised", "date": "2027-05-20"}])  # Thu
    assert [o["due"] for o in only(found, "esc.informal.response")] == ["2027-05-27"]  # Thu


def test_it_gives_the_leicestershire_cafcass_stage_no_deadline() -> None:
    found = run("leicestershire", [{"type": "escalation_notice", "date": "2027-06-07", "stage": 5}])
    assert only(found, "esc.stage.response") == []


# Manchester --------------------------------------------------------------------------------


def test_it_gives_manchester_five_stages_and_stage_5_no_deadline() -> None:
    events = [
        {"type": "escalation_notice", "date": day, "stage": stage}
        for stage, day in enumerate(
            ["2027-06-07", "2027-06-14", "2027-06-21", "2027-06-28", "2027-07-05"], start=1
        )
    ]  # each a Monday
    found = run("manchester", events)
    # Stages 1 to 4 answered in 5 working days (each met by the next stage's notice);
    # stage 5, the Director, has none.
    assert [brief(o) for o in only(found, "esc.stage.response")] == [
        ("2027-06-14", "met", "2027-06-14"),
        ("2027-06-21", "met", "2027-06-21"),
        ("2027-06-28", "met", "2027-06-28"),
        ("2027-07-05", "met", "2027-07-05"),
    ]
    with pytest.raises(InputError):
        run("manchester", [{"type": "escalation_notice", "date": "2027-06-07", "stage": 6}])


def test_it_prompts_the_manchester_iro_team_manager_after_5_working_days() -> None:
    found = run(
        "manchester",
        [{"type": "escalation_notice", "date": "2027-03-01", "stage": 1}],  # Mon
        as_of="2027-03-09",
    )
    # No answer by Mon 8 March: overdue, the IRO team manager's prompt to decide on stage 2.
    assert [brief(o) for o in only(found, "esc.stage.response")] == [
        ("2027-03-08", "overdue", None)
    ]
    prompt = load_pack("manchester").ladders["default"].stages[0].on_no_response
    assert prompt is not None
    assert (prompt.action, prompt.role, prompt.after) == (
        "prompt",
        "iro_team_manager",
        "5 working days",
    )


def test_it_wants_manchester_action_plan_within_5_working_days_of_the_recommendation() -> None:
    found = run(
        "manchester",
        [
            {"type": "escalation_notice", "date": "2027-03-09", "stage": 1},  # Tue
            {"type": "escalation_response", "date": "2027-03-12", "stage": 1, "accepted": True},
            {"type": "action_set", "date": "2027-03-15", "action": "plan", "due": "2027-04-01"},
        ],
        as_of="2027-03-22",
    )
    # Issued Tue 9 March, accepted Fri 12 March: the plan is due Tue 16 March (5 working days
    # from the recommendation, not Fri 19 March from the acceptance), agreed Mon 15 March.
    assert [brief(o) for o in only(found, "esc.action_plan")] == [
        ("2027-03-16", "met", "2027-03-15")
    ]
    assert only(found, "esc.action_plan")[0]["trigger"]["type"] == "escalation_notice"


def test_it_counts_the_manchester_action_plan_over_christmas_and_new_year() -> None:
    found = run(
        "manchester",
        [
            {"type": "escalation_notice", "date": "2026-12-24", "concern": "c1", "stage": 1},  # Thu
            {"type": "escalation_response", "date": "2026-12-29", "concern": "c1", "stage": 1,
             "accepted": True},  # Tue
            {"type": "action_set", "date": "2027-01-04", "concern": "c1", "action": "c1-1",
             "due": "2027-02-01"},  # Mon
        ],
        as_of="2027-01-08",
    )  # fmt: skip
    # From Thu 24 Dec 2026, skipping Fri 25 (Christmas), Mon 28 (Boxing Day's substitute) and
    # Fri 1 Jan (New Year's Day): Tue 29, Wed 30, Thu 31 Dec, Mon 4, Tue 5 Jan 2027.
    [plan] = only(found, "esc.action_plan")
    assert (plan["due"], plan["status"], plan["met_on"], plan["on_time"]) == (
        "2027-01-05",
        "met",
        "2027-01-04",
        True,
    )


def test_it_meets_the_manchester_action_plan_only_by_that_concerns_own_plan() -> None:
    events: list[dict[str, Any]] = [
        {"type": "escalation_notice", "date": "2026-12-24", "concern": "c1", "stage": 1},  # Thu
        {"type": "escalation_response", "date": "2026-12-29", "concern": "c1", "stage": 1,
         "accepted": True},  # Tue
        # Another concern's action plan, Wed 30 Dec, and a review decision, Thu 31 Dec: neither
        # is c1's plan.
        {"type": "action_set", "date": "2026-12-30", "concern": "c2", "action": "c2-1",
         "due": "2027-01-29"},
        {"type": "action_set", "date": "2026-12-31", "action": "review-1", "due": "2027-02-26"},
    ]  # fmt: skip
    found = run("manchester", events, as_of="2027-01-06")  # Wed
    assert [brief(o) for o in only(found, "esc.action_plan")] == [("2027-01-05", "overdue", None)]
    # c1's own plan, agreed Wed 6 Jan, meets it a day late.
    own = {"type": "action_set", "date": "2027-01-06", "concern": "c1", "action": "c1-1",
           "due": "2027-02-01"}  # fmt: skip
    [plan] = only(run("manchester", [*events, own], as_of="2027-01-08"), "esc.action_plan")
    assert (plan["due"], plan["status"], plan["met_on"], plan["on_time"]) == (
        "2027-01-05",
        "met",
        "2027-01-06",
        False,
    )


def test_it_wants_the_manchester_action_plan_late_when_accepted_after_5_working_days() -> None:
    found = run(
        "manchester",
        [
            {"type": "escalation_notice", "date": "2027-03-01", "stage": 1},  # Mon
            {"type": "escalation_response", "date": "2027-03-09", "stage": 1, "accepted": True},
        ],
        as_of="2027-03-10",
    )
    # Accepted Tue 9 March, a day after the plan was due (Mon 8 March): already overdue.
    assert [brief(o) for o in only(found, "esc.action_plan")] == [("2027-03-08", "overdue", None)]


def test_it_wants_no_manchester_action_plan_when_the_recommendation_is_refused() -> None:
    found = run(
        "manchester",
        [
            {"type": "escalation_notice", "date": "2027-03-01", "stage": 1},
            {"type": "escalation_response", "date": "2027-03-02", "stage": 1, "accepted": False},
        ],
    )
    assert only(found, "esc.action_plan") == []


# Stockport ---------------------------------------------------------------------------------


def test_it_gives_stockport_threshold_disagreement_24_hours() -> None:
    found = run(
        "stockport",
        [
            {"type": "consultation", "date": "2027-03-01", "time": "14:30",
             "outcome": "disagree_threshold"},  # Mon 14:30
            {"type": "service_leader_decision", "date": "2027-03-02", "time": "10:00"},
        ],
    )  # fmt: skip
    assert [brief(o) for o in only(found, "consult.threshold")] == [
        ("2027-03-02T14:30", "met", "2027-03-02")
    ]


def test_it_counts_stockport_24_hours_through_the_weekend() -> None:
    found = run(
        "stockport",
        [
            {
                "type": "consultation",
                "date": "2027-03-05",
                "time": "16:00",
                "outcome": "disagree_threshold",
            }
        ],
        as_of="2027-03-05",
    )  # Fri 16:00 + 24 hours: Sat 16:00, clock hours as written
    assert [o["due"] for o in only(found, "consult.threshold")] == ["2027-03-06T16:00"]


def test_it_wants_the_stockport_tac_chaired_by_the_iro_within_15_working_days() -> None:
    found = run(
        "stockport",
        [
            {"type": "consultation", "date": "2027-03-03", "outcome": "tac"},  # Wed
            {"type": "tac_meeting", "date": "2027-03-10", "chair": "other"},  # not the IRO
            {"type": "tac_meeting", "date": "2027-03-19", "chair": "iro"},  # Fri
        ],
    )
    # Wed 3 March + 15 working days: Wed 24 March; the IRO chaired it on Fri 19 March.
    assert [brief(o) for o in only(found, "consult.tac")] == [("2027-03-24", "met", "2027-03-19")]


WALSALL_RECORD = [
    {"type": "lac_start", "date": "2026-11-19"},
    {"type": "lac_review", "date": "2026-12-17"},  # Thu
    {"type": "review_decisions_issued", "date": "2026-12-24"},  # Thu, Christmas Eve
    {"type": "review_record_issued", "date": "2027-01-07"},  # Thu
]


def test_it_wants_walsalls_review_record_in_20_days_or_15_days_after_the_decisions() -> None:
    # Seed 002, 5.2, in days as written: Thu 17 December + 20 days is Wed 6 January; the
    # decisions of Thu 24 December + 15 days is Fri 8 January, the later: the record of Thu 7th
    # is in time
    assert [
        (*brief(o), o["on_time"]) for o in only(run("walsall", WALSALL_RECORD), "lac.review.record")
    ] == [("2027-01-08", "met", "2027-01-07", True)]
    # without the decisions on record, the 20 days alone: due Wed 6 January, overdue on the 7th
    assert [
        brief(o)
        for o in only(run("walsall", WALSALL_RECORD[:2], "2027-01-07"), "lac.review.record")
    ] == [("2027-01-06", "overdue", None)]


def test_it_keeps_englands_review_record_in_20_working_days() -> None:
    # Thu 17 December + 20 working days over Christmas Day, Boxing Day's substitute Mon 28th and
    # New Year's Day: Tue 19 January, whatever the decisions
    assert [brief(o) for o in only(run("england", WALSALL_RECORD), "lac.review.record")] == [
        ("2027-01-19", "met", "2027-01-07")
    ]
