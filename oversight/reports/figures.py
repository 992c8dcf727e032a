"""The service's figures for a period, each with the children behind it: the one query layer of
the dashboard, its lists, exports and documents, and `oversight report`.

    figures(scope, period) -> list[Figure]     every figure, in the dashboard's order
    figure(key, scope, period) -> Figure       one of them (KeyError for an unknown key)
    Figure.children() -> list[Row]             the rows behind it: its denominator, each marked
                                               `counted` when it is in the numerator

How each figure counts (never a second copy of the engine's rules):

- A period is a closed interval [first, last]: both days count.
- **Held in time** (ICPCs, first core groups, RCPCs, looked-after reviews and their decisions
  and records, IROs allocated, TACs after a consultation): the stored obligations
  (`cases.models.Obligation`) met in the period (`met_on` in it: the meeting held, the IRO
  allocated) are the denominator; those the engine judged `on_time` under the active pack are
  the numerator. A meeting not held yet is in none of them (My caseload and the team view show
  it overdue), and one held late counts in the period it was held.
- **Due in the period** (child protection visits, the social worker consulted and the documents
  received before a looked-after review, responses to concerns and notices): the obligations
  whose due date is in the period and which are met or overdue (not those still to come) are
  the denominator, those met on time the numerator: a visit never made counts against the
  period it was due in. Midway reviews booked for a day in the period are a count, and those
  not held by it (overdue) the missed ones.
- **ICPC bands**, as the national statistics count them: the ICPCs held in the period by the
  working days from the strategy discussion that started the section 47 enquiries to the ICPC
  (the discussion's day not counted, the ICPC's day counted: `timescales.dates.
  working_days_between`, on the active pack's calendar). The denominator is every ICPC held.
- **Activity** (meetings held, consultations by outcome, plans started and ended, notices,
  Cafcass referrals and legal advice): the chronology's events dated in the period, a count.
- **RCPCs brought forward** (Walsall): the bookings (`meeting_booked`) of an RCPC marked
  `brought_forward` (by the booking form, or the chair's decision on a significant change)
  made in the period, a count; the row names the new date.
- **Plans**, as the engine places them (from the child's ICPCs and RCPCs, stored with the
  obligations as `cases.models.Span`; an end after the period's last day is no end yet): those
  begun in the period (a count), the second or later of them (ever; within 2 years of the end
  of the plan before, the engine's months); those ended in the period (a count), by length in
  the national statistics' bands (under 3 months, 3 to 6, 6 to 12, 1 to 2 years, 2 years or
  more: 30 Sep to 30 Dec is 3 months to the day).
  A plan counts on the day it began or ended.
- **Concerns** (`escalations.models.Concern`, good practice notes apart): raised in the period
  (a count: no denominator; those naming a partner agency are its disputes); resolved in the
  period, of those open at some time in it (raised on or before its last day and not resolved
  before its first), and of the same, by outcome on the period's last day: resolved informally
  (stage 0), resolved after a formal notice, still open (the concern's stage is its latest).
  `concerns_by_team` counts raised and resolved for each team as the team filter does. Good
  practice notes made in the period are a count of their own.
- **Complaints** (the chronology's complaint events and the engine's `complaint.acknowledge`
  and `complaint.response`: never the complaints log, a part beside this one): received in the
  period (a count of `complaint_received`); acknowledged and answered in time, as responses to
  concerns are (due in the period, met or overdue; met on time the numerator: an answer
  acknowledges a complaint not acknowledged before); answered in the period by outcome (a count
  of `complaint_response` by its `outcome`).
- **Placements** (reg 28 and the national stability measure): the children in a placement on the
  period's last day (a placement as the engine places it, stored as `cases.models.Span`: begun
  on or before that day and not ended by it) are the denominator; the numerator those with 3
  or more placements in the 12 months to that day (placements open at some time from the day
  12 months before, the engine's months, to the last day), those placed out of the council's
  area, and those placed more than 20 miles from home. Social workers' visits to looked-after
  children (`lac.sw_visit`) are a due figure.
- **Caseloads**: the children held by an IRO (an IRO allocation open) on the period's last day,
  as `cases.allocations.caseloads` counts them; `caseloads_on(scope, period)` gives each IRO's
  row (child protection, looked after, per FTE, against the pack's guidance), read once for the
  figure and the table (`figures(..., iro_caseloads=...)`).
- **Care proceedings**: the children in proceedings at some time in the period (as the child's
  page places them, `cases.proceedings`), and of them those with the IRO's liaison with the
  guardian dated in the period; a child once however many proceedings.
- **Foster carers** (households, not children: the same under any team or IRO filter, and no
  child behind them): the reviews due in the period (`fostering.reviews.reviews_owed`, the
  engine's `carer.review.*` rows) held or passed by today, of them those held by the due day;
  the households whose review is overdue on the period's last day (a deregistered household
  owes none after its last review); the
  reviews held in the period, and of them those recommending the carers continue to foster and
  those recommending new terms of approval; the concerns about carers raised in the period, and
  those resolved in it of those open at some time in it.
- **Support and Challenge Panel candidates** (Camden): the children the engine flags today.
- **Team and IRO**: a row counts for a team when a member of the team held the child (an
  allocation, any role, open on that day) on the row's day: the day the meeting was held or the
  IRO allocated, an obligation's due day, the event's day, the concern raised, the concern
  resolved (the period's last day for a concern still open). For an IRO, the same with an IRO
  allocation of theirs. A child who moved between teams in the period counts for each team
  with the rows of its days there.
- **Access**: only the children of `scope.children` (the viewer's `children_for_user`); the
  command, which has no viewer, counts every child (`Scope()`).

Every figure together is a fixed number of queries whatever the period's or the council's size:
one for the held figures and the ICPC bands, one for the due figures, two for the events, one for
the plans, two for the concern figures, two for the caseloads, one for the flags, one for the
placements, two for the proceedings, two for the foster carers. None runs the engine: what it
placed (plans, placements) and judged (obligations) is read as stored when each child's
obligations were last recomputed, and the counts over a year's obligations read an index alone on
PostgreSQL (issue 15)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from itertools import groupby
from typing import Any, NamedTuple

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Greatest, TruncMonth
from django.utils import timezone

from oversight.cases import formatting
from oversight.cases.access import open_allocations
from oversight.cases.allocations import Caseload, caseloads
from oversight.cases.chronology import Placement
from oversight.cases.constants import EventType, PlacementType, Role
from oversight.cases.models import (
    Allocation,
    Child,
    Event,
    Flag,
    Obligation,
    Span,
    StaffMember,
    Team,
)
from oversight.cases.obligations import active_pack
from oversight.cases.proceedings import Proceedings, proceedings_of
from oversight.escalations.constants import Kind
from oversight.escalations.models import Concern
from oversight.fostering.models import Carer, CarerConcern
from oversight.fostering.reviews import reviews_owed
from oversight.timescales.dates import months_after, months_before, working_days_between
from oversight.timescales.rules import Policy

# A year's plans at 20,000 children ask the engine's month of the same few hundred days 20,000
# times (each band of each plan ended): each day's answer once (issue 15).
_months_after = cache(months_after)


@dataclass(frozen=True)
class Period:
    """The closed interval [first, last]: both days count."""

    first: dt.date
    last: dt.date


def last_full_month(today: dt.date) -> Period:
    """The calendar month before `today`'s (the dashboard's period unless one is asked for)."""
    last = today.replace(day=1) - dt.timedelta(days=1)
    return Period(last.replace(day=1), last)


@dataclass(frozen=True)
class Seen:
    """A viewer's children read once: their ids, or (`hidden`) the ids of the children they may
    not see, whichever is fewer (a service manager's few restricted records)."""

    ids: frozenset[int]
    hidden: bool

    def q(self) -> Q:
        """The rows of a model with a `child` key that are the viewer's."""
        return (
            ~Q(child_id__in=sorted(self.ids)) if self.hidden else Q(child_id__in=sorted(self.ids))
        )


@dataclass(frozen=True)
class Scope:
    """Whose figures: the children a viewer may see (None: every child), narrowed to a team and
    an IRO holding them on each row's day. `Scope.read` reads the viewer's children once, so
    that no figure repeats their access rules."""

    children: QuerySet[Child] | None = None
    team: Team | None = None
    iro: StaffMember | None = None
    seen: Seen | None = field(default=None, compare=False, repr=False)

    @classmethod
    def read(
        cls, children: QuerySet[Child], team: Team | None = None, iro: StaffMember | None = None
    ) -> Scope:
        """The scope of `children` read once (three queries): the figures then filter by the
        shorter list of ids, of the children seen or of those not."""
        shown, every = children.count(), Child.objects.count()
        hidden = shown * 2 > every
        listed = Child.objects.exclude(pk__in=children.values("pk")) if hidden else children
        seen = Seen(frozenset(listed.values_list("pk", flat=True)), hidden)
        ids = sorted(seen.ids)
        read = Child.objects.exclude(pk__in=ids) if hidden else Child.objects.filter(pk__in=ids)
        return cls(read, team, iro, seen)

    def q(self) -> Q:
        """The rows of a model with a `child` key within the viewer's children."""
        if self.seen is not None:
            return self.seen.q()
        if self.children is not None:
            return Q(child_id__in=self.children.values("pk"))
        return Q()


@dataclass(frozen=True)
class Row:
    """One thing behind a figure: the child, what it is, the day it is counted from (the
    strategy discussion of an ICPC, the day a concern was raised), the day it happened (None for
    a concern still open), its due date (None for a concern), and whether it is in the numerator."""

    child_id: int
    reference: str
    name: str
    what: str
    start: dt.date
    day: dt.date | None
    due: dt.date | None
    counted: bool

    @property
    def pk(self) -> int:
        """The child's id, so that the audit log names the children behind a figure."""
        return self.child_id


@dataclass(frozen=True)
class Figure:
    """`numerator` of `denominator` (None for a plain count), and the way to its children."""

    key: str
    label: str
    numerator: int
    denominator: int | None
    counted: str  # what a row in the numerator is, as the list's column says it ("In time")
    group: str  # the dashboard's section: "Timeliness" or "Concerns"
    scope: Scope = field(compare=False, repr=False)
    period: Period = field(compare=False, repr=False)

    @property
    def value(self) -> float | None:
        """The numerator as a percentage of the denominator to one decimal place; None for a
        count, or when the denominator is 0."""
        if not self.denominator:
            return None
        return round(100 * self.numerator / self.denominator, 1)

    @property
    def text(self) -> str:
        """ "3 of 4 (75%)", "0 of 0" when there is nothing to count, or the count alone."""
        if self.denominator is None:
            return str(self.numerator)
        if self.value is None:
            return f"{self.numerator} of {self.denominator}"
        return f"{self.numerator} of {self.denominator} ({self.value:g}%)"

    def children(self) -> list[Row]:
        return DEFINITIONS[self.key].rows(self.scope, self.period)

    @property
    def has_children(self) -> bool:
        """Whether children are behind it (a foster carer figure counts households)."""
        return not isinstance(DEFINITIONS[self.key], Carers)


def _held_on_day(day: str, **allocation: object) -> Exists:
    """An allocation matching `allocation` of the row's child, open on the row's `day` (the
    name of its column or annotation)."""
    return Exists(
        Allocation.objects.filter(
            Q(ends__isnull=True) | Q(ends__gte=OuterRef(day)),
            child_id=OuterRef("child_id"),
            starts__lte=OuterRef(day),
            **allocation,
        )
    )


def held_by(scope: Scope, day: str = "day") -> Q:
    """The rows held by the scope's team and IRO (when it names them) on the rows' `day`."""
    found = Q()
    if scope.team is not None:
        found &= Q(_held_on_day(day, staff__team=scope.team))
    if scope.iro is not None:
        found &= Q(_held_on_day(day, staff=scope.iro, role=Role.IRO))
    return found


def in_scope[M: (Obligation, Concern, Event, Flag, Span)](
    found: QuerySet[M], scope: Scope
) -> QuerySet[M]:
    """`found` (annotated with its rows' `day`) within `scope`."""
    return found.filter(scope.q(), held_by(scope))


def _held(codes: Iterable[str], scope: Scope, period: Period) -> QuerySet[Obligation]:
    """The obligations of `codes` met in `period`, each on the day it was met."""
    found = Obligation.objects.filter(
        code__in=sorted(codes),
        status=Obligation.Status.MET,
        met_on__range=(period.first, period.last),
    ).annotate(day=F("met_on"))
    return in_scope(found, scope)


_CHILD = ("child_id", "child__reference", "child__first_name", "child__last_name")


def _name(first: str, last: str) -> str:
    return f"{first} {last}".strip() or "Unborn child"


# What a row of an obligation figure is (the caseload's labels say what is due).
OBLIGATION_WHAT = {
    "cp.icpc": "ICPC",
    "cp.core_group.first": "First core group",
    "cp.rcpc.first": "First RCPC",
    "cp.rcpc.next": "Later RCPC",
    "cp.visit": "Child protection visit",
    "lac.review.first": "First looked-after review",
    "lac.review.second": "Second looked-after review",
    "lac.review.next": "Later looked-after review",
    "lac.review.decisions": "Review decisions issued",
    "lac.review.record": "Review record issued",
    "lac.review.sw_consultation": "Social worker consulted before the review",
    "lac.review.documents": "Review documents received",
    "lac.iro.allocate": "IRO allocated",
    "lac.sw_visit": "Social worker's visit",
    "lac.adoption.review": "Review after a placement order for adoption",
    "consult.tac": "TAC after a consultation",
    "booked.midway_review": "Booked midway review",
    "esc.informal.response": "Response to a concern",
    "esc.stage.response": "Response to a notice",
    "complaint.acknowledge": "Complaint acknowledged",
    "complaint.response": "Complaint answered",
}


def _obligation_rows(found: QuerySet[Obligation], *, counted: bool | None = None) -> list[Row]:
    """Each obligation of `found` as a Row (counted from its trigger's day; counted: on time,
    or `counted` for every row of a count)."""
    listed = found.order_by(F("day"), "child__last_name", "child__first_name", "pk").values_list(
        *_CHILD, "code", "trigger_date", "met_on", "due", "on_time"
    )
    return [
        Row(
            pk,
            ref,
            _name(first, last),
            OBLIGATION_WHAT[code],
            start,
            met,
            due,
            (on_time is True) if counted is None else counted,
        )
        for pk, ref, first, last, code, start, met, due, on_time in listed
    ]


def _rule(code: str) -> str:
    """The active pack's timescale of `code` in words ("15 working days"), with its second
    trigger where it has one (Walsall's record: "20 days (or 15 days after the review decisions
    issued, whichever is later)"), so that a figure's title states the rule it counts by."""
    for row in active_pack().policy.obligations:
        if row.code == code and row.or_from is not None:
            second = EventType(row.or_from.event).label.lower()
            return (
                f"{row.due} (or {row.or_from.due} after the {second}, "
                f"whichever is {row.or_from.whichever})"
            )
        if row.code == code:
            return str(row.due)
    return "the timescale"


@dataclass(frozen=True)
class Held:
    """Meetings (or allocations) of `codes` held in the period; in time as the engine judged."""

    key: str
    label: str
    codes: tuple[str, ...]
    group: str = "Timeliness"
    counted: str = "In time"

    def title(self) -> str:
        return self.label.format(*(_rule(code) for code in self.codes))

    def rows(self, scope: Scope, period: Period) -> list[Row]:
        return _obligation_rows(_held(self.codes, scope, period))


ICPC = "cp.icpc"


@dataclass(frozen=True)
class Band:
    """ICPCs held in the period `low` to `high` working days (None: or more) after the strategy
    discussion that started the section 47 enquiries."""

    key: str
    low: int
    high: int | None
    group: str = "Timeliness"
    counted: str = "In this band"

    def title(self) -> str:
        days = f"{self.low} to {self.high}" if self.high is not None else f"{self.low} or more"
        return f"ICPCs held {days} working days after the section 47 enquiries started"

    def holds(self, working_days: int) -> bool:
        return self.low <= working_days and (self.high is None or working_days <= self.high)

    def rows(self, scope: Scope, period: Period) -> list[Row]:
        policy = active_pack().policy
        return [
            replace(row, counted=self.holds(_after(row.start, row.day, policy)))
            for row in _obligation_rows(_held([ICPC], scope, period))
        ]


def _after(start: dt.date, day: dt.date | None, policy: Policy) -> int:
    """Working days from `start` (not counted) to `day` (counted, the day of a met obligation),
    on the pack's calendar."""
    return working_days_between(start, day or start, policy)


DONE = (Obligation.Status.MET, Obligation.Status.OVERDUE)
EVERY_STATUS = (*DONE, Obligation.Status.PENDING)


def _due(
    codes: Iterable[str], statuses: Iterable[str], scope: Scope, period: Period
) -> QuerySet[Obligation]:
    """The obligations of `codes` due in `period` with one of `statuses`, each on its due day."""
    found = Obligation.objects.filter(
        code__in=sorted(codes),
        status__in=sorted(statuses),
        due__range=(period.first, period.last),
    ).annotate(day=F("due"))
    return in_scope(found, scope)


@dataclass(frozen=True)
class Due:
    """Obligations of `codes` due in the period, met or overdue; in time as the engine judged.
    With `count`, a count of those with one of `statuses` (midway reviews booked, missed)."""

    key: str
    label: str
    codes: tuple[str, ...]
    group: str = "Timeliness"
    counted: str = "In time"
    count: bool = False
    statuses: tuple[str, ...] = DONE

    def title(self) -> str:
        return self.label.format(*(_rule(code) for code in self.codes))

    def rows(self, scope: Scope, period: Period) -> list[Row]:
        found = _due(self.codes, self.statuses, scope, period)
        return _obligation_rows(found, counted=True if self.count else None)


def events_in(
    types: Iterable[str], scope: Scope, period: Period, *, brought_forward: Iterable[str] = ()
) -> QuerySet[Event]:
    """The events of `types` dated in the period within the scope, and of `brought_forward`
    those marked so (the bookings that bring a meeting forward: a partial index holds them, where
    every booking of a year is most of its events), with what their figures read of them: the
    outcome, the stage, and the meeting a booking brought forward (else None)."""
    forward = When(data__brought_forward=True, then=KT("data__meeting"))
    which = Q(type__in=sorted(types))
    if brought_forward:
        which |= Q(type__in=sorted(brought_forward), data__brought_forward=True)
    found = Event.objects.filter(which, date__range=(period.first, period.last)).annotate(
        day=F("date"),
        outcome=KT("data__outcome"),
        stage=KT("data__stage"),
        forward=Case(forward, default=None, output_field=CharField()),
        on=KT("data__on"),
    )
    return in_scope(found, scope)


@dataclass(frozen=True)
class Events:
    """Events of `types` dated in the period (of `outcomes` only, when given; only bookings
    that bring a meeting of `forward` forward, when given): a count."""

    key: str
    label: str
    types: tuple[str, ...]
    group: str = "Activity"
    outcomes: tuple[str, ...] = ()
    counted: str = "In the period"
    forward: str = ""

    def title(self) -> str:
        return self.label

    def holds(self, type_: str, outcome: str | None, forward: str | None) -> bool:
        return (
            type_ in self.types
            and (not self.outcomes or outcome in self.outcomes)
            and (not self.forward or forward == self.forward)
        )

    def rows(self, scope: Scope, period: Period) -> list[Row]:
        if self.forward:
            found = events_in((), scope, period, brought_forward=self.types)
        else:
            found = events_in(self.types, scope, period)
        listed = found.order_by("date", "child__last_name", "child__first_name", "pk").values_list(
            *_CHILD, "type", "date", "outcome", "stage", "forward", "on"
        )
        return [
            Row(pk, ref, _name(first, last), _event_what(type_, stage, forward, on), day, day,
                None, True)
            for pk, ref, first, last, type_, day, outcome, stage, forward, on in listed
            if self.holds(type_, outcome, forward)
        ]  # fmt: skip


EVENT_READ = ("type", "outcome", "forward")  # what an event figure counts by (`Events.holds`)
FORWARD_WHAT = {"rcpc": "RCPC", "lac_review": "Looked-after review"}


def _event_what(type_: str, stage: str | None, forward: str | None, on: str | None) -> str:
    if forward and on:
        meeting = FORWARD_WHAT.get(forward, forward)
        return f"{meeting} brought forward to {formatting.day(dt.date.fromisoformat(on))}"
    what = EventType(type_).label
    return f"{what} (stage {stage})" if stage else what


class EventRow(NamedTuple):
    """An event as `cases.chronology.periods` reads it."""

    pk: int
    type: str
    date: dt.date
    time: dt.time | None
    data: dict[str, Any]


@dataclass(frozen=True)
class Plan:
    """A child protection plan as the engine places it, with the end of the plan before it
    (None for a first plan, or one after a plan that had not ended) and whether its start and
    its end count in the period (in it, and in the scope on that day)."""

    child_id: int
    number: int  # 0 for the child's first plan
    start: dt.date
    end: dt.date | None
    previous_end: dt.date | None
    started: bool
    ended: bool


def plans_in(scope: Scope, period: Period) -> list[Plan]:
    """The plans that began or ended in the period within the scope, as the engine placed them
    from each child's chronology when its obligations were last recomputed (`cases.models.Span`:
    a plan is placed by the child's conferences alone, so the chronology up to the period's last
    day places the same ones): one query whatever the council's size, its rows those of the
    period (an end after the period's last day is, as of that day, no end yet)."""
    first, last = period.first, period.last
    during = (first, last)
    before = Span.objects.filter(
        child_id=OuterRef("child_id"), kind=Span.Kind.PLAN, number=OuterRef("number") - 1
    )
    found = (
        Span.objects.filter(Q(start__range=during) | Q(end__range=during), scope.q(),
                            kind=Span.Kind.PLAN)
        .annotate(
            started=ExpressionWrapper(Q(start__range=during) & held_by(scope, "start"),
                                      output_field=BooleanField()),
            ended=ExpressionWrapper(Q(end__range=during) & held_by(scope, "end"),
                                    output_field=BooleanField()),
            previous_end=Subquery(before.values("end")[:1]),
        )
        .filter(Q(started=True) | Q(ended=True))
        .order_by("child_id", "number")
        .values_list("child_id", "number", "start", "end", "previous_end", "started", "ended")
    )  # fmt: skip
    return [
        Plan(child_id, number, start, end if end is not None and end <= last else None,
             previous_end, started, ended)
        for child_id, number, start, end, previous_end, started, ended in found
    ]  # fmt: skip


@dataclass(frozen=True)
class Plans:
    """Child protection plans that began in the period (`ended`: that ended in it), as the
    engine places them: a count, or (`holds` given) those it holds of them.

    - The length of a plan ended, in the national statistics' bands (`months`: at least `low`
      months and under `high`), a month as the engine counts one (`timescales.dates.
      months_after`: 30 Sep to 30 Dec is 3 months to the day, so not "under 3 months").
    - A plan begun that is the child's second or later (`repeat`), ever or `within` months of
      the end of the plan before it (the day it ended counted: 1 Dec 2024 to 1 Dec 2026 is
      within 24 months, to 2 Dec 2026 is not)."""

    key: str
    label: str
    ended: bool
    counted: str
    months: tuple[int, int | None] | None = None
    repeat: bool = False
    within: int | None = None
    group: str = "Activity"

    def title(self) -> str:
        return self.label

    @property
    def count(self) -> bool:
        return self.months is None and not self.repeat

    def mine(self, plan: Plan) -> bool:
        return plan.ended if self.ended else plan.started

    def holds(self, plan: Plan) -> bool:
        if self.months is not None and plan.end is not None:
            low, high = self.months
            start, end = plan.start, plan.end
            return _months_after(start, low) <= end and (
                high is None or end < _months_after(start, high)
            )
        if self.repeat:
            if self.within is None:
                return plan.number > 0
            return plan.previous_end is not None and plan.start <= _months_after(
                plan.previous_end, self.within
            )
        return True

    def rows(self, scope: Scope, period: Period) -> list[Row]:
        mine = [p for p in plans_in(scope, period) if self.mine(p)]
        names = {
            pk: (ref, _name(first, last))
            for pk, ref, first, last in Child.objects.filter(
                pk__in=[p.child_id for p in mine]
            ).values_list("pk", "reference", "first_name", "last_name")
        }
        rows = []
        for plan in mine:
            ref, name = names[plan.child_id]
            what = f"Child protection plan {plan.number + 1}"
            if plan.previous_end is not None:
                what += f" (the last ended {formatting.day(plan.previous_end)})"
            on = plan.end if self.ended else plan.start
            rows.append(Row(plan.child_id, ref, name, what, plan.start, on, None, self.holds(plan)))
        return sorted(rows, key=lambda r: (r.day, r.name, r.child_id))


def concerns_raised(kind: str, scope: Scope, period: Period) -> QuerySet[Concern]:
    found = Concern.objects.filter(
        kind=kind, raised_on__range=(period.first, period.last)
    ).annotate(day=F("raised_on"))
    return in_scope(found, scope)


def concerns_open(scope: Scope, period: Period) -> QuerySet[Concern]:
    """Concerns open at some time in the period, each on the day it was resolved in it, else on
    the period's last day."""
    found = (
        Concern.objects.filter(kind=Kind.CONCERN, raised_on__lte=period.last)
        .filter(Q(resolved_on__isnull=True) | Q(resolved_on__gte=period.first))
        .annotate(
            day=Case(
                When(resolved_on__lte=period.last, then=F("resolved_on")),
                default=Value(period.last),
                output_field=DateField(),
            )
        )
    )
    return in_scope(found, scope)


def outcome_q(outcome: str, period: Period) -> Q:
    """What became of a concern open in the period by its last day (`Concerns.outcome`), from
    whether it was resolved by then and its stage (0 while informal), as a filter."""
    done = Q(resolved_on__lte=period.last)
    return {
        "resolved": done,
        "resolved_informally": done & Q(stage=0),
        "resolved_after_notice": done & Q(stage__gt=0),
        "still_open": Q(resolved_on__isnull=True) | Q(resolved_on__gt=period.last),
    }[outcome]


@dataclass(frozen=True)
class Concerns:
    """Concerns raised in the period (no `outcome`: a count; `partner`: those naming a partner
    agency; `kind` good practice: the notes made), or, with an `outcome` of `outcome_q`, those
    with that outcome by the period's last day of those open at some time in it."""

    key: str
    label: str
    counted: str
    outcome: str = ""
    group: str = "Escalations"
    kind: str = Kind.CONCERN
    partner: bool = False

    def title(self) -> str:
        return self.label

    def found(self, scope: Scope, period: Period) -> QuerySet[Concern]:
        if self.outcome:
            return concerns_open(scope, period)
        found = concerns_raised(self.kind, scope, period)
        return found.exclude(partner_agency="") if self.partner else found

    def numerator(self, period: Period) -> Q | None:
        """The filter of those in the numerator (None: every one, a count)."""
        return outcome_q(self.outcome, period) if self.outcome else None

    def rows(self, scope: Scope, period: Period) -> list[Row]:
        wanted = self.numerator(period)
        listed = (
            self.found(scope, period)
            .annotate(
                counted=Case(
                    When(wanted or Q(pk__isnull=False), then=Value(True)),
                    default=Value(False),
                    output_field=BooleanField(),
                )
            )
            .order_by("raised_on", "child__last_name", "child__first_name", "pk")
            .values_list(*_CHILD, "raised_on", "resolved_on", "kind", "partner_agency", "stage",
                         "counted")
        )  # fmt: skip
        rows = []
        for pk, ref, first, last, raised, resolved, kind, agency, stage, counted in listed:
            done = resolved is not None and resolved <= period.last
            day = (resolved if done else None) if self.outcome else raised
            what = Kind(kind).label if not agency else f"Dispute with {agency}"
            if self.outcome:
                what = f"{what} ({'informal' if stage == 0 else f'stage {stage}'})"
            rows.append(Row(pk, ref, _name(first, last), what, raised, day, None, counted))
        return rows


@dataclass(frozen=True)
class TeamConcerns:
    """A team's concerns: those raised in the period and those resolved of those open in it."""

    team: Team
    raised: Figure
    resolved: Figure


def concerns_by_team(scope: Scope, period: Period) -> list[TeamConcerns]:
    """Concerns raised and resolved for each team that held a child of them on the day each
    counts from (as the team filter counts them: a concern counts for every team holding the
    child that day), by the teams' names; two queries whatever the number of teams."""
    raised, resolved = DEFINITIONS["escalations_raised"], DEFINITIONS["escalations_resolved"]
    assert isinstance(raised, Concerns) and isinstance(resolved, Concerns)
    counts: dict[int, dict[str, tuple[int, int]]] = {}
    for d in (raised, resolved):
        held = Q(child__allocations__ends__isnull=True) | Q(child__allocations__ends__gte=F("day"))
        grouped = (
            d.found(scope, period)
            .filter(held, child__allocations__starts__lte=F("day"))
            .values_list("child__allocations__staff__team")
            .annotate(
                d=Count("pk", distinct=True),
                n=Count("pk", distinct=True, filter=d.numerator(period)),
            )
            .order_by()
        )
        for team_id, denominator, numerator in grouped:
            if team_id is not None and (scope.team is None or team_id == scope.team.pk):
                counts.setdefault(team_id, {})[d.key] = (numerator, denominator)
    found = []
    for team in Team.objects.filter(pk__in=counts).order_by("name"):
        mine = replace(scope, team=team)
        n_raised, _ = counts[team.pk].get(raised.key, (0, 0))
        n_resolved, n_open = counts[team.pk].get(resolved.key, (0, 0))
        found.append(
            TeamConcerns(
                team,
                _figure(raised, n_raised, None, mine, period),
                _figure(resolved, n_resolved, n_open, mine, period),
            )
        )
    return found


@dataclass(frozen=True)
class Caseloads:
    """Each IRO's caseload on a day within a scope's children, busiest first, and the children
    held (narrowed to those held by a member of the scope's team on the day, by its IRO): read
    once for both the "held by an IRO" figure and the caseload table."""

    rows: list[Caseload]
    held: set[int]


def caseloads_on(scope: Scope, period: Period) -> Caseloads:
    """Each IRO's caseload on the period's last day within the scope (child protection, looked
    after, per FTE, against the pack's guidance), busiest first, and the children held."""
    day = period.last
    rows = caseloads(day, scope.children)
    if scope.iro is not None:
        rows = [row for row in rows if row.iro.pk == scope.iro.pk]
    held = {child for row in rows for child in row.children}
    if scope.team is not None:
        held &= set(
            Allocation.objects.filter(
                open_allocations(day), staff__team=scope.team, child_id__in=held
            ).values_list("child_id", flat=True)
        )
    busiest = sorted(rows, key=lambda row: (-len(row.children), row.iro.user.last_name))
    return Caseloads(busiest, held)


@dataclass(frozen=True)
class HeldByIro:
    """Children held by an IRO on the period's last day: a count."""

    key: str
    label: str
    group: str = "Caseloads"
    counted: str = "Held"

    def title(self) -> str:
        return self.label

    def rows(self, scope: Scope, period: Period) -> list[Row]:
        found = caseloads_on(scope, period)
        looked_after = {c for row in found.rows for c in row.looked_after_children}
        listed = (
            Child.objects.filter(pk__in=found.held)
            .order_by("last_name", "first_name", "pk")
            .values_list("pk", "reference", "first_name", "last_name")
        )
        what = {True: "Looked after", False: "Child protection or other"}
        return [
            Row(pk, ref, _name(first, last), what[pk in looked_after], period.last, period.last,
                None, True)
            for pk, ref, first, last in listed
        ]  # fmt: skip


@dataclass(frozen=True)
class Flagged:
    """Children the engine flags with `code` today (not a period's figure): a count."""

    key: str
    label: str
    code: str
    group: str = "Activity"
    counted: str = "Flagged"

    def title(self) -> str:
        return self.label

    def found(self, scope: Scope) -> QuerySet[Flag]:
        found = Flag.objects.filter(code=self.code).annotate(day=F("as_of"))
        return in_scope(found, scope)

    def rows(self, scope: Scope, period: Period) -> list[Row]:
        listed = (
            self.found(scope)
            .order_by("child__last_name", "child__first_name", "pk")
            .values_list(*_CHILD, "as_of", "reason")
        )
        return [
            Row(pk, ref, _name(first, last), reason, day, day, None, True)
            for pk, ref, first, last, day, reason in listed
        ]


# The stability measure's placements in 12 months, and the distance that is far from home.
MOVES = 3
FAR_MILES = 20


class Placed(NamedTuple):
    """A child in a placement on the period's last day: the placement (begun on `start`, its
    end None while open that day, the `details` of the event that began it), and how many
    placements the child had in the 12 months to that day (this one included). A tuple: a
    council has tens of thousands of them to count."""

    child_id: int
    start: dt.date
    details: dict[str, Any]
    in_year: int

    def what(self) -> str:
        """The row's words: "3 placements in 12 months; Foster care, out of the area, 31 miles"."""
        details = self.details
        kind = str(details.get("placement_type") or "")
        words = [dict(PlacementType.choices).get(kind, "Type not recorded")]
        area = {"in": "in the area", "out": "out of the area"}.get(str(details.get("area")))
        if area:
            words.append(area)
        miles = _miles(details)
        if miles is not None:
            words.append(f"{miles:g} miles")
        count = f"{self.in_year} placement{'' if self.in_year == 1 else 's'} in 12 months"
        return f"{count}; {', '.join(words)}"


def _miles(details: dict[str, Any]) -> float | None:
    """The placement's distance from home in miles, where one is recorded."""
    distance = details.get("distance")
    if isinstance(distance, bool) or not isinstance(distance, int | float):
        return None
    return distance


def placed_on(scope: Scope, period: Period) -> list[Placed]:
    """The children of the scope in a placement on the period's last day (held by the scope's
    team or IRO that day), in child order: one query over the placements as the engine placed
    them when each child's obligations were last recomputed (`cases.models.Span`; placed by the
    events up to a day, a placement open on it is the same), each with the child's placements
    open at some time in the 12 months to that day (`placements_in_year`'s rule, in SQL: begun
    by the day and not ended by the day 12 months before). No child's name is read: the figures
    count them (`Placements.rows` names them; a join and a sort by name were half the figures'
    time at 100,000 children, issue 15)."""
    day = period.last
    year_before = months_before(day, 12)
    theirs = Span.objects.filter(child_id=OuterRef("child_id"), kind=Span.Kind.PLACEMENT)
    in_year = (
        theirs.filter(Q(end__isnull=True) | Q(end__gt=year_before), start__lte=day)
        .values("child_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    found = (
        _current_placements(scope, period)
        .annotate(in_year=Subquery(in_year))
        .order_by("child_id", "number")
        .values_list("child_id", "start", "details", "in_year")
    )
    # The child's latest placement, should two be open.
    return list({row[0]: Placed(*row) for row in found}.values())


def _current_placements(scope: Scope, period: Period) -> QuerySet[Span]:
    """The placements open on the period's last day within the scope."""
    day = period.last
    current = Span.objects.filter(
        Q(end__isnull=True) | Q(end__gt=day), kind=Span.Kind.PLACEMENT, start__lte=day
    ).annotate(day=Value(day, output_field=DateField()))
    return in_scope(current, scope)


def placements_in_year(placed: Iterable[Placement], day: dt.date) -> int:
    """How many of `placed` were open at some time in the 12 months to `day` (from the day 12
    months before, the engine's months; one that ended that day, the day of a move, is the
    year before's): the one count of placements in a year, read by the stability figure
    `placement_moves` and by Annex A list 8's "Number of Placements in the Last 12 months".
    DfE's short-term stability measure counts the children who "had 3 or more placements during
    the year", each placement open at any point in it, so a placement begun before the year
    and still open counts (Annex A's number includes the current placement, however long ago
    it began); counting only those begun in the year would give a child settled for two years
    no placement at all."""
    year_before = months_before(day, 12)
    return sum(1 for p in placed if p.start <= day and (p.end is None or p.end > year_before))


@dataclass(frozen=True)
class Placements:
    """Children in a placement on the period's last day; the numerator those `test` holds:
    `moves` (3 or more placements in 12 months), `out_of_area`, `far` (over 20 miles)."""

    key: str
    label: str
    counted: str
    test: str
    group: str = "Placements"

    def title(self) -> str:
        return self.label

    def holds(self, placed: Placed) -> bool:
        details = placed.details
        if self.test == "moves":
            return placed.in_year >= MOVES
        if self.test == "out_of_area":
            return details.get("area") == "out"
        miles = _miles(details)
        return miles is not None and miles > FAR_MILES

    def rows(self, scope: Scope, period: Period) -> list[Row]:
        """The children placed, by name (the names read by the placements' own query)."""
        placed = {p.child_id: p for p in placed_on(scope, period)}
        listed = (
            Child.objects.filter(pk__in=_current_placements(scope, period).values("child_id"))
            .order_by("last_name", "first_name", "pk")
            .values_list("pk", "reference", "first_name", "last_name")
        )
        return [
            Row(pk, ref, _name(first, last), p.what(), p.start, period.last, None,
                self.holds(p))
            for pk, ref, first, last in listed
            for p in (placed[pk],)
        ]  # fmt: skip


@dataclass(frozen=True)
class InProceedings:
    """Children in care proceedings at some time in the period (proceedings begun on or before
    its last day and not ended before its first, as the child's page places them:
    `cases.proceedings`), and of them those with the IRO's liaison with the children's guardian
    recorded in the period (Walsall, seed 002, 5.2: "close liaison with the child's guardian").
    A child counts once however many proceedings; for a team or an IRO, on the later of the
    proceedings' start and the period's first day."""

    key: str
    label: str
    group: str = "Activity"
    counted: str = "Liaison recorded"

    def title(self) -> str:
        return self.label

    def found(self, scope: Scope, period: Period) -> dict[int, list[Proceedings]]:
        """Each child's proceedings open in the period, by child: two queries, over the children
        with a start that no end closed before the period (an end on or after a start's day and
        before the period's first ends the proceedings it began, if it began any), and of their
        events only the types and days `proceedings_of` places proceedings by (no details: JSON
        read for every event was half the figure's time, issue 15)."""
        counted_on = Greatest(F("date"), Value(period.first, output_field=DateField()))
        closed_before = Event.objects.filter(
            child_id=OuterRef("child_id"),
            type=E.PROCEEDINGS_END,
            date__gte=OuterRef("date"),
            date__lt=period.first,
        )
        starts = in_scope(
            Event.objects.filter(type=E.PROCEEDINGS_START, date__lte=period.last)
            .exclude(Exists(closed_before))
            .annotate(day=counted_on),
            scope,
        )
        mine = set(starts.values_list("pk", flat=True))
        if not mine:
            return {}
        rows = (
            Event.objects.filter(
                child_id__in=starts.values("child_id"),
                type__in=PROCEEDINGS_EVENTS,
                date__lte=period.last,
            )
            .order_by("child_id", "date", "pk")
            .values_list("child_id", "pk", "type", "date", "time")
        )
        found: dict[int, list[Proceedings]] = {}
        for child_id, events in groupby(rows, key=lambda row: row[0]):
            open_in = [
                p
                for p in proceedings_of(EventRow(*r[1:], {}) for r in events)
                if p.started.pk in mine and (p.end is None or p.end >= period.first)
            ]
            if open_in:
                found[child_id] = open_in
        return found

    @staticmethod
    def liaisons(found: list[Proceedings], period: Period) -> list[dt.date]:
        return sorted(
            e.date for p in found for e in p.liaisons if period.first <= e.date <= period.last
        )

    def counts(self, scope: Scope, period: Period) -> tuple[int, int]:
        found = self.found(scope, period)
        return sum(1 for p in found.values() if self.liaisons(p, period)), len(found)

    def rows(self, scope: Scope, period: Period) -> list[Row]:
        found = self.found(scope, period)
        names = {
            pk: (ref, _name(first, last))
            for pk, ref, first, last in Child.objects.filter(pk__in=list(found)).values_list(
                "pk", "reference", "first_name", "last_name"
            )
        }
        rows = []
        for child_id, mine in found.items():
            ref, name = names[child_id]
            liaisons = self.liaisons(mine, period)
            what = f"Care proceedings begun {formatting.day(mine[-1].start)}"
            last = liaisons[-1] if liaisons else None
            rows.append(Row(child_id, ref, name, what, mine[-1].start, last, None, bool(last)))
        return sorted(rows, key=lambda r: (r.name, r.child_id))


@dataclass(frozen=True)
class Carers:
    """A foster carer figure (`measure`, see the module's docstring): households, not children,
    counted council-wide by `carer_counts`."""

    key: str
    label: str
    counted: str
    measure: str
    group: str = "Foster carers"

    def title(self) -> str:
        return self.label

    def rows(self, scope: Scope, period: Period) -> list[Row]:
        return []  # no child is behind a household's figure


def carer_counts(period: Period, today: dt.date) -> dict[str, tuple[int, int | None]]:
    """Each `Carers.measure`'s (numerator, denominator) for `period`: two queries, the
    households with their reviews and the concerns about them."""
    due = held_in_time = overdue = 0
    held = continuing = new_terms = 0
    for carer in Carer.objects.prefetch_related("reviews").order_by("pk"):
        reviews = sorted(carer.reviews.all(), key=lambda r: r.held_on)
        for owed in reviews_owed(carer, [r.held_on for r in reviews]):
            if period.first <= owed.due <= period.last and (
                owed.held_on is not None or owed.due < today
            ):
                due += 1
                held_in_time += owed.in_time()
            if owed.due < period.last and (owed.held_on is None or owed.held_on > period.last):
                overdue += 1
        for review in reviews:
            if period.first <= review.held_on <= period.last:
                held += 1
                continuing += review.continue_to_foster
                new_terms += not review.terms_appropriate
    concerns = CarerConcern.objects.filter(raised_on__lte=period.last).exclude(
        resolved_on__lt=period.first
    )
    raised = opened = resolved = 0
    for raised_on, resolved_on in concerns.values_list("raised_on", "resolved_on"):
        opened += 1
        raised += raised_on >= period.first
        resolved += resolved_on is not None and resolved_on <= period.last
    return {
        "reviews_in_time": (held_in_time, due),
        "reviews_overdue": (overdue, None),
        "reviews_held": (held, None),
        "continue_to_foster": (continuing, held),
        "new_terms": (new_terms, held),
        "concerns_raised": (raised, None),
        "concerns_resolved": (resolved, opened),
    }


PROCEEDINGS_EVENTS = (
    EventType.PROCEEDINGS_START,
    EventType.PROCEEDINGS_END,
    EventType.GUARDIAN_LIAISON,
)

# The national statistics' bands of a plan's length, in months (at least, under).
PLAN_LENGTHS = tuple(
    Plans(key, f"Plans ended that lasted {words}", True, "In this band", months=months)
    for key, words, months in (
        ("plan_length_under_3_months", "under 3 months", (0, 3)),
        ("plan_length_3_to_6_months", "3 months to under 6", (3, 6)),
        ("plan_length_6_to_12_months", "6 months to under 1 year", (6, 12)),
        ("plan_length_1_to_2_years", "1 year to under 2", (12, 24)),
        ("plan_length_2_years_or_more", "2 years or more", (24, None)),
    )
)

Definition = (
    Held
    | Band
    | Due
    | Events
    | Plans
    | Concerns
    | HeldByIro
    | Flagged
    | Placements
    | InProceedings
    | Carers
)

E = EventType
# A complaint's outcomes, as its response event records them (`complaints.constants.Outcome`,
# a part beside this one: the spec's values, `docs/spec/timescales.md`).
COMPLAINT_OUTCOMES = (
    ("upheld", "Upheld"),
    ("partly_upheld", "Partly upheld"),
    ("not_upheld", "Not upheld"),
)
_EVERY: tuple[Definition, ...] = (
    Held("icpc_within_15_wd", "ICPCs held within {} of the strategy discussion", (ICPC,)),
    Band("icpc_s47_0_10_wd", 0, 10),
    Band("icpc_s47_11_15_wd", 11, 15),
    Band("icpc_s47_16_20_wd", 16, 20),
    Band("icpc_s47_21_plus_wd", 21, None),
    Held(
        "core_group_first_in_time",
        "First core groups held within {} of the ICPC",
        ("cp.core_group.first",),
    ),
    Held(
        "rcpc_in_time",
        "Review conferences (RCPCs) held in time",
        ("cp.rcpc.first", "cp.rcpc.next"),
    ),
    Held("rcpc_first_in_time", "First RCPCs held within {} of the ICPC", ("cp.rcpc.first",)),
    Held("rcpc_later_in_time", "Later RCPCs held within {} of the last", ("cp.rcpc.next",)),
    Due(
        "cp_visit_in_time",
        "Child protection visits due in the period made within {} of the last",
        ("cp.visit",),
    ),
    Held(
        "lac_review_in_time",
        "Looked-after reviews held in time",
        ("lac.review.first", "lac.review.second", "lac.review.next"),
    ),
    Held(
        "lac_review_first_in_time",
        "First looked-after reviews held within {} of becoming looked after",
        ("lac.review.first",),
    ),
    Held(
        "lac_review_second_in_time",
        "Second looked-after reviews held within {} of the first",
        ("lac.review.second",),
    ),
    Held(
        "lac_review_later_in_time",
        "Later looked-after reviews held within {} of the last",
        ("lac.review.next",),
    ),
    Due(
        "sw_consulted_before_review",
        "Social workers consulted {} the looked-after review",
        ("lac.review.sw_consultation",),
    ),
    Due(
        "documents_before_review",
        "Review documents received {} the looked-after review",
        ("lac.review.documents",),
    ),
    Held(
        "lac_review_decisions_in_time",
        "Review decisions issued within {} of the review",
        ("lac.review.decisions",),
    ),
    Held(
        "lac_review_record_in_time",
        "Review records issued within {} of the review",
        ("lac.review.record",),
    ),
    Held(
        "iro_allocated_in_time",
        "IROs allocated within {} of becoming looked after",
        ("lac.iro.allocate",),
    ),
    Due(
        "lac_sw_visit_in_time",
        "Social workers' visits to looked-after children due in the period, made in time",
        ("lac.sw_visit",),
    ),
    Due(
        "lac_adoption_review_in_time",
        "Reviews within {} of a placement order for adoption due in the period, held in time",
        ("lac.adoption.review",),
    ),
    Events(
        "visits_requested",
        "Visits the children asked their social worker for",
        (E.VISIT_REQUESTED,),
    ),
    Due(
        "midway_booked",
        "Midway reviews booked for a day in the period",
        ("booked.midway_review",),
        counted="Booked",
        count=True,
        statuses=EVERY_STATUS,
    ),
    Events("midway_held", "Midway reviews held", (E.MIDWAY_REVIEW,), "Timeliness", ("held",)),
    Events(
        "midway_not_needed",
        "Midway reviews the chair decided were not needed",
        (E.MIDWAY_REVIEW,),
        "Timeliness",
        ("not_needed",),
    ),
    Due(
        "midway_missed",
        "Booked midway reviews not held",
        ("booked.midway_review",),
        counted="Not held",
        count=True,
        statuses=(Obligation.Status.OVERDUE,),
    ),
    Events("conferences_held", "Child protection conferences held", (E.ICPC, E.RCPC)),
    Events("icpcs_held", "Initial child protection conferences held", (E.ICPC,)),
    Events("rcpcs_held", "Review child protection conferences held", (E.RCPC,)),
    Events("lac_reviews_held", "Looked-after reviews held", (E.LAC_REVIEW,)),
    Events("consultations", "IRO consultations", (E.CONSULTATION,)),
    Events(
        "consultations_to_icpc",
        "Consultations with the outcome: to ICPC",
        (E.CONSULTATION,),
        outcomes=("icpc",),
    ),
    Events(
        "consultations_to_tac",
        "Consultations with the outcome: TAC",
        (E.CONSULTATION,),
        outcomes=("tac",),
    ),
    Events(
        "consultations_other",
        "Consultations with another outcome (more information, advice, a disagreement)",
        (E.CONSULTATION,),
        outcomes=("more_information", "advice", "disagree_threshold"),
    ),
    Held(
        "tac_after_consultation_in_time",
        "TACs held within {} of the consultation",
        ("consult.tac",),
        "Activity",
    ),
    Events(
        "rcpc_brought_forward",
        "Review conferences (RCPCs) brought forward",
        (E.MEETING_BOOKED,),
        counted="Brought forward in the period",
        forward="rcpc",
    ),
    Plans("plans_started", "Child protection plans started", False, "Started"),
    Plans(
        "plans_second_or_later",
        "Plans started that are the child's second or later",
        False,
        "Second or later",
        repeat=True,
    ),
    Plans(
        "plans_second_within_2_years",
        "Plans started within 2 years of the child's last plan ending",
        False,
        "Within 2 years",
        repeat=True,
        within=24,
    ),
    Plans("plans_ended", "Child protection plans ended", True, "Ended"),
    *PLAN_LENGTHS,
    Flagged(
        "support_challenge_panel",
        "Candidates for the Support and Challenge Panel (today)",
        "cp.support_challenge_panel",
    ),
    Concerns("escalations_raised", "Concerns raised", "Raised in the period"),
    Concerns(
        "escalations_resolved",
        "Concerns resolved, of those open in the period",
        "Resolved in the period",
        "resolved",
    ),
    Concerns(
        "escalations_resolved_informally",
        "Concerns resolved informally, of those open in the period",
        "Resolved informally",
        "resolved_informally",
    ),
    Concerns(
        "escalations_resolved_after_notice",
        "Concerns resolved after a formal notice, of those open in the period",
        "Resolved after a notice",
        "resolved_after_notice",
    ),
    Concerns(
        "escalations_still_open",
        "Concerns still open on the period's last day, of those open in the period",
        "Still open",
        "still_open",
    ),
    Events("escalation_notices", "Formal notices issued", (E.ESCALATION_NOTICE,), "Escalations"),
    Due(
        "escalation_responses_in_time",
        "Responses to concerns and notices due in the period, in time",
        ("esc.informal.response", "esc.stage.response"),
        "Escalations",
    ),
    Concerns(
        "partner_disputes",
        "Disputes with partner agencies raised",
        "Raised in the period",
        partner=True,
    ),
    Concerns(
        "good_practice",
        "Good practice noted",
        "Noted in the period",
        kind=Kind.GOOD_PRACTICE,
    ),
    InProceedings(
        "proceedings_guardian_liaison",
        "Children in care proceedings with the IRO's liaison with the guardian in the period",
    ),
    Events(
        "court_applications",
        "Applications to the court for an order by the child or an adult for them",
        (E.COURT_APPLICATION,),
    ),
    Events("cafcass_referrals", "Referrals to Cafcass", (E.CAFCASS_REFERRAL,), "Escalations"),
    Events(
        "legal_advice",
        "Independent legal advice sought",
        (E.LEGAL_ADVICE_SOUGHT,),
        "Escalations",
    ),
    Events("complaints_received", "Complaints received", (E.COMPLAINT_RECEIVED,), "Complaints"),
    Due(
        "complaints_acknowledged_in_time",
        "Complaints due to be acknowledged in the period, acknowledged within {}",
        ("complaint.acknowledge",),
        "Complaints",
    ),
    Due(
        "complaints_answered_in_time",
        "Complaints due to be answered in the period, answered within {}",
        ("complaint.response",),
        "Complaints",
    ),
    *(
        Events(
            f"complaints_{outcome}",
            f"Complaints answered: {label.lower()}",
            (E.COMPLAINT_RESPONSE,),
            "Complaints",
            (outcome,),
            "Answered in the period",
        )
        for outcome, label in COMPLAINT_OUTCOMES
    ),
    HeldByIro("caseload_held", "Children held by an IRO on the period's last day"),
    Placements(
        "placement_moves",
        "Children in a placement on the period's last day with 3 or more placements in the "
        "last 12 months",
        "3 or more placements",
        "moves",
    ),
    Placements(
        "placed_out_of_area",
        "Children in a placement on the period's last day placed out of the council's area",
        "Out of the area",
        "out_of_area",
    ),
    Placements(
        "placed_over_20_miles",
        "Children in a placement on the period's last day placed more than 20 miles from home",
        "More than 20 miles",
        "far",
    ),
    Carers(
        "carer_reviews_in_time",
        "Foster carer reviews due in the period, held within a year",
        "In time",
        "reviews_in_time",
    ),
    Carers(
        "carer_reviews_overdue",
        "Foster carer households with a review overdue on the period's last day",
        "Overdue",
        "reviews_overdue",
    ),
    Carers("carer_reviews_held", "Foster carer reviews held", "Held", "reviews_held"),
    Carers(
        "carer_reviews_continue",
        "Foster carer reviews held recommending the carers continue to foster",
        "Continue to foster",
        "continue_to_foster",
    ),
    Carers(
        "carer_reviews_new_terms",
        "Foster carer reviews held recommending new terms of approval",
        "New terms",
        "new_terms",
    ),
    Carers(
        "carer_concerns_raised",
        "Concerns about foster carers raised",
        "Raised in the period",
        "concerns_raised",
    ),
    Carers(
        "carer_concerns_resolved",
        "Concerns about foster carers resolved, of those open in the period",
        "Resolved in the period",
        "concerns_resolved",
    ),
)
# The dashboard's sections, in its order.
GROUPS = (
    "Timeliness",
    "Activity",
    "Escalations",
    "Complaints",
    "Caseloads",
    "Placements",
    "Foster carers",
)
# Every figure by its key, section by section in the dashboard's order (each section's figures in
# the order written above): a section is one table, however its figures were added.
DEFINITIONS: dict[str, Definition] = {
    d.key: d for d in sorted(_EVERY, key=lambda d: GROUPS.index(d.group))
}


def _figure(
    d: Definition, numerator: int, denominator: int | None, scope: Scope, period: Period
) -> Figure:
    return Figure(d.key, d.title(), numerator, denominator, d.counted, d.group, scope, period)


def _obligation_counts(
    held: list[Held], bands: list[Band], scope: Scope, period: Period
) -> dict[str, int]:
    """The numerator ("KEY:n") and denominator ("KEY:d") of each held figure and ICPC band, from
    one query: the met obligations grouped by code and whether in time, an ICPC's also by its
    strategy discussion's day and its own (the bands' working days are counted here, by the
    engine's calendar, once for each pair of days)."""
    codes = {c for d in held for c in d.codes} | ({ICPC} if bands else set())
    only_icpc: dict[str, Any] = {"output_field": DateField()}
    grouped = (
        _held(codes, scope, period)
        .annotate(
            start=Case(When(code=ICPC, then=F("trigger_date")), **only_icpc),
            end=Case(When(code=ICPC, then=F("met_on")), **only_icpc),
        )
        .values_list("code", "on_time", "start", "end")
        .annotate(n=Count("*"))
        .order_by()
    )
    policy = active_pack().policy
    per_code: Counter[tuple[str, bool]] = Counter()
    icpc_days: Counter[int] = Counter()  # working days from the strategy discussion -> ICPCs
    for code, on_time, start, end, n in grouped:
        per_code[(code, on_time is True)] += n
        if code == ICPC:
            icpc_days[_after(start, end, policy)] += n
    counts: dict[str, int] = {}
    for d in held:
        counts[f"{d.key}:n"] = sum(per_code[(c, True)] for c in d.codes)
        counts[f"{d.key}:d"] = counts[f"{d.key}:n"] + sum(per_code[(c, False)] for c in d.codes)
    for band in bands:
        counts[f"{band.key}:n"] = sum(n for days, n in icpc_days.items() if band.holds(days))
        counts[f"{band.key}:d"] = icpc_days.total()
    return counts


def _due_counts(due: list[Due], scope: Scope, period: Period) -> dict[str, tuple[int, int | None]]:
    """Each due figure's (numerator, denominator), from one query: the obligations due in the
    period grouped by code, status and whether in time."""
    grouped = (
        _due({c for d in due for c in d.codes}, EVERY_STATUS, scope, period)
        .values_list("code", "status", "on_time")
        .annotate(n=Count("*"))
        .order_by()
    )
    found: Counter[tuple[str, str, bool]] = Counter()
    for code, status, on_time, n in grouped:
        found[(code, status, on_time is True)] += n
    counts: dict[str, tuple[int, int | None]] = {}
    for d in due:
        mine = {k: n for k, n in found.items() if k[0] in d.codes and k[1] in d.statuses}
        total = sum(mine.values())
        if d.count:
            counts[d.key] = (total, None)
        else:
            counts[d.key] = (sum(n for k, n in mine.items() if k[2]), total)
    return counts


def _event_counts(events: list[Events], scope: Scope, period: Period) -> dict[str, int]:
    """Each event figure's count, from two queries: the period's events of the types a figure
    counts by outcome (or only the bookings bringing a meeting forward) by type, outcome and
    the meeting brought forward, and the rest by type alone, which reads an index and no
    event's details (the JSON of every conference and review of a year was most of the
    figures' time at 100,000 children, issue 15)."""
    every = {t for d in events if not d.forward for t in d.types}
    forward = {t for d in events if d.forward for t in d.types} - every
    by_outcome = {t for d in events if d.outcomes for t in d.types}
    read = (
        events_in(every & by_outcome, scope, period, brought_forward=forward)
        .values_list(*EVENT_READ)
        .annotate(n=Count("*"))
        .order_by()
    )
    listed = [*read]
    if every - by_outcome:
        plain = events_in(every - by_outcome, scope, period).values_list("type")
        listed += [(t, None, None, n) for t, n in plain.annotate(n=Count("*")).order_by()]
    return {
        d.key: sum(n for type_, outcome, forward, n in listed if d.holds(type_, outcome, forward))
        for d in events
    }


def _concern_counts(
    concerns: list[Concerns], scope: Scope, period: Period
) -> dict[str, tuple[int, int | None]]:
    """Each concern figure's (numerator, denominator), from two queries: the concerns and notes
    raised in the period, counted for each figure of them, and those open at some time in it,
    counted for each outcome."""
    counts: dict[str, tuple[int, int | None]] = {}
    raised = [d for d in concerns if not d.outcome]
    if raised:
        found = Concern.objects.filter(
            kind__in=sorted({d.kind for d in raised}),
            raised_on__range=(period.first, period.last),
        ).annotate(day=F("raised_on"))
        totals = in_scope(found, scope).aggregate(
            **{
                d.key: Count(
                    "pk", filter=Q(kind=d.kind) & (~Q(partner_agency="") if d.partner else Q())
                )
                for d in raised
            }
        )
        counts.update({d.key: (totals[d.key], None) for d in raised})
    outcomes = [d for d in concerns if d.outcome]
    if outcomes:
        totals = concerns_open(scope, period).aggregate(
            every=Count("pk"),
            **{d.key: Count("pk", filter=outcome_q(d.outcome, period)) for d in outcomes},
        )
        counts.update({d.key: (totals[d.key], totals["every"]) for d in outcomes})
    return counts


def figures(
    scope: Scope,
    period: Period,
    keys: Iterable[str] | None = None,
    *,
    iro_caseloads: Caseloads | None = None,
) -> list[Figure]:
    """The figures of `keys` (every figure when None) for `scope` in `period`, in the
    dashboard's order; `iro_caseloads`: the caseloads already read for the same scope and period
    (`caseloads_on`), so that a page showing their table beside the figures reads them once."""
    wanted = [DEFINITIONS[key] for key in (DEFINITIONS if keys is None else keys)]
    held = [d for d in wanted if isinstance(d, Held)]
    bands = [d for d in wanted if isinstance(d, Band)]
    counts = _obligation_counts(held, bands, scope, period) if held or bands else {}
    due = [d for d in wanted if isinstance(d, Due)]
    due_counts = _due_counts(due, scope, period) if due else {}
    events = [d for d in wanted if isinstance(d, Events)]
    event_counts = _event_counts(events, scope, period) if events else {}
    plans = plans_in(scope, period) if any(isinstance(d, Plans) for d in wanted) else []
    plans_started = [p for p in plans if p.started]
    plans_ended = [p for p in plans if p.ended]
    concerns = [d for d in wanted if isinstance(d, Concerns)]
    concern_counts = _concern_counts(concerns, scope, period) if concerns else {}
    placed = placed_on(scope, period) if any(isinstance(d, Placements) for d in wanted) else []
    carers = (
        carer_counts(period, timezone.localdate())
        if any(isinstance(d, Carers) for d in wanted)
        else {}
    )
    found = []
    for d in wanted:
        if isinstance(d, Concerns):
            found.append(_figure(d, *concern_counts[d.key], scope, period))
        elif isinstance(d, Due):
            found.append(_figure(d, *due_counts[d.key], scope, period))
        elif isinstance(d, Events):
            found.append(_figure(d, event_counts[d.key], None, scope, period))
        elif isinstance(d, Plans):
            mine = plans_ended if d.ended else plans_started
            counted = len(mine) if d.count else sum(d.holds(p) for p in mine)
            found.append(_figure(d, counted, None if d.count else len(mine), scope, period))
        elif isinstance(d, HeldByIro):
            if iro_caseloads is None:
                iro_caseloads = caseloads_on(scope, period)
            found.append(_figure(d, len(iro_caseloads.held), None, scope, period))
        elif isinstance(d, Flagged):
            found.append(_figure(d, d.found(scope).count(), None, scope, period))
        elif isinstance(d, Placements):
            found.append(_figure(d, sum(d.holds(p) for p in placed), len(placed), scope, period))
        elif isinstance(d, InProceedings):
            found.append(_figure(d, *d.counts(scope, period), scope, period))
        elif isinstance(d, Carers):
            found.append(_figure(d, *carers[d.measure], scope, period))
        else:
            found.append(_figure(d, counts[f"{d.key}:n"], counts[f"{d.key}:d"], scope, period))
    return found


def figure(key: str, scope: Scope, period: Period) -> Figure:
    """The figure `key` (KeyError for a key no figure has)."""
    return figures(scope, period, [key])[0]


def by_month(keys: Sequence[str], scope: Scope, months: Sequence[Period]) -> list[list[Figure]]:
    """The figures of `keys` (held figures and concerns raised) for each of `months` (whole
    calendar months, in order), as `figures` counts each month: one query for the held figures
    and one for each concern figure, grouped by month, whatever the number of months."""
    wanted = [DEFINITIONS[key] for key in keys]
    whole = Period(months[0].first, months[-1].last)
    held = [d for d in wanted if isinstance(d, Held)]
    per_month: Counter[tuple[dt.date, str, bool]] = Counter()
    if held:
        grouped = (
            _held({c for d in held for c in d.codes}, scope, whole)
            .annotate(month=TruncMonth("met_on"))
            .values_list("month", "code", "on_time")
            .annotate(n=Count("*"))
            .order_by()
        )
        for month, code, on_time, n in grouped:
            per_month[(month, code, on_time is True)] += n
    raised: dict[str, Counter[dt.date]] = {}
    for d in wanted:
        if isinstance(d, Concerns) and not d.outcome:
            found = d.found(scope, whole).annotate(month=TruncMonth("raised_on"))
            counted = found.values_list("month").annotate(n=Count("pk")).order_by()
            raised[d.key] = Counter({month: n for month, n in counted})
    table = []
    for period in months:
        row = []
        for d in wanted:
            if isinstance(d, Held):
                n = sum(per_month[(period.first, c, True)] for c in d.codes)
                late = sum(per_month[(period.first, c, False)] for c in d.codes)
                row.append(_figure(d, n, n + late, scope, period))
            elif isinstance(d, Concerns) and not d.outcome:
                row.append(_figure(d, raised[d.key][period.first], None, scope, period))
            else:
                raise KeyError(f"{d.key}: not counted by month")
        table.append(row)
    return table
