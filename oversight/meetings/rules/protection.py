"""Child protection records: bookings, initial and review conferences (seed 000 section 4 and
appendix 1, seed 002 section 2, pre-birth conferences too), core groups, visits, midway reviews,
significant changes, the Support and Challenge Panel and the Legal Planning Meeting decision, the
chair's contacts and the minutes of professionals meetings (seed 000 sections 3 and 4.3)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from oversight.cases import formatting
from oversight.cases.constants import Role
from oversight.meetings.constants import SIGNIFICANT_CHANGES
from oversight.meetings.rules.base import (
    Errors,
    Facts,
    KindRules,
    Planned,
    Record,
    check_booked,
    in_plan,
    issued_after,
)
from oversight.timescales.dates import due_date
from oversight.timescales.rules import RuleError, parse_rule

# Meetings that belong to a child protection plan: booked only while one is open.
PLAN_MEETINGS = {
    "rcpc": "review conference",
    "core_group": "core group meeting",
    "midway_review": "midway review",
}
# The outcomes of a conference that make (or keep) a plan, and that end it or make none.
PLAN_OUTCOMES = ("plan", "continue")
NO_PLAN_OUTCOMES = ("no_plan", "end")


# -- bookings ------------------------------------------------------------------------------


def check_booking(record: Record, facts: Facts, errors: Errors) -> None:
    """A booking is made today or earlier for today or later; a review brought forward gives its
    reason; a meeting of a plan (review conference, core group, midway review) is booked only
    while a plan is open on the day the booking is made; a looked-after review booked after the
    day it is due by needs the group manager's agreement first (seed 002 section 5.2: "any
    arrangement to hold a review outside of these timescales must first be discussed with the
    Safeguarding and Review Group Manager"), as the review recorded late does."""
    errors.require(record, "on", "Enter the date booked, or choose one of the chair's free slots")
    check_booked(record, facts, errors, "on", after="the booking")
    if record.get("brought_forward"):
        errors.require(record, "reason", "Give the reason the review is brought forward")
    booked, made = record.get("meeting"), record.held
    on = record.get("on")
    late = sorted(due for due in facts.reviews_due if on is not None and due < on)
    if booked == "lac_review" and late and not errors.has("on"):
        errors.require(
            record,
            "group_manager_agreement",
            f"The review is due by {formatting.sentence_day(late[0])}: booking it for "
            f"{formatting.sentence_day(on)} is outside its timescale, so record the group "
            "manager's agreement first",
        )
    if (
        booked in PLAN_MEETINGS
        and made is not None
        and not errors.has("meeting")
        and facts.plan_on(made) is None
    ):
        errors.add(
            "meeting",
            f"There is no child protection plan open on {formatting.sentence_day(made)}: "
            f"a {PLAN_MEETINGS[booked]} is booked only within a plan "
            "(book the initial conference first)",
        )


def booking_events(record: Record, facts: Facts, prefix: str) -> list[Planned]:
    data: dict[str, Any] = {"meeting": record.get("meeting"), "on": record.get("on").isoformat()}
    if record.get("at"):
        data["at"] = record.get("at").strftime("%H:%M")
    if record.get("brought_forward"):
        data["brought_forward"] = True
    held: dt.date = record.get("date")
    return [Planned("meeting_booked", held, record.get("time"), data)]


BOOKING = KindRules(
    check=check_booking,
    events=booking_events,
    decision=lambda record: str(record.get("meeting")),
    chair=True,
    books_conference=lambda record: record.get("meeting") in ("icpc", "rcpc"),
)


# -- conferences ---------------------------------------------------------------------------


def check_icpc_plan(record: Record, facts: Facts, errors: Errors) -> None:
    """An ICPC while a plan is open is refused: a plan and its categories change only at a
    review."""
    held = record.held
    plan = facts.plan_on(held) if held is not None else None
    if plan is not None:
        errors.add(
            "outcome",
            f"A child protection plan is open since {formatting.sentence_day(plan.start)}: a plan "
            "and its categories change only at a review conference (record an RCPC)",
        )


def check_rcpc_plan(record: Record, facts: Facts, errors: Errors) -> None:
    """An RCPC needs the plan's ICPC before it."""
    held = record.held
    if held is None:
        return
    plan = facts.plan_on(held)
    if plan is None or plan.start >= held:
        errors.add(
            "date",
            "There is no child protection plan open before this date: a review conference "
            "comes after the plan's initial conference (record the ICPC first)",
        )


def check_restricted(record: Record, facts: Facts, errors: Errors) -> None:
    """Seed 002 (practice standards, section 2): the chair must be advised of restricted
    information "at least three days in advance" of the conference, read as the pack's
    `numbers.restricted_information` ("3 working days before"; no such rule under a pack without
    it). Later information is not refused -- the chair had it and managed it -- but flagged: the
    record needs how the chair managed it. A date after the conference is refused."""
    received, held = record.get("restricted_info_received"), record.held
    if received is None or held is None:
        return
    rule = facts.numbers.restricted_information
    if received > held:
        errors.add("restricted_info_received", "This must be on or before the conference")
    elif rule is not None and received > (latest := due_date(rule, held, facts.policy)):
        errors.require(
            record,
            "restricted_info_late",
            f"The restricted information came after {formatting.sentence_day(latest)}, {rule} the "
            "conference: record how the chair managed it",
        )


def check_visit_interval(record: Record, errors: Errors) -> None:
    """A plan's visiting frequency, when given, is a rule of working days or days."""
    rule = record.text("visit_interval")
    if not rule:
        return
    try:
        parsed = parse_rule(rule)
        if parsed.before or parsed.unit == "hours":
            raise RuleError(rule)
    except RuleError:
        errors.add(
            "visit_interval",
            "Write the visiting frequency as working days or days, e.g. \u201c14 days\u201d",
        )


def check_conference(record: Record, facts: Facts, errors: Errors) -> None:
    """Quorum, split conferences, the chair's decision and its dissent, the plan's contents and
    bookings, the lead social worker, and a route for the child's needs when there is no plan."""
    outcome = record.get("outcome")
    if record.kind == "rcpc":
        check_rcpc_plan(record, facts, errors)
    else:
        check_icpc_plan(record, facts, errors)
    check_restricted(record, facts, errors)
    if record.get("quorate") == "no":
        errors.require(
            record,
            "inquorate_went_ahead",
            "Record the chair's decision whether the inquorate conference went ahead",
        )
    if "split" in (record.get("arrangements") or []):
        errors.require(record, "split_reason", "Say why the conference was split")
    if record.get("decided_by") == "chair":
        errors.require(record, "dissent", "Record the dissent: the decision was the chair's")
    if record.get("lpm_recommended"):
        errors.require(record, "lpm_reason", "Say why a Legal Planning Meeting is recommended")
        errors.require(record, "lpm_decide_by", "Give the date by which the team manager decides")
        decide_by = record.get("lpm_decide_by")
        if decide_by is not None and record.held is not None and decide_by < record.held:
            errors.add("lpm_decide_by", "The team manager decides on or after the conference")
    check_visit_interval(record, errors)
    if outcome in PLAN_OUTCOMES:
        errors.require(record, "categories", "Choose at least one category of harm for a plan")
        errors.require(record, "risks", "State the risks to the child")
        errors.require(record, "what_needs_to_change", "Say what needs to change")
        errors.require(record, "lead_social_worker", "Choose the lead social worker")
        errors.require(record, "next_review", "Book the review conference")
        if not record.get("midway_review") and not record.text("midway_not_needed"):
            errors.add("midway_review", "Book the midway review, or say why none is needed")
        lead = record.get("lead_social_worker")
        if lead is not None and Role.SOCIAL_WORKER not in lead.roles:
            errors.add(
                "lead_social_worker",
                f"{lead} is not a qualified social worker: the lead social worker must be",
            )
    if outcome == "plan":
        errors.require(record, "first_core_group", "Book the first core group meeting")
    no_route = not record.get("cin_plan") and record.get("step_down") in (None, "", "none")
    if outcome in NO_PLAN_OUTCOMES and no_route:
        errors.add(
            "cin_plan",
            "Record how the child's needs will be met: a child in need plan or a step-down",
        )
    if record.kind == "rcpc" and outcome == "end" and record.get("step_down") == "tac":
        check_step_down_to_tac(record, facts, errors)


def check_step_down_to_tac(record: Record, facts: Facts, errors: Errors) -> None:
    """Seed 001 section 2: after a review conference steps the plan down to the TAC process, the
    IRO's chairing of a TAC "should ... be systematically considered by the IRO", the decision
    weighing factors such as "the complexity of the presenting issues, the duration of the Child
    Protection Plan and the unanimity of the step-down decision". Under a council whose pack
    sets the TAC the IRO ordinarily chairs (`numbers.step_down_tac`: Stockport, the third), the
    record needs the IRO's decision and the factors weighed."""
    if facts.numbers.step_down_tac is None:
        return
    errors.require(
        record,
        "iro_to_chair_tac",
        "Record whether the IRO will chair a TAC meeting after step-down",
    )
    errors.require(
        record,
        "step_down_factors",
        "Record the factors the IRO weighed: the complexity of the issues, how long the plan "
        "lasted, whether the step-down was unanimous",
    )


def conference_events(record: Record, facts: Facts, prefix: str) -> list[Planned]:
    held: dt.date = record.get("date")
    found = []
    received = record.get("reports_received")
    if received is not None:
        found.append(
            Planned(
                "conference_reports_received",
                received,
                None,
                {"agencies": record.get("reports_agencies", "")},
            )
        )
    spoke = record.get("chair_child_discussion")
    if spoke is not None:
        found.append(Planned("chair_child_discussion", spoke))
    outcome = record.get("outcome")
    data: dict[str, Any] = {"outcome": outcome}
    if record.get("categories") and outcome in PLAN_OUTCOMES:
        data["categories"] = list(record.get("categories"))
    rule = record.text("visit_interval")
    if rule and outcome in PLAN_OUTCOMES:
        data["visit_interval"] = str(parse_rule(rule))
    found.append(Planned(record.kind, held, record.get("time"), data))
    decide_by = record.get("lpm_decide_by")
    if record.get("lpm_recommended") and decide_by is not None:
        # Camden appendix 1: the team manager decides whether to act on the recommendation
        found.append(
            Planned(
                "action_set",
                held,
                None,
                {
                    "action": lpm_action(prefix),
                    "text": "Decide whether to hold the Legal Planning Meeting the chair recommended",
                    "due": decide_by.isoformat(),
                    "owner": Role.TEAM_MANAGER.value,
                },
            )
        )
    return found


def lpm_action(prefix: str) -> str:
    """The id of the team manager's decision on a conference's Legal Planning Meeting
    recommendation (`prefix`: the conference record's), which the decision record completes."""
    return f"{prefix}-lpm"


def conference_kept(record: Record, found: list[Planned]) -> list[Planned]:
    """No plan: no core group, review or midway review to book."""
    if record.get("outcome") in NO_PLAN_OUTCOMES:
        return [p for p in found if p.type != "meeting_booked"]
    return found


def _conference() -> KindRules:
    return KindRules(
        check=check_conference,
        events=conference_events,
        actions=True,
        exclusions=True,
        chair=True,
        books_conference=lambda record: True,
        bookings={
            "first_core_group": "core_group",
            "next_review": "rcpc",
            "midway_review": "midway_review",
        },
        kept=conference_kept,
    )


ICPC = _conference()
RCPC = _conference()


# -- core group, visit, midway review --------------------------------------------------------


def check_core_group(record: Record, facts: Facts, errors: Errors) -> None:
    in_plan(record, facts, errors, "a core group")


CORE_GROUP = KindRules(
    check=check_core_group,
    events=lambda record, facts, prefix: [
        Planned("core_group", record.get("date"), record.get("time"))
    ],
    decision=lambda record: str(record.get("plan_updated") or ""),
    actions=True,
    bookings={"next_core_group": "core_group"},
)


def check_visit(record: Record, facts: Facts, errors: Errors) -> None:
    in_plan(record, facts, errors, "a child protection visit")
    if record.get("seen") == "yes":
        errors.require(record, "seen_alone", "Say whether the child was seen alone")


def visit_events(record: Record, facts: Facts, prefix: str) -> list[Planned]:
    """A statutory visit counts only when the child was seen, and only where the pack's
    `cp_visit_places` says (Camden: at home); a visit elsewhere is kept on its record only."""
    if record.get("seen") != "yes":
        return []
    places = facts.numbers.cp_visit_places
    if places and record.get("where") not in places:
        return []
    return [Planned("cp_visit", record.get("date"), record.get("time"))]


CP_VISIT = KindRules(
    check=check_visit,
    events=visit_events,
    decision=lambda record: "seen" if record.get("seen") == "yes" else "not_seen",
)


def check_midway_review(record: Record, facts: Facts, errors: Errors) -> None:
    """Camden 4.5: Signs of Safety headings, or the chair's decision that none is needed; the
    manager's decision record after the conference checked (`check_conference_mdr`)."""
    in_plan(record, facts, errors, "a midway review")
    if record.get("outcome") == "held":
        for name, label in (
            ("worries", "what we are worried about"),
            ("working_well", "what's working well"),
            ("needs_to_happen", "what needs to happen"),
        ):
            errors.require(record, name, f"Record {label}")
        if record.get("scale") is None and not errors.has("scale"):
            errors.add("scale", "Give the scale of worries")
    if record.get("outcome") == "not_needed":
        errors.require(record, "not_needed_reason", "Say why no midway review is needed")
    check_conference_mdr(record, facts, errors)


def check_conference_mdr(record: Record, facts: Facts, errors: Errors) -> None:
    """Seed 002 section 3: between conferences the chair tracks the plan, checking that "an MDR
    has been completed following conference and reflects the recommendations". Under a council
    with a manager's decision record (`facts.decision_record`), the midway review (Walsall's
    "Mid way MDR") records that check, and what the chair did when it was not done."""
    if not facts.decision_record:
        return
    errors.require(
        record,
        "conference_mdr",
        f"Say whether the manager's {facts.decision_record} after the conference has been "
        "completed",
    )
    if record.get("conference_mdr") == "no":
        errors.require(
            record,
            "conference_mdr_follow_up",
            f"Say what the chair did about the missing {facts.decision_record}",
        )


MIDWAY_REVIEW = KindRules(
    check=check_midway_review,
    events=lambda record, facts, prefix: [
        Planned(
            "midway_review",
            record.get("date"),
            record.get("time"),
            {"outcome": record.get("outcome")},
        )
    ],
    actions=True,
)


# -- significant change --------------------------------------------------------------------


def change_notice_events(record: Record, facts: Facts, prefix: str) -> list[Planned]:
    """Seed 000 section 4.3: the chair is told at once, and the decision whether to bring the
    review forward falls due on the chair's caseload within the pack's `numbers.change_decision`
    (Camden: the next working day); under a pack without it, no decision is set to fall due."""
    within = facts.numbers.change_decision
    if within is None:
        return []
    held: dt.date = record.get("date")
    return [
        Planned(
            "action_set",
            held,
            record.get("time"),
            {
                "action": f"{prefix}-decide",
                "text": "Decide whether to bring the review forward",
                "due": due_date(within, held, facts.policy).isoformat(),
                "owner": Role.IRO.value,
            },
        )
    ]


def change_labels(record: Record) -> dict[str, Any]:
    labels = dict(SIGNIFICANT_CHANGES)
    return {"changes_labels": [labels[c] for c in record.get("changes")]}


CHANGE_NOTICE = KindRules(
    events=change_notice_events,
    decision=lambda record: ",".join(record.get("changes")),
    extra_details=change_labels,
)


def check_change_decision(record: Record, facts: Facts, errors: Errors) -> None:
    """Bringing the review forward needs the review and its new date (today or later)."""
    check_booked(record, facts, errors, "new_date")
    if record.get("outcome") == "forward":
        errors.require(record, "new_date", "Give the new date of the review")
        errors.require(record, "review", "Choose the review brought forward")


def change_decision_events(record: Record, facts: Facts, prefix: str) -> list[Planned]:
    """The notice's decision is made; a review brought forward is booked, counted as such."""
    held: dt.date = record.get("date")
    found = [Planned("action_done", held, None, {"action": f"m{record.get('notice')}-decide"})]
    if record.get("outcome") == "forward":
        found.append(
            Planned(
                "meeting_booked",
                held,
                None,
                {
                    "meeting": record.get("review"),
                    "on": record.get("new_date").isoformat(),
                    "brought_forward": True,
                },
            )
        )
    return found


CHANGE_DECISION = KindRules(check=check_change_decision, events=change_decision_events)


# -- Support and Challenge Panel, Legal Planning Meeting --------------------------------------


def check_scp_referral(record: Record, facts: Facts, errors: Errors) -> None:
    """A referral only when the engine's flag is raised (Camden 5)."""
    if not facts.scp_flag:
        errors.add(
            None,
            "The Support and Challenge Panel flag is not raised for this child (a plan of 18 "
            "months or more, or a second plan within 2 years)",
        )


SCP_REFERRAL = KindRules(check=check_scp_referral)


def check_lpm_decision(record: Record, facts: Facts, errors: Errors) -> None:
    """Camden appendix 1: the chair recommends a Legal Planning Meeting at the conference; the
    team manager decides whether to act on it. Refused: no conference of the child recommended
    one; a decision dated before the conference; a date for a meeting not held."""
    if not facts.lpm_conferences:
        errors.add("conference", "No conference of this child recommended a Legal Planning Meeting")
        return
    held, chosen = record.held, facts.lpm_conferences.get(str(record.get("conference")))
    if held is not None and chosen is not None and held < chosen:
        errors.add("date", "The decision comes on or after the conference")
    if record.get("outcome") == "not_convene" and record.get("lpm_date"):
        errors.add("lpm_date", "No Legal Planning Meeting is held: leave the date empty")


def lpm_decision_events(record: Record, facts: Facts, prefix: str) -> list[Planned]:
    """The decision completes the team manager's action the conference set (none for a
    conference recorded before it set one: nothing waits on it)."""
    conference = str(record.get("conference") or "")
    return [
        Planned("action_done", record.get("date"), None, {"action": lpm_action(f"m{conference}")})
    ]


LPM_DECISION = KindRules(check=check_lpm_decision, events=lpm_decision_events)


# -- the chair's contacts, professionals meetings (seed 000) --------------------------------


CONTACT = KindRules(decision=lambda record: str(record.get("with_whom") or ""))
"""Seed 000 section 3: "All contacts between CP IROs and parents, children, staff, advocates and
others ... should be recorded on the IRO contact record" (the council's name for it, the pack's
`records.contact_record`, is on the form and the record)."""


def check_professionals_meeting(record: Record, facts: Facts, errors: Errors) -> None:
    """The minutes reach the chair on or after the meeting, not in the future."""
    issued_after(
        record,
        facts,
        errors,
        "minutes_sent",
        "This must be on or after the professionals meeting, and not in the future",
    )


PROFESSIONALS_MEETING = KindRules(
    check=check_professionals_meeting,
    decision=lambda record: "minutes_sent" if record.get("minutes_sent") else "held",
)
"""Seed 000 section 4.3: "Social workers should also provide the conference chair with copies of
minutes from any professionals meeting that takes place regarding the child": the meeting, the
day its minutes reached the chair (attached to the record as its document)."""
