"""The seeds' rules for meeting records, as plain functions of plain values.

A form, the API and an import each parse their input into a `Record` (the facts of one record)
and read the child's `Facts` (`oversight.meetings.facts.facts_about`); then

- `check(record, facts)` gives the refusals by field (`Errors`), the same words everywhere;
- `planned(record, facts, prefix)` the chronology events a completed record writes
  (docs/spec/timescales.md), `details(record)` what it keeps, `decision(record)` its main
  decision in one word, and `new_chair(record, facts)` the IRO to allocate as its chair;
- `check_judgement(...)` the refusals of a dip-sample judgement of a consultation.

Refusals, each on its field:
- a meeting dated in the future, or before the child's birth;
- a booked date before today or before the meeting (`KindRules.bookings`);
- an RCPC with no plan open before its date (the plan's ICPC comes first);
- an ICPC while a plan is open: a plan and its categories change only at a review conference;
- a plan (ICPC `plan`, RCPC `continue`) without categories of harm;
- a lead social worker who does not hold the social worker role;
- an exclusion (conference or review) without its rationale;
- a chair's decision without the dissent recorded; an inquorate conference without the chair's
  decision whether it went ahead; a visiting frequency that is not a rule;
- a booking of an RCPC, core group or midway review with no plan open on the booking's date;
- restricted information dated after the conference; later than the pack's
  `numbers.restricted_information` before it (Walsall: 3 working days) without a note of how the
  chair managed it (seed 002: flagged, not refused -- the chair had it and used it);
- a looked-after review without a meeting when another within the pack's
  `numbers.long_term_meeting` before it had none, or none within it had one (Walsall, seed 002
  5.2: a meeting at least once a year);
- a parent's response to exclusion from the reviews for a child not looked after, or a letter
  dated after it (a refusal sets its record on the file within the pack's
  `numbers.parent_response_record`: Walsall, 5 working days);
- a consultation discussed later than the pack's `consult.request` timescale after the
  request without the reason (Stockport, seed 001: the same working day);
- a conference chair who is not an IRO, none for a child with no IRO, or a different chair from
  the child's IRO without a reason (the chair stays the chair until the plan ends).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from oversight.meetings.constants import Kind
from oversight.meetings.rules import enquiries, looked_after, protection
from oversight.meetings.rules.base import (
    ACTION_ROWS,
    EXCLUSION_ROWS,
    Errors,
    Facts,
    KindRules,
    Numbers,
    PastReview,
    Person,
    PlacementFact,
    Planned,
    Record,
    check_chair,
    check_held,
    check_shared,
)
from oversight.meetings.rules.enquiries import check_judgement

__all__ = [
    "ACTION_ROWS",
    "EXCLUSION_ROWS",
    "KINDS",
    "Errors",
    "Facts",
    "KindRules",
    "Numbers",
    "PastReview",
    "Person",
    "PlacementFact",
    "Planned",
    "Record",
    "actions",
    "books_conference",
    "check",
    "check_judgement",
    "decision",
    "details",
    "new_chair",
    "planned",
]

KINDS: dict[str, KindRules] = {
    Kind.BOOKING: protection.BOOKING,
    Kind.STRATEGY: enquiries.STRATEGY,
    Kind.S47_OUTCOME: enquiries.S47_OUTCOME,
    Kind.CONSULTATION: enquiries.CONSULTATION,
    Kind.THRESHOLD_DECISION: enquiries.THRESHOLD_DECISION,
    Kind.TAC_MEETING: enquiries.TAC_MEETING,
    Kind.ICPC: protection.ICPC,
    Kind.CORE_GROUP: protection.CORE_GROUP,
    Kind.CP_VISIT: protection.CP_VISIT,
    Kind.MIDWAY_REVIEW: protection.MIDWAY_REVIEW,
    Kind.RCPC: protection.RCPC,
    Kind.CHANGE_NOTICE: protection.CHANGE_NOTICE,
    Kind.CHANGE_DECISION: protection.CHANGE_DECISION,
    Kind.LAC_REVIEW: looked_after.LAC_REVIEW,
    Kind.REVIEW_ISSUED: looked_after.REVIEW_ISSUED,
    Kind.SCP_REFERRAL: protection.SCP_REFERRAL,
    Kind.LPM_DECISION: protection.LPM_DECISION,
    Kind.IRO_DETAILS_SENT: looked_after.IRO_DETAILS_SENT,
    Kind.IRO_VISIT: looked_after.IRO_VISIT,
    Kind.IRO_HANDOVER: looked_after.IRO_HANDOVER,
    Kind.PARENT_RESPONSE: looked_after.PARENT_RESPONSE,
    Kind.CONTACT: protection.CONTACT,
    Kind.PROFESSIONALS_MEETING: protection.PROFESSIONALS_MEETING,
}


def check(record: Record, facts: Facts) -> Errors:
    """Every refusal of `record`, by field. A date held that is refused is not checked further
    (as if it could not be parsed): the other checks would only repeat the wrong date."""
    kind = KINDS[record.kind]
    errors = Errors(record.invalid)
    check_held(record, facts, errors)
    if errors.has("date") and "date" in record.values:
        values = {name: value for name, value in record.values.items() if name != "date"}
        record = dataclasses.replace(record, values=values, invalid=record.invalid | {"date"})
        errors.invalid = record.invalid
    check_shared(kind, record, facts, errors)
    kind.check(record, facts, errors)
    return errors


def new_chair(record: Record, facts: Facts) -> Person | None:
    """The IRO to allocate as chair when `record` is completed: one named, allowed by
    `check_chair`, who is not the child's IRO already; else None."""
    kind = KINDS[record.kind]
    chosen = record.get("chair")
    if not (kind.chair and kind.books_conference(record)) or not isinstance(chosen, Person):
        return None
    errors = Errors(record.invalid)
    check_chair(record, facts, errors)
    if errors or (facts.iro is not None and facts.iro.id == chosen.id):
        return None
    return chosen


def books_conference(record: Record) -> bool:
    """True when `record` books or holds a child protection conference (and so has a chair)."""
    kind = KINDS[record.kind]
    return kind.chair and kind.books_conference(record)


def books_ahead(kind: str) -> bool:
    """Whether a record of `kind` books meetings into the chair's diary: the booking form, a
    record with booking fields of its own (an ICPC's next review, a looked-after review's next),
    and the chair's decision on a significant change that brings the review forward (its new
    date re-books the review's diary entry, SEQUENCE raised, as a booking form would)."""
    return kind in (Kind.BOOKING, Kind.CHANGE_DECISION) or bool(KINDS[kind].bookings)


def decision(record: Record) -> str:
    return KINDS[record.kind].decision(record)


def _json(value: Any) -> Any:
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Person):
        return value.username
    return value


def actions(record: Record) -> list[dict[str, str]]:
    """The actions set at the meeting (text, due day, owner when named), in their rows' order."""
    found = []
    for i in range(1, ACTION_ROWS + 1):
        what = record.text(f"action_{i}_text")
        if not what:
            continue
        row = {"text": what, "due": record.get(f"action_{i}_due").isoformat()}
        if record.get(f"action_{i}_owner"):
            row["owner"] = record.get(f"action_{i}_owner")
        found.append(row)
    return found


def details(record: Record) -> dict[str, Any]:
    """The values a completed record keeps, JSON-ready, with actions and exclusions as lists."""
    kind = KINDS[record.kind]
    out: dict[str, Any] = {}
    for name, value in record.values.items():
        if name.startswith(("action_", "excluded_")) or name in ("date", "time"):
            continue
        out[name] = [_json(v) for v in value] if isinstance(value, list) else _json(value)
    if kind.actions:
        out["actions"] = actions(record)
    if kind.exclusions:
        out["exclusions"] = [
            {
                "who": record.text(f"excluded_{i}_who"),
                "rationale": record.text(f"excluded_{i}_rationale"),
                "record": record.text(f"excluded_{i}_record"),
            }
            for i in range(1, EXCLUSION_ROWS + 1)
            if record.text(f"excluded_{i}_who")
        ]
    return out | kind.extra_details(record)


def planned(record: Record, facts: Facts, prefix: str) -> list[Planned]:
    """Every event the completed record writes: its own, then an `action_set` per action (ids
    `<prefix>-<n>`), then a `meeting_booked` per booking, all dated the meeting's day."""
    kind = KINDS[record.kind]
    held: dt.date = record.get("date")
    found = kind.events(record, facts, prefix)
    if kind.actions:
        for n, row in enumerate(actions(record), start=1):
            found.append(Planned("action_set", held, None, {"action": f"{prefix}-{n}", **row}))
    for name, meeting in kind.bookings.items():
        booked = record.get(name)
        if booked is not None:
            data = {"meeting": meeting, "on": booked.isoformat()}
            at = record.get(f"{name}_time")
            if at:
                data["at"] = at.strftime("%H:%M")
            found.append(Planned("meeting_booked", held, None, data))
    return kind.kept(record, found)
