"""Looked-after children: the review (seed 002 section 5.2, IRO Handbook chapter 3), its record
issued, and the IRO's details sent, visits between reviews and handover (seed 002 section 5)."""

from __future__ import annotations

import datetime as dt

from oversight.cases import formatting
from oversight.cases.constants import Role
from oversight.meetings.constants import SCHEDULE_7, SCHEDULE_7_OPTIONAL
from oversight.meetings.rules.base import (
    Errors,
    Facts,
    KindRules,
    Planned,
    Record,
    in_episode,
    issued_after,
)
from oversight.timescales.dates import due_date
from oversight.timescales.rules import Duration


def check_without_meeting(record: Record, facts: Facts, errors: Errors, held: dt.date) -> None:
    """Seed 002 section 5.2: a long-term placement of over a year may have a review without a
    meeting, but there must be a meeting at least once a year (the pack's
    `numbers.long_term_meeting`, 12 months; no such limit under a pack without it). Refused: a
    review without a meeting when another was held without one within that time before it, or
    when no review within it had a meeting (the first review always has one). A review is within
    the time when the time counted from it ends after this review. Adjourned reviews do not
    count."""
    long_term = facts.numbers.long_term_placement
    if long_term is not None and not in_long_term_placement(facts, held, long_term):
        errors.add(
            "without_meeting",
            f"A review without a meeting needs the child in a long-term placement (intended to "
            f"last until they are 18) for more than {long_term}: this review needs a meeting",
        )
        return
    every = facts.numbers.review_meeting
    if every is None:
        return
    reviews = sorted(
        (
            r
            for r in facts.lac_reviews
            if r.date < held < due_date(every, r.date, facts.policy) and not r.adjourned
        ),
        key=lambda r: r.date,
        reverse=True,
    )
    without = next((r for r in reviews if r.without_meeting), None)
    if without is not None:
        errors.add(
            "without_meeting",
            f"The review on {formatting.sentence_day(without.date)} was held without a meeting: "
            f"never more than {every} without one, so this review needs a meeting",
        )
    elif not reviews:
        errors.add(
            "without_meeting",
            f"No review in the {every} before this one had a meeting: there must be a meeting "
            f"at least every {every}",
        )


def meeting_needed_by(facts: Facts, held: dt.date) -> dt.date | None:
    """Seed 002 section 5.2: after a review without a meeting on `held`, "there must be a
    meeting at least once a year": the day by which a review must be held with a meeting, the
    pack's `numbers.long_term_meeting` after the last review before `held` that had one (a review
    without a meeting on that day or later is refused, `check_without_meeting`). None under a
    pack without the limit, or with no such review."""
    every = facts.numbers.review_meeting
    met = [
        r.date
        for r in facts.lac_reviews
        if r.date < held and not r.adjourned and not r.without_meeting
    ]
    if every is None or not met:
        return None
    return due_date(every, max(met), facts.policy)


def in_long_term_placement(facts: Facts, day: dt.date, long_term: Duration) -> bool:
    """Seed 002 section 5.2: on `day` the child has been "in a long term placement for more
    than a year": a placement intended to last until 18, open on `day`, that began more than
    `long_term` before it (the start's date `long_term` on is not yet more)."""
    return any(
        p.until_18
        and p.start <= day
        and (p.end is None or p.end > day)
        and due_date(long_term, p.start, facts.policy) < day
        for p in facts.placements
    )


def review_number(facts: Facts, held: dt.date) -> int:
    """The review's place in the episode open on `held`: one after the completed reviews of
    that episode before it (adjourned ones are not held)."""
    episode = facts.episode_on(held)
    if episode is None:
        return 1
    return 1 + sum(
        1 for r in facts.lac_reviews if not r.adjourned and episode.start <= r.date < held
    )


def awaiting_adoption(facts: Facts, day: dt.date) -> bool:
    """A placement order for adoption made in the episode open on `day`, on or before it, and
    the child not placed with adopters since."""
    episode = facts.episode_on(day)
    if episode is None:
        return False
    orders = [d for d in facts.placement_orders if episode.start <= d <= day]
    return bool(orders) and not any(min(orders) <= d <= day for d in facts.placed_for_adoption)


def check_second_review(record: Record, facts: Facts, errors: Errors, held: dt.date) -> None:
    """Seed 002 section 5.2 and Schedule 7: the plan for permanence "from the second review
    onwards"; "if the care plan is adoption and the child has not been placed the IRO should
    consider whether adoption is still a realistic plan at the second review" (the pack's
    `numbers.permanence_review`, 2; no such checks under a pack without it)."""
    first = facts.numbers.permanence_review
    if first is None:
        return
    number = review_number(facts, held)
    if number >= first:
        errors.require(record, "s7_permanence", "Write a note on the plan for permanence")
    if number == first and awaiting_adoption(facts, held):
        errors.require(
            record,
            "s7_adoption_realistic",
            "The child is not yet placed for adoption: write whether adoption is still realistic",
        )


def check_legal_papers(record: Record, facts: Facts, errors: Errors, held: dt.date) -> None:
    """Seed 002 section 5.2: "the IRO should have sight of all legal papers being submitted in
    care proceedings by the local authority" (the pack's `proceedings.confirm_papers_at_review`;
    no such check under a pack without it): a review held while proceedings are open needs the
    IRO's confirmation of having seen the papers filed since the last review."""
    if (
        facts.confirm_papers_at_review
        and facts.in_proceedings_on(held)
        and not record.get("legal_papers_confirmed")
    ):
        errors.add(
            "legal_papers_confirmed",
            "Care proceedings are open: confirm you have had sight of the legal papers the "
            "local authority filed since the last review",
        )


def check_lac_review(record: Record, facts: Facts, errors: Errors) -> None:
    """The venue, an adjournment's reason, the once-a-year meeting and the long-term placement
    it needs, the Schedule 7 checklist (permanence from the second review; at the second, whether
    adoption is still realistic for a child not yet placed after a placement order), the
    group manager's agreement to a review outside its timescale, and the order of its dates."""
    held = record.held
    if record.get("venue") == "elsewhere":
        errors.require(
            record, "seen_in_placement", "Give the date the IRO saw the child in the placement"
        )
    if record.get("adjourned"):
        errors.require(record, "adjourned_reason", "Say why the review was adjourned")
        return
    if record.get("without_meeting"):
        errors.require(
            record,
            "without_meeting_consultation",
            "Record the decision not to meet and who was consulted",
        )
        if held is not None:
            check_without_meeting(record, facts, errors, held)
    for key, label in SCHEDULE_7:
        if key not in SCHEDULE_7_OPTIONAL:
            errors.require(record, f"s7_{key}", f"Write a note on: {label.lower()}")
    if held is not None:
        check_second_review(record, facts, errors, held)
        check_legal_papers(record, facts, errors, held)
    if held is not None and any(due < held for due in facts.reviews_due):
        errors.require(
            record,
            "group_manager_agreement",
            "This review is outside its timescale: record the group manager's agreement",
        )
    for name in ("seen_privately", "sw_consulted", "documents_received"):
        when = record.get(name)
        if when is not None and held is not None and when > held:
            errors.add(name, "This must be on or before the review")
    for name in ("decisions_issued", "record_issued", "seen_privately_recorded"):
        issued_after(
            record,
            facts,
            errors,
            name,
            "This must be on or after the review, and not in the future",
        )


def lac_review_events(record: Record, facts: Facts, prefix: str) -> list[Planned]:
    held: dt.date = record.get("date")
    if record.get("adjourned"):
        return [Planned("lac_review", held, record.get("time"), {"adjourned": True})]
    found = []
    if record.get("seen_privately"):
        # the IRO's private conversation before the review: a looked-after obligation
        # (`oversight.cases.labels.BY_MEETING`), though recorded as the chair's discussion is
        found.append(
            Planned(
                "chair_child_discussion",
                record.get("seen_privately"),
                None,
                {"meeting": "lac_review"},
            )
        )
    if record.get("sw_consulted"):
        found.append(Planned("sw_consulted", record.get("sw_consulted")))
    if record.get("documents_received"):
        found.append(
            Planned(
                "review_documents_received",
                record.get("documents_received"),
                None,
                {"documents": list(record.get("documents") or [])},
            )
        )
    found.append(Planned("lac_review", held, record.get("time"), {}))
    for action in record.get("previous_done") or []:
        found.append(Planned("action_done", held, None, {"action": action}))
    for name, kind in (
        ("seen_privately_recorded", "child_discussion_recorded"),
        ("decisions_issued", "review_decisions_issued"),
        ("record_issued", "review_record_issued"),
    ):
        if record.get(name):
            found.append(Planned(kind, record.get(name)))
    return found


def lac_review_kept(record: Record, found: list[Planned]) -> list[Planned]:
    """An adjourned review meets and sets nothing: it keeps only the next review booked."""
    if record.get("adjourned"):
        return [p for p in found if p.type != "action_set"]
    return found


LAC_REVIEW = KindRules(
    check=check_lac_review,
    events=lac_review_events,
    decision=lambda record: "adjourned" if record.get("adjourned") else "held",
    actions=True,
    exclusions=True,
    bookings={"next_review": "lac_review"},
    kept=lac_review_kept,
)


def check_review_issued(record: Record, facts: Facts, errors: Errors) -> None:
    """The decisions or the record issued, on a day already past."""
    if not record.get("decisions_issued") and not record.get("record_issued"):
        errors.add("decisions_issued", "Give the date the decisions or the record were issued")
    for name in ("decisions_issued", "record_issued"):
        when = record.get(name)
        if when is not None and when > facts.today:
            errors.add(name, "The date must be today or in the past")


def review_issued_events(record: Record, facts: Facts, prefix: str) -> list[Planned]:
    found = []
    for name, kind in (
        ("decisions_issued", "review_decisions_issued"),
        ("record_issued", "review_record_issued"),
    ):
        if record.get(name):
            found.append(Planned(kind, record.get(name)))
    return found


REVIEW_ISSUED = KindRules(check=check_review_issued, events=review_issued_events)


def check_iro_details_sent(record: Record, facts: Facts, errors: Errors) -> None:
    in_episode(record, facts, errors, "the IRO's details go to a looked-after child")


def iro_details_sent_events(record: Record, facts: Facts, prefix: str) -> list[Planned]:
    """`iro_details_sent`, dated the day they were sent (meets Walsall's `lac.iro.details`)."""
    return [Planned("iro_details_sent", record.get("date"))]


IRO_DETAILS_SENT = KindRules(
    check=check_iro_details_sent,
    events=iro_details_sent_events,
    decision=lambda record: str(record.get("how") or ""),
)


def check_iro_visit(record: Record, facts: Facts, errors: Errors) -> None:
    in_episode(record, facts, errors, "an IRO visit between reviews is to a looked-after child")
    issued_after(
        record,
        facts,
        errors,
        "recorded_on",
        "This must be on or after the visit, and not in the future",
    )


def on_file_within(
    record: Record, facts: Facts, prefix: str, within: Duration | None, what: str
) -> list[Planned]:
    """The IRO's record of `what` on the child's file within `within` of the record's date: an
    action due that long after it, owned by the IRO, met when the record is made (`recorded_on`,
    or later an `action_done`). None under a pack without the number."""
    if within is None:
        return []
    held: dt.date = record.get("date")
    action = f"{prefix}-record"
    found = [
        Planned(
            "action_set",
            held,
            None,
            {
                "action": action,
                "text": f"Put the record of {what} on the child's file",
                "due": due_date(within, held, facts.policy).isoformat(),
                "owner": Role.IRO.value,
            },
        )
    ]
    if record.get("recorded_on"):
        found.append(Planned("action_done", record.get("recorded_on"), None, {"action": action}))
    return found


def iro_visit_events(record: Record, facts: Facts, prefix: str) -> list[Planned]:
    """Seed 002 section 5: the record of the visit is on the child's file within 5 working days
    of the visit (the pack's `numbers.iro_visit_record`)."""
    return on_file_within(record, facts, prefix, facts.numbers.iro_visit_record, "the IRO's visit")


IRO_VISIT = KindRules(
    check=check_iro_visit,
    events=iro_visit_events,
    decision=lambda record: "seen_alone" if record.get("seen_alone") == "yes" else "seen",
)


def check_iro_handover(record: Record, facts: Facts, errors: Errors) -> None:
    """The new IRO is the child's IRO now (reallocate on the Allocation page first); a new IRO
    not introduced says why, and how the child was told."""
    chosen, current = record.get("new_iro"), facts.iro
    if chosen is not None and (current is None or current.id != chosen.id):
        errors.add(
            "new_iro", f"{chosen} is not this child's IRO: reallocate on the Allocation page first"
        )
    if record.get("introduced") == "no":
        errors.require(record, "not_introduced_reason", "Say why not, and how the child was told")


def iro_handover_events(record: Record, facts: Facts, prefix: str) -> list[Planned]:
    """`iro_handover`, dated the handover (meets Walsall's `lac.iro.handover`, whether or not
    the new IRO was introduced: a handover without it says why)."""
    return [
        Planned("iro_handover", record.get("date"), None, {"introduced": record.get("introduced")})
    ]


IRO_HANDOVER = KindRules(
    check=check_iro_handover,
    events=iro_handover_events,
    decision=lambda record: "introduced" if record.get("introduced") == "yes" else "not_introduced",
)


def check_parent_response(record: Record, facts: Facts, errors: Errors) -> None:
    """A parent excluded from the reviews answers the IRO's offer to meet: about a looked-after
    child; the letter before the response; the record of it on or after it, not in the future."""
    in_episode(
        record, facts, errors, "a parent's exclusion from the reviews is a looked-after child's"
    )
    letter, held = record.get("letter_sent"), record.held
    if letter is not None and held is not None and letter > held:
        errors.add("letter_sent", "The letter must be sent on or before the parent's response")
    issued_after(
        record,
        facts,
        errors,
        "recorded_on",
        "This must be on or after the parent's response, and not in the future",
    )


def parent_response_events(record: Record, facts: Facts, prefix: str) -> list[Planned]:
    """Seed 002 section 5.2: "A record of the parent's response if they refuse such a meeting
    must be made on the child/young person's case file within 5 working days" (the pack's
    `numbers.parent_response_record`), counted from the refusal; a parent who accepts the
    meeting sets nothing."""
    if record.get("response") != "refused":
        return []
    return on_file_within(
        record,
        facts,
        prefix,
        facts.numbers.parent_response_record,
        f"{record.text('parent')}'s refusal to meet",
    )


PARENT_RESPONSE = KindRules(
    check=check_parent_response,
    events=parent_response_events,
    decision=lambda record: str(record.get("response") or ""),
)
