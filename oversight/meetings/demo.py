"""Meeting records for the demo council. The demo writes each meeting as its chronology event
(`oversight.cases.demo`); these are the records of a few of those meetings, as the meeting form
would have completed them:

- `conference_record`: the record of a review conference, chaired by the person who recorded
  its event (the complaints log's parent complains about one: `oversight.complaints.demo`);
- `build_demo_reviews`: a looked-after child placed until 18 for more than a year has the
  records of the reviews of its episode, held with a meeting, and its latest review held without
  one (Walsall, seed 002 5.2: "no requirement to hold a meeting ... there must be a meeting at
  least once a year"), checked by the meeting rules (`rules.check`) on the child's facts as of
  the demo's today, under the active pack: the first child, by id, whose review they allow.

Written as the demo writes its events, not through `actions.complete_meeting` (which stamps the
clock's time, writes audit rows and would write the chronology's events a second time): each
record is stamped 17:00 Europe/London on its day, its `event_ids` the demo's own events, so two
demo runs still dump identically."""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

from oversight.cases.constants import EventType
from oversight.cases.models import Child, Event, StaffMember
from oversight.meetings import rules
from oversight.meetings.constants import SCHEDULE_7, Kind, Status
from oversight.meetings.facts import facts_about
from oversight.meetings.models import Meeting
from oversight.meetings.rules import PastReview, Record
from oversight.meetings.rules.looked_after import in_long_term_placement
from oversight.timescales.rules import parse_rule

LONDON = ZoneInfo("Europe/London")
# The Schedule 7 notes of every demo review (the adoption item applies to none of the children).
NOTES = {
    f"s7_{key}": "Discussed with the child and the carers"
    for key, _ in SCHEDULE_7
    if key != "adoption_realistic"
}
CONSULTED = (
    "No meeting: the child, the foster carers, the social worker and the parents were consulted "
    "and agreed; the decision is recorded in the care plan."
)
# "More than a year" under a pack with no such number of its own (England allows a review
# without a meeting in any placement; the demo's is in one Walsall's rule would allow too).
A_YEAR = parse_rule("12 months")
# Candidates looked at before giving up (a demo council has many; a tiny one may have none).
CANDIDATES = 200


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(17), tzinfo=LONDON)


def _write(event: Event, record: Record, chair: StaffMember | None) -> Meeting:
    """The completed record of `record`, the meeting of the demo's `event`."""
    assert record.held is not None  # every demo record has its day
    return Meeting.objects.create(
        child_id=event.child_id,
        kind=record.kind,
        status=Status.COMPLETED,
        date=record.held,
        time=event.time,
        outcome=rules.decision(record),
        chair=chair,
        details=rules.details(record),
        event_ids=[event.pk],
        created_by_id=event.recorded_by_id,
        created_at=_at(record.held),
        completed_at=_at(record.held),
    )


def conference_record(event: Event) -> Meeting:
    """The record of the review conference of the demo's RCPC `event`, its decision the
    event's, chaired by the person who recorded it."""
    by = event.recorded_by_id
    chair = StaffMember.objects.filter(user_id=by).first() if by is not None else None
    record = Record(kind=Kind.RCPC, values={"date": event.date, "outcome": event.data["outcome"]})
    return _write(event, record, chair)


def _review(day: dt.date, **values: object) -> Record:
    return Record(
        kind=Kind.LAC_REVIEW,
        values={"date": day, "venue": "placement", **NOTES, **values},
    )


def build_demo_reviews(as_of: dt.date) -> Meeting | None:
    """The review held without a meeting (and the records of the reviews before it in its
    episode) of a child still looked after, or None when no child's review is allowed one."""
    placed = (
        Event.objects.filter(
            type__in=[EventType.PLACEMENT_START, EventType.PLACEMENT_CHANGE],
            data__until_18=True,
            date__lte=as_of,
        )
        .order_by("child_id")
        .values_list("child_id", flat=True)
        .distinct()
    )
    for child_id in placed[:CANDIDATES]:
        child = Child.objects.get(pk=child_id)
        reviews = list(
            child.events.filter(type=EventType.LAC_REVIEW, date__lte=as_of).order_by("date", "id")
        )
        starts = [e.date for e in child.events.filter(type=EventType.LAC_START, date__lte=as_of)]
        if not reviews or not starts or reviews[-1].data.get("adjourned"):
            continue
        latest = reviews[-1]
        facts = facts_about(child, today=as_of, skip=[latest.pk])
        if facts.episode_on(as_of) is None:
            continue  # no longer looked after
        if not in_long_term_placement(
            facts, latest.date, facts.numbers.long_term_placement or A_YEAR
        ):
            continue
        # the reviews of its episode before it, each with a meeting (adjourned ones not held)
        before = [e for e in reviews[:-1] if e.date >= max(starts) and not e.data.get("adjourned")]
        facts = dataclasses.replace(
            facts, lac_reviews=tuple(PastReview(e.date, False, False) for e in before)
        )
        without = _review(
            latest.date,
            without_meeting=True,
            without_meeting_consultation=CONSULTED,
            s7_permanence="Long-term fostering until 18",
        )
        if rules.check(without, facts):
            continue  # the pack's rule refuses it (a meeting due, an overdue review...)
        for event in before:
            _write(event, _review(event.date), None)
        return _write(latest, without, None)
    return None
