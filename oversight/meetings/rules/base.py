"""The plain values every meeting rule takes and returns, and the checks all kinds share.

A rule reads a `Record` (the facts of one meeting record, as parsed: no form, no request) and the
`Facts` about the child (read from the database once, `oversight.meetings.facts`), and adds its
refusals to `Errors` by field name. Nothing here reads the clock or the database: "today" is
`Facts.today`, so a form, the API and an import refuse the same bad fact with the same words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from oversight.cases.chronology import Period, period_on
from oversight.cases.constants import Role
from oversight.cases.rules import held_date_problem
from oversight.timescales.rules import Duration, Policy

ACTION_ROWS = 6
EXCLUSION_ROWS = 3


@dataclass(frozen=True)
class Person:
    """A member of staff as the rules see them: who, and which roles they hold."""

    id: int
    username: str
    name: str
    roles: frozenset[str]

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Record:
    """The facts of one meeting record as typed and parsed: `values` by field name (dates as
    `date`, times as `time`, staff as `Person`, choices as strings, ticks as booleans, several
    choices as lists). `invalid` names the fields that could not be parsed: a rule does not also
    call them missing."""

    kind: str
    values: Mapping[str, Any]
    invalid: frozenset[str] = frozenset()

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    def text(self, name: str) -> str:
        """A text value stripped, "" when empty or absent."""
        return str(self.values.get(name) or "").strip()

    @property
    def held(self) -> dt.date | None:
        """The day the meeting was held (or the decision taken, or the booking made)."""
        day = self.values.get("date")
        return day if isinstance(day, dt.date) else None


@dataclass(frozen=True)
class PastReview:
    """A completed looked-after review of the child, as the once-a-year meeting rule needs it."""

    date: dt.date
    adjourned: bool
    without_meeting: bool


@dataclass(frozen=True)
class PlacementFact:
    """A placement of the child, as the review rules need it: [start, end) and whether it is
    intended to last until the child is 18 (long-term)."""

    start: dt.date
    end: dt.date | None
    until_18: bool


@dataclass(frozen=True)
class Numbers:
    """The council's numbers the meeting rules read, from its pack's `numbers` table
    (`oversight.meetings.facts.council_numbers`). None: the pack sets none, and its rule does not
    apply under that council."""

    # `numbers.restricted_information`: restricted information reaches the chair at least this
    # long before the conference (Walsall: "3 working days before").
    restricted_information: Duration | None = None
    # `numbers.iro_visit_record`: the record of the IRO's visit between reviews is on the child's
    # file within this time of the visit (Walsall: 5 working days).
    iro_visit_record: Duration | None = None
    # `numbers.parent_response_record`: a parent's refusal to meet, after exclusion from the
    # reviews, is recorded on the child's file within this time of it (Walsall: 5 working days).
    parent_response_record: Duration | None = None
    # `numbers.long_term_meeting`: a looked-after review with a meeting at least this often when
    # reviews may be held without one (Walsall: 12 months).
    review_meeting: Duration | None = None
    # `numbers.long_term_placement`: a review without a meeting only once the child has been in
    # a long-term placement (intended to last until 18) for more than this (Walsall: 12 months).
    long_term_placement: Duration | None = None
    # `numbers.change_decision`: the chair decides whether to bring the review forward within this
    # time of being told of a significant change (Camden: 1 working day); None, no such action.
    change_decision: Duration | None = None
    # `numbers.permanence_review`: the review of the episode from which the plan for permanence
    # is checked, and at which adoption still realistic is (Walsall: the second); None, no rule.
    permanence_review: int | None = None
    # the pack's `consult.request` timescale: the consultation's discussion within this time of the
    # request (Stockport: 0 working days, the same working day).
    consultation_discussion: Duration | None = None
    # `numbers.step_down_tac`: after a step-down to the TAC process, the TAC meeting after the
    # review conference that the IRO ordinarily chairs (Stockport: the third); None, no rule.
    step_down_tac: int | None = None
    # `numbers.dip_sample`: consultations the service leader's monthly dip sample draws
    # (Stockport: 5); None, no dip sample.
    dip_sample: int | None = None
    # the pack's `cp_visit_places`: where a child protection visit counts as the statutory visit
    # (Camden: "seen at home", seed 000 s. 4.1); empty, wherever the child is seen.
    cp_visit_places: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Facts:
    """What the rules know of the child besides the record, on `today`."""

    today: dt.date
    # The council's pack: its working calendar for due dates a record sets.
    policy: Policy
    # The council's own numbers for meeting records.
    numbers: Numbers = Numbers()
    date_of_birth: dt.date | None = None
    # Plans and looked-after episodes, without the events of the record being amended.
    periods: tuple[Period, ...] = ()
    # The child's IRO (and conference chair) today.
    iro: Person | None = None
    # Staff id -> the child's social worker whose management line they are in (or who they are).
    management_line: Mapping[int, Person] = field(default_factory=dict)
    # Completed looked-after reviews of the child.
    lac_reviews: tuple[PastReview, ...] = ()
    # The child's placements, oldest first.
    placements: tuple[PlacementFact, ...] = ()
    # Placement orders for adoption made, and the days the child was placed for adoption.
    placement_orders: tuple[dt.date, ...] = ()
    placed_for_adoption: tuple[dt.date, ...] = ()
    # Due days of the child's looked-after review obligations not yet met.
    reviews_due: tuple[dt.date, ...] = ()
    # The Support and Challenge Panel flag is raised for the child.
    scp_flag: bool = False
    # Completed conferences that recommended a Legal Planning Meeting: id (as typed) -> date.
    lpm_conferences: Mapping[str, dt.date | None] = field(default_factory=dict)
    # The council's name for a manager's decision record (`records.decision_record`, Walsall's
    # "Management Decision Record (MDR)"); "" where its pack names none.
    decision_record: str = ""
    # The child's care proceedings, oldest first: closed intervals [start, end] (end None: open).
    proceedings: tuple[tuple[dt.date, dt.date | None], ...] = ()
    # The pack's `proceedings.confirm_papers_at_review` (Walsall): a review held while
    # proceedings are open needs the IRO's confirmation of the legal papers seen.
    confirm_papers_at_review: bool = False

    def plan_on(self, day: dt.date) -> Period | None:
        return period_on(list(self.periods), "plan", day)

    def episode_on(self, day: dt.date) -> Period | None:
        return period_on(list(self.periods), "episode", day)

    def in_proceedings_on(self, day: dt.date) -> bool:
        return any(start <= day and (end is None or day <= end) for start, end in self.proceedings)


class Errors:
    """Refusals by field name (None: the record as a whole), each field's in the order found."""

    def __init__(self, invalid: frozenset[str] = frozenset()) -> None:
        self.invalid = invalid
        self.by_field: dict[str | None, list[str]] = {}

    def add(self, name: str | None, message: str) -> None:
        self.by_field.setdefault(name, []).append(message)

    def require(self, record: Record, name: str, message: str) -> None:
        """Refuse an empty `name`, unless it is already refused (or could not be parsed)."""
        if record.get(name) in (None, "", [], False) and not self.has(name):
            self.add(name, message)

    def has(self, name: str) -> bool:
        return name in self.by_field or name in self.invalid

    def __bool__(self) -> bool:
        return bool(self.by_field)

    def __iter__(self) -> Iterator[tuple[str | None, list[str]]]:
        return iter(self.by_field.items())

    def as_dict(self) -> dict[str | None, list[str]]:
        return {name: list(messages) for name, messages in self.by_field.items()}


@dataclass(frozen=True)
class Planned:
    """A chronology event a completed record writes."""

    type: str
    date: dt.date
    time: dt.time | None = None
    data: dict[str, Any] = field(default_factory=dict)


def _no_check(record: Record, facts: Facts, errors: Errors) -> None:
    return None


def _no_events(record: Record, facts: Facts, prefix: str) -> list[Planned]:
    return []


def _never(record: Record) -> bool:
    return False


def outcome(record: Record) -> str:
    """The main decision in one word: the record's `outcome`."""
    return str(record.get("outcome") or "")


def _nothing_more(record: Record) -> dict[str, Any]:
    return {}


def _all(record: Record, found: list[Planned]) -> list[Planned]:
    return found


@dataclass(frozen=True)
class KindRules:
    """One kind of record's rules: its own checks, the events it writes, and the shared parts it
    has (bookings made at it, actions, exclusions, a conference chair)."""

    check: Callable[[Record, Facts, Errors], None] = _no_check
    # Its own events, before the actions and bookings (`planned`); `prefix` ("m<record id>")
    # names the actions it sets.
    events: Callable[[Record, Facts, str], list[Planned]] = _no_events
    decision: Callable[[Record], str] = outcome
    # field name -> the meeting booked (`meeting_booked.meeting`)
    bookings: Mapping[str, str] = field(default_factory=dict)
    actions: bool = False
    exclusions: bool = False
    # The record names the conference chair (`chair`, `chair_change_reason`): `check_chair`.
    chair: bool = False
    # True when the record books or holds a child protection conference.
    books_conference: Callable[[Record], bool] = _never
    # The events kept of all it would write (a conference with no plan books nothing).
    kept: Callable[[Record, list[Planned]], list[Planned]] = _all
    # What the record keeps besides its values (a change notice: the changes' labels).
    extra_details: Callable[[Record], dict[str, Any]] = _nothing_more


# -- the shared checks --------------------------------------------------------------------


def check_held(record: Record, facts: Facts, errors: Errors) -> None:
    """A meeting dated in the future, or before the child's birth, is refused: the chronology's
    one rule for a date something happened (`oversight.cases.rules.held_date_problem`)."""
    if record.held is None:
        return
    problem = held_date_problem(record.held, born=facts.date_of_birth, today=facts.today)
    if problem is not None:
        errors.add("date", problem)


def check_booked(
    record: Record, facts: Facts, errors: Errors, name: str, *, after: str = "the meeting"
) -> None:
    """A date booked: today or later, and on or after the day the record was made."""
    booked, held = record.get(name), record.held
    if booked is None:
        return
    if booked < facts.today:
        errors.add(name, "The date booked must be today or later, not in the past")
    elif held is not None and booked < held:
        errors.add(name, f"The date booked must be on or after {after}")


def check_actions(record: Record, errors: Errors) -> None:
    """Each action has its text and its due date, on or after the meeting."""
    held = record.held
    for i in range(1, ACTION_ROWS + 1):
        what, due = record.text(f"action_{i}_text"), record.get(f"action_{i}_due")
        if what and due is None and not errors.has(f"action_{i}_due"):
            errors.add(f"action_{i}_due", f"Enter the date action {i} is due by")
        if due is not None and not what:
            errors.add(f"action_{i}_text", f"Enter action {i}")
        if due is not None and held is not None and due < held:
            errors.add(f"action_{i}_due", "The due date must be on or after the meeting")


def check_exclusions(record: Record, facts: Facts, errors: Errors, *, conference: bool) -> None:
    """An exclusion (from a conference or a review) needs the evidence-based rationale. From a
    conference, under a council with a manager's decision record (`facts.decision_record`), also
    that record's reference: seed 002 section 2, the decision to exclude an adult "will be
    supported by a Management Decision Record (MDR) completed by the Manager and placed on the
    child's case file"."""
    for i in range(1, EXCLUSION_ROWS + 1):
        who, why = record.text(f"excluded_{i}_who"), record.text(f"excluded_{i}_rationale")
        if who and not why:
            errors.add(
                f"excluded_{i}_rationale", f"Give the evidence-based rationale for excluding {who}"
            )
        if why and not who:
            errors.add(f"excluded_{i}_who", "Name the person excluded")
        if who and conference and facts.decision_record:
            errors.require(
                record,
                f"excluded_{i}_record",
                f"Give the reference of the manager's {facts.decision_record} supporting the "
                f"exclusion of {who}",
            )


def check_chair(record: Record, facts: Facts, errors: Errors) -> None:
    """The chair is allocated when the case is first booked into a conference slot and stays the
    chair until the plan ends unless reallocated with a reason. Refused: no chair for a child with
    no IRO; a chair who is not an IRO; a different chair without a reason; a chair in the
    management line of the child's social worker (Camden, seed 000, s. 2.1)."""
    current, chosen = facts.iro, record.get("chair")
    if chosen is None:
        if current is None and not errors.has("chair"):
            errors.add(
                "chair",
                "Choose the chair: the child has no IRO, and the chair is allocated when "
                "the case is first booked into a conference slot",
            )
        return
    if Role.IRO not in chosen.roles:
        errors.add("chair", f"{chosen} is not an IRO: the chair must be an IRO")
        return
    if current is not None and chosen.id == current.id:
        return
    if current is not None and not record.text("chair_change_reason"):
        why = (
            f"{current} is the chair until the plan ends"
            if facts.plan_on(facts.today) is not None
            else f"{current} is the child's IRO"
        )
        errors.add("chair_change_reason", f"{why}: give the reason for reallocating to {chosen}")
        return
    conflict = facts.management_line.get(chosen.id)
    if conflict is not None:
        errors.add(
            "chair",
            f"{chosen} is in the management line of {conflict}, the child's social worker: "
            "choose another chair, or allocate on the Allocation page with an override",
        )


def check_shared(kind: KindRules, record: Record, facts: Facts, errors: Errors) -> None:
    """The checks every record of `kind` shares, in the order the page shows them."""
    for name in kind.bookings:
        check_booked(record, facts, errors, name)
    if kind.actions:
        check_actions(record, errors)
    if kind.exclusions:
        check_exclusions(record, facts, errors, conference=kind.chair)
    if kind.chair and kind.books_conference(record):
        check_chair(record, facts, errors)


def in_plan(record: Record, facts: Facts, errors: Errors, what: str) -> None:
    """A meeting that belongs to a child protection plan is refused on a day with none open."""
    held = record.held
    if held is not None and facts.plan_on(held) is None:
        errors.add(
            "date", f"There is no child protection plan open on this date: {what} belongs to a plan"
        )


def in_episode(record: Record, facts: Facts, errors: Errors, what: str) -> None:
    """A record about a looked-after child is refused on a day the child is not looked after."""
    held = record.held
    if held is not None and facts.episode_on(held) is None:
        errors.add("date", f"The child is not looked after on this date: {what}")


def issued_after(record: Record, facts: Facts, errors: Errors, name: str, message: str) -> None:
    """A record made of the meeting: on or after it, and not in the future."""
    when, held = record.get(name), record.held
    if when is not None and ((held is not None and when < held) or when > facts.today):
        errors.add(name, message)
