"""Rules about a child's chronology that every room checks the same way (the event form, the
meeting rules, an import): plain values in, the reason a person reads out, or None."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from oversight.cases import formatting
from oversight.cases.chronology import Period, discussion_family, latest, period_on
from oversight.cases.constants import (
    CourtApplicant,
    CourtOrder,
    EventType,
    LegalPaper,
    LegalStatus,
    LiaisonWay,
    PlacementProvider,
    PlacementType,
    ProceedingsOutcome,
)
from oversight.cases.proceedings import IN_PROCEEDINGS, Proceedings, open_on
from oversight.timescales.dates import due_date
from oversight.timescales.rules import Duration, RuleError, parse_rule

# The event types recorded with the plain event form (and the API's events), in the order offered.
RECORDABLE = (
    EventType.CP_VISIT,
    EventType.CORE_GROUP,
    EventType.CHAIR_CHILD_DISCUSSION,
    EventType.CHILD_DISCUSSION_RECORDED,
    EventType.CONFERENCE_REPORTS_RECEIVED,
    EventType.MEETING_BOOKED,
    EventType.ACTION_SET,
    EventType.ACTION_DONE,
    EventType.LAC_START,
    EventType.LAC_END,
    EventType.IRO_ALLOCATED,
    EventType.SW_CONSULTED,
    EventType.REVIEW_DOCUMENTS_RECEIVED,
    EventType.REVIEW_DECISIONS_ISSUED,
    EventType.REVIEW_RECORD_ISSUED,
    EventType.PLACEMENT_START,
    EventType.PLACEMENT_CHANGE,
    EventType.PLACEMENT_END,
    EventType.LAC_VISIT,
    EventType.CARE_PLAN_VISITS,
    EventType.VISIT_REQUESTED,
    EventType.PLACEMENT_ORDER,
    EventType.PLACED_FOR_ADOPTION,
    EventType.LEGAL_STATUS,
    EventType.PROCEEDINGS_START,
    EventType.PROCEEDINGS_END,
    EventType.GUARDIAN_APPOINTED,
    EventType.GUARDIAN_LIAISON,
    EventType.LEGAL_PAPERS_SEEN,
    EventType.COURT_APPLICATION,
)
# A placement's details are given when it begins (a change is the move to a new placement).
PLACEMENT_BEGINS = frozenset({EventType.PLACEMENT_START, EventType.PLACEMENT_CHANGE})
# Reg 28 is about looked-after children: these need an episode open on their date.
LOOKED_AFTER_ONLY = PLACEMENT_BEGINS | {
    EventType.PLACEMENT_END,
    EventType.LAC_VISIT,
    EventType.CARE_PLAN_VISITS,  # the looked-after child's care plan
    EventType.VISIT_REQUESTED,  # reg 28: visited "whenever reasonably requested"
    EventType.LEGAL_STATUS,  # a looked-after child's legal status (903 LS)
}
# The events that belong to a child protection plan or a looked-after episode.
IN_PLAN = frozenset({EventType.CP_VISIT, EventType.CORE_GROUP})
IN_EPISODE = frozenset(
    {
        EventType.LAC_END,
        EventType.IRO_ALLOCATED,
        EventType.SW_CONSULTED,
        EventType.REVIEW_DOCUMENTS_RECEIVED,
        EventType.REVIEW_DECISIONS_ISSUED,
        EventType.REVIEW_RECORD_ISSUED,
        EventType.PLACED_FOR_ADOPTION,
        *LOOKED_AFTER_ONLY,
    }
)
AREAS = [("in", "In the council's area"), ("out", "Out of the council's area")]
MEETINGS = [
    ("icpc", "Initial child protection conference"),
    ("rcpc", "Review child protection conference"),
    ("core_group", "Core group meeting"),
    ("midway_review", "Midway review"),
    ("lac_review", "Looked-after child review"),
    ("tac_meeting", "Team around the Child meeting"),
]


def held_date_problem(day: dt.date, *, born: dt.date | None, today: dt.date) -> str | None:
    """Why `day` cannot be the date something happened: after `today`, or before the child's
    birth `born` (None for an unborn child, whose events are not checked against one)."""
    if day > today:
        return "The date must be today or in the past"
    if born is not None and day < born:
        return (
            f"The date must be on or after the child's date of birth ({formatting.plain_day(born)})"
        )
    return None


@dataclass(frozen=True)
class EventRecord:
    """A plain chronology event as a person or a system gives it (the event form, the API)."""

    type: str
    date: dt.date | None
    meeting: str = ""  # meeting_booked: which meeting (a code of MEETINGS)
    on: dt.date | None = None  # meeting_booked: the date booked
    text: str = ""  # action_set: the action
    due: dt.date | None = None  # action_set: due by
    action: str = ""  # action_done: the action's id
    placement_type: str = ""  # placement_start/_change: a code of PlacementType
    provider: str = ""  # placement_start/_change: the carer, home or agency
    place_provider: str = ""  # placement_start/_change: a code of PlacementProvider (optional)
    distance: int | None = None  # placement_start/_change: miles from the child's home
    area: str = ""  # placement_start/_change: "in" or "out" of the council's area
    until_18: str = ""  # placement_start/_change: "yes" if intended to last until 18, "no"
    legal_status: str = ""  # legal_status: a code of LegalStatus (903 LS)
    court: str = ""  # proceedings_start: the court
    case_number: str = ""  # proceedings_start: the court's case number (optional)
    outcome: str = ""  # proceedings_end: a code of ProceedingsOutcome
    guardian: str = ""  # guardian_appointed: the children's guardian's name (Cafcass)
    how: str = ""  # guardian_liaison: a code of LiaisonWay
    notes: str = ""  # guardian_liaison, legal_papers_seen: what was discussed or seen
    papers: tuple[str, ...] = ()  # legal_papers_seen: codes of LegalPaper
    visit_interval: str = ""  # care_plan_visits: a rule in days or months ("28 days")
    applicant: str = ""  # court_application: a code of CourtApplicant
    order: str = ""  # court_application: a code of CourtOrder


def event_problems(
    record: EventRecord,
    *,
    periods: list[Period],
    open_actions: set[str],
    proceedings: list[Proceedings] | None = None,
    visit_minimum: Callable[[dt.date], Duration | None] | None = None,
) -> dict[str, str]:
    """What is wrong with `record` beyond its date being one that can have happened
    (`held_date_problem`), by field: an event of a plan or episode dated before it began, a
    booking without its meeting or date (or dated before it was made), an action without its
    text or due date (or due before it was set), a completed action that is not open, a care
    plan's visits less often than `visit_minimum` gives for its date (the longest interval reg
    28 allows that day in the child's chronology: `chronology.visit_minimum_on`), a court
    application without who applied or the order sought."""
    problems: dict[str, str] = {}
    kind, day = record.type, record.date
    if day is not None:
        for family, label in ((IN_PLAN, "plan"), (IN_EPISODE, "episode")):
            period = latest(periods, label) if kind in family else None
            if period is not None and day < period.start:
                what = "child protection plan" if label == "plan" else "looked-after episode"
                problems["date"] = (
                    f"The date must be on or after the start of the {what} "
                    f"({formatting.plain_day(period.start)})"
                )
    if kind in LOOKED_AFTER_ONLY and day is not None and period_on(periods, "episode", day) is None:
        problems["date"] = (
            "The child was not looked after on this date: record when they became looked "
            "after first"
        )
    if kind in PLACEMENT_BEGINS:
        problems.update(placement_problems(record))
    if kind == EventType.LEGAL_STATUS and record.legal_status not in LegalStatus.values:
        problems["legal_status"] = "Choose the legal status from the list (the 903 codes)"
    problems.update(proceedings_problems(record, proceedings or []))
    if kind == EventType.CARE_PLAN_VISITS:
        minimum = visit_minimum(day) if visit_minimum is not None and day is not None else None
        problems.update(care_plan_problems(record, minimum))
    if kind == EventType.COURT_APPLICATION:
        if record.applicant not in CourtApplicant.values:
            problems["applicant"] = "Say who applied to the court: the child or an adult for them"
        if record.order not in CourtOrder.values:
            problems["order"] = "Choose the order sought from the list"
    if kind == EventType.MEETING_BOOKED:
        if not record.meeting:
            problems["meeting"] = "Choose the meeting booked"
        elif record.meeting not in dict(MEETINGS):
            problems["meeting"] = "Choose the meeting from the list"
        if record.on is None:
            problems["on"] = "Enter the date of the meeting"
        elif day is not None and record.on < day:
            problems["on"] = "The meeting's date must be on or after the booking"
    if kind == EventType.ACTION_SET:
        if not record.text.strip():
            problems["text"] = "Enter the action"
        if record.due is None:
            problems["due"] = "Enter the date the action is due by"
        elif day is not None and record.due < day:
            problems["due"] = "The due date must be on or after the date it was set"
    if kind == EventType.ACTION_DONE:
        if not record.action:
            problems["action"] = "Choose the action that was completed"
        elif record.action not in open_actions:
            problems["action"] = "Choose an action that is still open"
    return problems


def placement_problems(record: EventRecord) -> dict[str, str]:
    """A placement's details, by field: its type, provider, who provides it (optional: the
    SSDA903 return's `PLACE_PROVIDER`), whether it is in or out of the council's area, whether
    it is intended to last until the child is 18 (reg 28's 3-monthly visits), and a distance
    that is not negative."""
    problems: dict[str, str] = {}
    if record.placement_type not in PlacementType.values:
        problems["placement_type"] = "Choose the type of placement"
    if not record.provider.strip():
        problems["provider"] = "Enter the provider: the carer, home or agency"
    if record.place_provider and record.place_provider not in PlacementProvider.values:
        problems["place_provider"] = "Choose who provides the placement from the list"
    if record.area not in dict(AREAS):
        problems["area"] = "Say whether the placement is in or out of the council's area"
    if record.until_18 not in ("yes", "no"):
        problems["until_18"] = "Say whether the placement is intended to last until the child is 18"
    if record.distance is not None and record.distance < 0:
        problems["distance"] = "The distance must be 0 miles or more"
    return problems


def care_plan_problems(record: EventRecord, minimum: Duration | None) -> dict[str, str]:
    """A care plan's visiting frequency, by field: a rule in days or months, and never less
    often than the law's minimum (Walsall, seed 002, 5.2: "at intervals not less frequent than
    the minimum statutory requirements"): from the plan's date, its interval may not end later
    than `minimum` (reg 28's longest interval that day; None: none to compare)."""
    text = record.visit_interval.strip()
    if not text:
        return {"visit_interval": "Enter how often the care plan says the child is visited"}
    try:
        rule = parse_rule(text)
        if rule.before or rule.unit not in ("days", "months"):
            raise RuleError(text)
    except RuleError:
        return {
            "visit_interval": "Write how often in days or months, e.g. \u201c28 days\u201d or "
            "\u201c1 month\u201d"
        }
    day = record.date
    if (
        minimum is not None
        and day is not None
        and due_date(rule, day, None) > due_date(minimum, day, None)
    ):
        return {
            "visit_interval": "A care plan cannot set visits less often than the law's "
            f"minimum: at least every {minimum} for this child's placement on this date"
        }
    return {}


def asked_visits(
    requests: list[dt.date], visits: list[dt.date]
) -> list[tuple[dt.date, dt.date | None]]:
    """Each visit the child asked for (its day) with the first social worker's visit on or
    after it, else None: what the IRO checks at the review ("when the child requests a visit",
    seed 002, 5.2). Oldest first."""
    ordered = sorted(visits)
    return [(asked, next((v for v in ordered if v >= asked), None)) for asked in sorted(requests)]


def proceedings_problems(record: EventRecord, found: list[Proceedings]) -> dict[str, str]:
    """A care proceedings event's problems, by field: proceedings begin only when none are open
    and name their court; an end, a guardian, a liaison and papers seen need proceedings open
    on their date (an end before the proceedings began is refused on its date); an end names
    its outcome, a guardian their name, a liaison how it was held, papers seen which papers."""
    problems: dict[str, str] = {}
    kind, day = record.type, record.date
    if kind == EventType.PROCEEDINGS_START:
        if not record.court.strip():
            problems["court"] = "Enter the court hearing the proceedings"
        current = open_on(found, day) if day is not None else None
        if current is not None:
            problems["date"] = (
                f"Care proceedings are already open on this date (since "
                f"{formatting.plain_day(current.start)}): record their end first"
            )
    if kind in IN_PROCEEDINGS and day is not None and open_on(found, day) is None:
        later = [p for p in found if p.start > day]
        if kind == EventType.PROCEEDINGS_END and later:
            problems["date"] = (
                f"The end must be on or after the day the proceedings began "
                f"({formatting.plain_day(later[0].start)})"
            )
        else:
            problems["date"] = (
                "No care proceedings are open on this date: record when they began first"
            )
    if kind == EventType.PROCEEDINGS_END and record.outcome not in ProceedingsOutcome.values:
        problems["outcome"] = "Choose how the proceedings ended"
    if kind == EventType.GUARDIAN_APPOINTED and not record.guardian.strip():
        problems["guardian"] = "Enter the children's guardian's name"
    if kind == EventType.GUARDIAN_LIAISON and record.how not in LiaisonWay.values:
        problems["how"] = "Choose how you were in touch with the guardian"
    if kind == EventType.LEGAL_PAPERS_SEEN and (
        not record.papers or not set(record.papers) <= set(LegalPaper.values)
    ):
        problems["papers"] = "Choose the papers seen from the list"
    return problems


def plain_event_data(
    record: EventRecord, *, owner: str, existing: dict, new_action: str, periods: list[Period]
) -> dict[str, object]:
    """The JSON details of a plain event (the timescales contract's extra fields), over what
    the event held before (`existing`); `new_action` is the id a newly set action takes; a
    discussion with the child is filed by the child's plans and episodes (`periods`)."""
    data = dict(existing)
    if record.type == EventType.MEETING_BOOKED and record.on is not None:
        data.update(meeting=record.meeting, on=record.on.isoformat())
    elif record.type == EventType.ACTION_SET and record.due is not None:
        data.update(text=record.text.strip(), due=record.due.isoformat())
        data.setdefault("action", new_action)
        if owner:
            data["owner"] = owner
        else:
            data.pop("owner", None)
    elif record.type == EventType.ACTION_DONE:
        data["action"] = record.action
    elif record.type in PLACEMENT_BEGINS:
        data.update(
            placement_type=record.placement_type,
            provider=record.provider.strip(),
            area=record.area,
            until_18=record.until_18 == "yes",
        )
        if record.distance is not None:
            data["distance"] = record.distance
        else:
            data.pop("distance", None)
        _optional(data, "place_provider", record.place_provider)
    elif record.type == EventType.LEGAL_STATUS:
        data["legal_status"] = record.legal_status
    elif record.type == EventType.PROCEEDINGS_START:
        data["court"] = record.court.strip()
        _optional(data, "case_number", record.case_number.strip())
    elif record.type == EventType.PROCEEDINGS_END:
        data["outcome"] = record.outcome
    elif record.type == EventType.GUARDIAN_APPOINTED:
        data["guardian"] = record.guardian.strip()
    elif record.type == EventType.GUARDIAN_LIAISON:
        data["how"] = record.how
        _optional(data, "notes", record.notes.strip())
    elif record.type == EventType.LEGAL_PAPERS_SEEN:
        data["papers"] = [p for p in LegalPaper.values if p in record.papers]
        _optional(data, "notes", record.notes.strip())
    elif record.type == EventType.CARE_PLAN_VISITS:
        data["visit_interval"] = str(parse_rule(record.visit_interval))
    elif record.type == EventType.COURT_APPLICATION:
        data.update(applicant=record.applicant, order=record.order)
    elif record.type == EventType.PLACEMENT_ORDER:
        data["plan"] = "adoption"  # the contract's one plan of a placement order
    elif record.type == EventType.CHAIR_CHILD_DISCUSSION and record.date is not None:
        data.update(discussion_family(periods, record.date))
    return data


def _optional(data: dict[str, object], name: str, value: str) -> None:
    """An optional text detail: kept when given, dropped when cleared."""
    if value:
        data[name] = value
    else:
        data.pop(name, None)


def birth_problems(
    *, date_of_birth: dt.date | None, expected: dt.date | None, today: dt.date
) -> dict[str, str]:
    """Why a child's dates cannot be: a birth in the future, neither a birth nor an expected
    date of delivery, or both."""
    if date_of_birth is None and expected is None:
        return {"date_of_birth": "Enter the date of birth, or the expected date of delivery"}
    if date_of_birth is not None and expected is not None:
        return {"expected_date_of_delivery": "A child already born has no expected date"}
    if date_of_birth is not None and date_of_birth > today:
        return {"date_of_birth": "The date of birth must be today or in the past"}
    return {}
