"""Records before a plan: strategy meetings and section 47 outcomes (seed 000 section 3),
Stockport's pre-ICPC consultation and the service leader's threshold decision (seed 001), and
Team around the Child meetings."""

from __future__ import annotations

from oversight.meetings.rules.base import Errors, Facts, KindRules, Planned, Record
from oversight.timescales.dates import due_date


def check_strategy(record: Record, facts: Facts, errors: Errors) -> None:
    """An exploitation response has its RAG rating; a complex case says why it is complex."""
    if record.get("meeting_type") == "exploitation":
        errors.require(record, "rag", "Give the exploitation RAG rating")
    if record.get("meeting_type") == "complex":
        errors.require(record, "complex_reason", "Say why the case is complex")


def strategy_events(record: Record, facts: Facts, prefix: str) -> list[Planned]:
    """Only a strategy discussion that starts section 47 enquiries sets the ICPC deadline; LADO,
    exploitation and complex-case meetings chaired by an IRO set none."""
    if record.get("meeting_type") != "s47":
        return []
    return [Planned("strategy_discussion", record.get("date"), record.get("time"))]


STRATEGY = KindRules(
    check=check_strategy,
    events=strategy_events,
    decision=lambda record: str(record.get("meeting_type") or ""),
)


def check_s47_outcome(record: Record, facts: Facts, errors: Errors) -> None:
    """An initial conference needed is booked; none needed gives the reason."""
    if record.get("outcome") == "icpc":
        errors.require(record, "icpc_on", "Book the initial conference")
    if record.get("outcome") == "not_required":
        errors.require(record, "reason", "Give the reason no conference is needed")


def s47_outcome_events(record: Record, facts: Facts, prefix: str) -> list[Planned]:
    if record.get("outcome") == "not_required":
        return [Planned("icpc_not_required", record.get("date"))]
    return []


S47_OUTCOME = KindRules(
    check=check_s47_outcome,
    events=s47_outcome_events,
    bookings={"icpc_on": "icpc"},
    chair=True,
    books_conference=lambda record: record.get("outcome") == "icpc",
)


def check_consultation(record: Record, facts: Facts, errors: Errors) -> None:
    """Seed 001: the discussion is the same working day as the request (the pack's
    `consult.request` timescale, 0 working days; no such rule under a pack without it), or
    says why not; a threshold disagreement is the team deciding on an ICPC the IRO did not
    recommend; a TAC outcome needs the IRO and the team to agree on TAC."""
    held, asked = record.held, record.get("requested_on")
    within = facts.numbers.consultation_discussion
    if held and asked:
        if asked > held:
            errors.add("requested_on", "The request comes on or before the discussion")
        elif within is not None and held > due_date(within, asked, facts.policy):
            errors.require(
                record,
                "not_same_day",
                "The discussion should be the same working day: say why not"
                if within.amount == 0
                else f"The discussion should be within {within} of the request: say why not",
            )
    recommended, decided = record.get("iro_recommendation"), record.get("team_decision")
    outcome = record.get("outcome")
    if outcome == "disagree_threshold" and not (recommended != "icpc" and decided == "icpc"):
        errors.add(
            "outcome",
            "A threshold disagreement is the team deciding on an ICPC that the IRO did not recommend",
        )
    if outcome == "tac" and not (recommended == "tac" and decided == "tac"):
        errors.add("outcome", "A TAC outcome needs the IRO and the team to agree on TAC")


CONSULTATION = KindRules(
    check=check_consultation,
    events=lambda record, facts, prefix: [
        Planned(
            "consultation",
            record.get("date"),
            record.get("time"),
            {"outcome": record.get("outcome")},
        )
    ],
)

THRESHOLD_DECISION = KindRules(
    events=lambda record, facts, prefix: [
        Planned(
            "service_leader_decision",
            record.get("date"),
            record.get("time"),
            {"decision": record.get("outcome")},
        )
    ],
)


def check_tac_meeting(record: Record, facts: Facts, errors: Errors) -> None:
    """Seed 001 section 2: "Ordinarily, the IRO will chair the third TAC meeting following the
    Review Conference" (the pack's `numbers.step_down_tac`; no such rule under a pack without
    it). The TAC before that one books it, for the IRO to chair; that one chaired by someone
    else says why (the seed allows "some flexibility")."""
    iro_chairs = facts.numbers.step_down_tac
    number = record.get("number_after_review")
    if iro_chairs is None or number is None:
        return
    if number == iro_chairs - 1:
        errors.require(
            record,
            "next_tac",
            f"Book TAC meeting {iro_chairs} after the review conference: the IRO ordinarily "
            "chairs it",
        )
    if number == iro_chairs and record.get("chair") == "other":
        errors.require(
            record,
            "not_iro_reason",
            f"Say why the IRO does not chair TAC meeting {iro_chairs} after the review conference",
        )


TAC_MEETING = KindRules(
    check=check_tac_meeting,
    events=lambda record, facts, prefix: [
        Planned(
            "tac_meeting", record.get("date"), record.get("time"), {"chair": record.get("chair")}
        )
    ],
    decision=lambda record: str(record.get("chair") or ""),
    actions=True,
    bookings={"next_tac": "tac_meeting"},
)


def check_judgement(advice_quality: str | None, timely: bool | None, comments: str) -> Errors:
    """Stockport (seed 001 section 1), the service leader's dip sample: a judgement that the
    advice requires improvement or is inadequate, or that it (or the resulting TAC) was not
    timely, says what should change (for the IRO's supervision)."""
    errors = Errors()
    weak = advice_quality in ("requires_improvement", "inadequate")
    if (weak or timely is False) and not comments.strip():
        errors.add("comments", "Say what should change")
    return errors
