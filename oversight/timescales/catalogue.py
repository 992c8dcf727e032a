"""The obligation catalogue of the national baseline (pack `england`), as data.

Each row is the spec's table (`../shared/spec/timescales.md`, copied into docs/spec/timescales.md)
with the source of its number. A policy pack replaces a row's duration and source by code, or adds
rows of its own; it never changes a row's shape. `kind` names the rows whose matching is not plain:

- `visit`: triggered by the plan's ICPC and by each visit while the plan lasts, at the plan's
  visiting interval;
- `sw_visit`: triggered by each placement of a looked-after child and by each social worker's
  visit while the placement lasts, at the interval of reg 28 that applies on the visit's day;
- `review_second` / `review_next`: the first and each later looked-after review of an episode;
- `booking_before`: counted back from a booked meeting's `on` date;
- `booking`, `action`, `concern`: built by the engine from bookings, actions and concerns (their
  durations come from the booking, the action and the ladder).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from oversight.timescales.rules import (
    Duration,
    Ladder,
    ObligationRule,
    OrFrom,
    Policy,
    Stage,
    parse_rule,
)

WT = "Working Together to Safeguard Children 2023, ch. 4"
IRO_HANDBOOK = "IRO Handbook (DfE 2010)"
CPPCR = "Care Planning, Placement and Case Review (England) Regulations 2010"
REPRESENTATIONS = "Children Act 1989 Representations Procedure (England) Regulations 2006"
GETTING_THE_BEST = "Getting the Best from Complaints (DfES 2006)"
FOSTERING = "Fostering Services (England) Regulations 2011"

MEETINGS = ("icpc", "rcpc", "core_group", "midway_review", "lac_review", "tac_meeting")
CP_MEETINGS = frozenset({"rcpc", "core_group", "midway_review"})


def _row(
    code: str,
    trigger: str,
    due: str,
    met_by: str | tuple[str, ...],
    source: str,
    **extra: Any,
) -> ObligationRule:
    met = (met_by,) if isinstance(met_by, str) else met_by
    return ObligationRule(
        code=code, trigger=trigger, due=parse_rule(due), met_by=met, source=source, **extra
    )


BASELINE: tuple[ObligationRule, ...] = (
    _row(
        "cp.icpc",
        "strategy_discussion",
        "15 working days",
        "icpc",
        f"{WT}, para 206: ICPC within 15 working days of the strategy discussion",
        none_once=("icpc_not_required",),
    ),
    _row(
        "cp.core_group.first",
        "icpc",
        "10 working days",
        "core_group",
        f"{WT}: first core group within 10 working days of the ICPC",
        when=(("outcome", ("plan",)),),
        belongs_to="plan",
    ),
    _row(
        "cp.rcpc.first",
        "icpc",
        "3 months",
        "rcpc",
        f"{WT}: first review conference within 3 months of the ICPC",
        when=(("outcome", ("plan",)),),
        belongs_to="plan",
    ),
    _row(
        "cp.rcpc.next",
        "rcpc",
        "6 months",
        "rcpc",
        f"{WT}: further reviews at intervals of not more than 6 months",
        when=(("outcome", ("continue",)),),
        belongs_to="plan",
    ),
    _row(
        "cp.visit",
        "icpc",
        "10 working days",
        "cp_visit",
        f"{WT}: the plan sets the visiting frequency; baseline 10 working days (pan-London procedures, as Camden and Liverpool apply)",
        when=(("outcome", ("plan",)),),
        belongs_to="plan",
        kind="visit",
    ),
    _row(
        "cp.child_discussion.record",
        "chair_child_discussion",
        "5 working days",
        "child_discussion_recorded",
        "Walsall practice standards (seed 002): chair's discussion with the child recorded within 5 working days",
    ),
    _row(
        "cp.conference.reports",
        "meeting_booked",
        "3 working days before",
        "conference_reports_received",
        f"{WT}: reports shared before the conference; 3 working days (Walsall seed 002: at least three days in advance)",
        when=(("meeting", ("icpc", "rcpc")),),
        belongs_to="plan",
        kind="booking_before",
    ),
    _row(
        "lac.iro.allocate",
        "lac_start",
        "5 working days",
        "iro_allocated",
        f"{IRO_HANDBOOK}: an IRO appointed within 5 working days of becoming looked after",
        belongs_to="episode",
    ),
    _row(
        "lac.review.first",
        "lac_start",
        "20 working days",
        "lac_review",
        f"{CPPCR}, reg 33(1): first review within 20 working days",
        belongs_to="episode",
    ),
    _row(
        "lac.review.second",
        "lac_review",
        "3 months",
        "lac_review",
        f"{CPPCR}, reg 33(2): second review not more than 3 months after the first",
        belongs_to="episode",
        kind="review_second",
    ),
    _row(
        "lac.review.next",
        "lac_review",
        "6 months",
        "lac_review",
        f"{CPPCR}, reg 33(2): later reviews at intervals of not more than 6 months",
        belongs_to="episode",
        kind="review_next",
    ),
    _row(
        "lac.review.decisions",
        "lac_review",
        "5 working days",
        "review_decisions_issued",
        f"{IRO_HANDBOOK}: decisions of the review within 5 working days",
        belongs_to="episode",
    ),
    _row(
        "lac.review.record",
        "lac_review",
        "20 working days",
        "review_record_issued",
        f"{IRO_HANDBOOK}: full written record within 20 working days",
        belongs_to="episode",
    ),
    _row(
        "lac.review.sw_consultation",
        "meeting_booked",
        "15 working days before",
        "sw_consulted",
        f"{IRO_HANDBOOK}, para 3.9: the IRO speaks with the social worker at least 15 working days before the review",
        when=(("meeting", ("lac_review",)),),
        belongs_to="episode",
        kind="booking_before",
    ),
    _row(
        "lac.review.documents",
        "meeting_booked",
        "3 working days before",
        "review_documents_received",
        f"{IRO_HANDBOOK}: review documents available at least 3 working days before",
        when=(("meeting", ("lac_review",)),),
        belongs_to="episode",
        kind="booking_before",
    ),
    _row(
        "lac.adoption.review",
        "placement_order",
        "3 months",
        "lac_review",
        f"{CPPCR}, reg 36: review within 3 months of a placement order for adoption unless placed",
        when=(("plan", ("adoption",)),),
        belongs_to="episode",
        none_once=("placed_for_adoption",),
    ),
    _row(
        "lac.sw_visit",
        "placement_start",
        "7 days",
        "lac_visit",
        f"{CPPCR}, reg 28(2)-(3): the social worker visits within one week of the start of a "
        "placement, then at intervals of not more than six weeks in its first year, then not "
        "more than three months where it is intended to last until the child is 18 (otherwise "
        "six weeks); a child placed with parents at least once a week until the first review",
        belongs_to="episode",
        kind="sw_visit",
        intervals=(
            ("first_year", parse_rule("42 days")),
            ("until_18", parse_rule("3 months")),
            ("otherwise", parse_rule("42 days")),
            ("with_parents", parse_rule("7 days")),
        ),
    ),
    _row(
        "complaint.acknowledge",
        "complaint_received",
        "3 working days",
        ("complaint_acknowledged", "complaint_response"),
        f"{GETTING_THE_BEST}: a complaint is acknowledged within 3 working days",
        same=("complaint",),
    ),
    _row(
        "complaint.response",
        "complaint_received",
        "10 working days",
        "complaint_response",
        f"{REPRESENTATIONS}, reg 14: local resolution within 10 working days of the complaint",
        same=("complaint",),
    ),
    _row(
        "consult.tac",
        "consultation",
        "15 working days",
        "tac_meeting",
        "Stockport consultation pathway (seed 001): TAC chaired by the IRO within 15 working days",
        when=(("outcome", ("tac",)),),
        met_when=(("chair", ("iro",)),),
    ),
    _row(
        "consult.threshold",
        "consultation",
        "24 hours",
        "service_leader_decision",
        "Stockport consultation pathway (seed 001): threshold disagreement to the service leader within 24 hours",
        when=(("outcome", ("disagree_threshold",)),),
    ),
)

BASELINE_LADDER = Ladder(
    name="default",
    informal_response=parse_rule("5 working days"),
    stages=(
        Stage(1, "Team manager", parse_rule("5 working days")),
        Stage(2, "Service manager", parse_rule("5 working days")),
        Stage(3, "Head of service", parse_rule("5 working days")),
        Stage(4, "Director of children's services", parse_rule("5 working days")),
    ),
    total=parse_rule("20 working days"),
)

# The codes the engine builds itself, with the source of their baseline numbers.
ENGINE_CODES: dict[str, str] = {
    "booked.icpc": "a booked meeting is due on its date",
    "booked.rcpc": "a booked meeting is due on its date",
    "booked.core_group": "a booked meeting is due on its date",
    "booked.midway_review": "a booked meeting is due on its date",
    "booked.lac_review": "a booked meeting is due on its date",
    "booked.tac_meeting": "a booked meeting is due on its date",
    "action.due": "an action is due on the date set for it",
    "esc.informal.response": f"{IRO_HANDBOOK}, ch. 6: informal resolution first; baseline 5 working days",
    "esc.informal.final": "a pack's warning step: a further period after notice of possible formal notification",
    "esc.stage.response": f"{IRO_HANDBOOK}, ch. 6: each formal stage answered within 5 working days",
    "esc.total": f"{IRO_HANDBOOK}, para 6.2: the formal process totals no more than 20 working days",
    "esc.action_plan": "a pack's stage with on_accepted: the plan agreed after an accepted notice",
}

CODES: frozenset[str] = frozenset(row.code for row in BASELINE) | frozenset(ENGINE_CODES)

# A foster carer household's reviews: rows of a carer's own record, not of a child's chronology,
# so on no child's caseload and not in `CODES` (`oversight.fostering.reviews` reads them through
# `oversight.timescales.dates`). The first review within a year of approval, then at least
# once a year: "N months" as the engine counts a month (29 Feb 2024 + 12 months -> 28 Feb 2025).
CARER_REVIEW_FIRST = _row(
    "carer.review.first",
    "carer_approved",
    "12 months",
    "carer_review",
    f"{FOSTERING}, reg 28(2)-(3): the first review of a foster parent's approval within a year "
    "of approval",
)
CARER_REVIEW_NEXT = _row(
    "carer.review.next",
    "carer_review",
    "12 months",
    "carer_review",
    f"{FOSTERING}, reg 28(2): thereafter whenever the fostering service provider considers it "
    "necessary, but at intervals of not more than a year",
)
CARER_ROWS: tuple[ObligationRule, ...] = (CARER_REVIEW_FIRST, CARER_REVIEW_NEXT)


def baseline_policy() -> Policy:
    return Policy(
        name="england",
        obligations=BASELINE,
        ladders={"default": BASELINE_LADDER},
        default_ladder="default",
    )


def with_rule(
    row: ObligationRule,
    due: Duration,
    source: str,
    from_meeting: int = 1,
    or_from: OrFrom | None = None,
) -> ObligationRule:
    """The same row with a pack's own number and its source (and, for a `before` row, the first
    booked meeting it applies to; for any row, a second trigger)."""
    return replace(row, due=due, source=source, from_meeting=from_meeting, or_from=or_from)
