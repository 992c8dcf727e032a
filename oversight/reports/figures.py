"""The service's figures for a period, each with the children behind it: the one query layer of
the dashboard, its lists and exports, and `oversight report`.

    figures(scope, period) -> list[Figure]     every figure, in the dashboard's order
    figure(key, scope, period) -> Figure       one of them (KeyError for an unknown key)
    Figure.children() -> list[Row]             the rows behind it: its denominator, each marked
                                               `counted` when it is in the numerator

How each figure counts (never a second copy of the engine's rules):

- A period is a closed interval [first, last]: both days count.
- **Held in time** (ICPCs, first core groups, RCPCs, looked-after reviews and their decisions
  and records, IROs allocated): the
  stored obligations (`cases.models.Obligation`) met in the period (`met_on` in it: the meeting
  held, the IRO allocated) are the denominator; those the engine judged `on_time` under the
  active pack are the numerator. A meeting not held yet is in none of them (My caseload and the
  team view show it overdue), and one held late counts in the period it was held.
- **ICPC bands**, as the national statistics count them: the ICPCs held in the period by the
  working days from the strategy discussion that started the section 47 enquiries to the ICPC
  (the discussion's day not counted, the ICPC's day counted: `timescales.dates.
  working_days_between`, on the active pack's calendar). The denominator is every ICPC held.
- **Concerns** (`escalations.models.Concern`, good practice notes apart): raised in the period
  (a count: no denominator); resolved in the period, of those open at some time in it (raised on
  or before its last day and not resolved before its first).
- **Team and IRO**: a row counts for a team when a member of the team held the child (an
  allocation, any role, open on that day) on the row's day: the day the meeting was held or the
  IRO allocated, the concern raised, the concern resolved (the period's last day for a concern
  still open). For an IRO, the same with an IRO allocation of theirs. A child who moved between
  teams in the period counts for each team with the rows of its days there.
- **Access**: only the children of `scope.children` (the viewer's `children_for_user`); the
  command, which has no viewer, counts every child (`Scope()`).

Every figure together is three queries whatever the period's size: one for the held figures and
the ICPC bands, one for each concern figure."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import Case, Count, DateField, Exists, F, OuterRef, Q, QuerySet, Value, When

from oversight.cases.constants import Role
from oversight.cases.models import Allocation, Child, Obligation, StaffMember, Team
from oversight.cases.obligations import active_pack
from oversight.escalations.constants import Kind
from oversight.escalations.models import Concern
from oversight.timescales.dates import working_days_between
from oversight.timescales.rules import Policy


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
class Scope:
    """Whose figures: the children a viewer may see (None: every child), narrowed to a team and
    an IRO holding them on each row's day."""

    children: QuerySet[Child] | None = None
    team: Team | None = None
    iro: StaffMember | None = None


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


def _held_on_day(**allocation: object) -> Exists:
    """An allocation matching `allocation` of the row's child, open on the row's `day`."""
    return Exists(
        Allocation.objects.filter(
            Q(ends__isnull=True) | Q(ends__gte=OuterRef("day")),
            child_id=OuterRef("child_id"),
            starts__lte=OuterRef("day"),
            **allocation,
        )
    )


def _scoped[M: (Obligation, Concern)](found: QuerySet[M], scope: Scope) -> QuerySet[M]:
    """`found` (annotated with its rows' `day`) within `scope`."""
    if scope.children is not None:
        found = found.filter(child_id__in=scope.children.values("pk"))
    if scope.team is not None:
        found = found.filter(_held_on_day(staff__team=scope.team))
    if scope.iro is not None:
        found = found.filter(_held_on_day(staff=scope.iro, role=Role.IRO))
    return found


def _held(codes: Iterable[str], scope: Scope, period: Period) -> QuerySet[Obligation]:
    """The obligations of `codes` met in `period`, each on the day it was met."""
    found = Obligation.objects.filter(
        code__in=sorted(codes),
        status=Obligation.Status.MET,
        met_on__range=(period.first, period.last),
    ).annotate(day=F("met_on"))
    return _scoped(found, scope)


_CHILD = ("child_id", "child__reference", "child__first_name", "child__last_name")


def _name(first: str, last: str) -> str:
    return f"{first} {last}".strip() or "Unborn child"


# What a met obligation of a held figure was, for its row (the caseload's labels say what is due).
HELD_WHAT = {
    "cp.icpc": "ICPC",
    "cp.core_group.first": "First core group",
    "cp.rcpc.first": "First RCPC",
    "cp.rcpc.next": "Later RCPC",
    "lac.review.first": "First looked-after review",
    "lac.review.second": "Second looked-after review",
    "lac.review.next": "Later looked-after review",
    "lac.review.decisions": "Review decisions issued",
    "lac.review.record": "Review record issued",
    "lac.iro.allocate": "IRO allocated",
}


def _obligation_rows(found: QuerySet[Obligation]) -> list[Row]:
    """Each obligation of `found` as a Row (counted from its trigger's day; counted: on time)."""
    listed = found.order_by("met_on", "child__last_name", "child__first_name", "pk").values_list(
        *_CHILD, "code", "trigger_date", "met_on", "due", "on_time"
    )
    return [
        Row(pk, ref, _name(first, last), HELD_WHAT[code], start, met, due, on_time is True)
        for pk, ref, first, last, code, start, met, due, on_time in listed
    ]


def _rule(code: str) -> str:
    """The active pack's timescale of `code` in words ("15 working days")."""
    for row in active_pack().policy.obligations:
        if row.code == code:
            return str(row.due)
    return "the timescale"


@dataclass(frozen=True)
class Held:
    """Meetings (or allocations) of `codes` held in the period; in time as the engine judged."""

    key: str
    label: str
    codes: tuple[str, ...]
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


def _concerns_raised(scope: Scope, period: Period) -> QuerySet[Concern]:
    found = Concern.objects.filter(
        kind=Kind.CONCERN, raised_on__range=(period.first, period.last)
    ).annotate(day=F("raised_on"))
    return _scoped(found, scope)


def _concerns_open(scope: Scope, period: Period) -> QuerySet[Concern]:
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
    return _scoped(found, scope)


@dataclass(frozen=True)
class Concerns:
    """Concerns raised in the period (`resolved` False: a count), or resolved in it of those open
    at some time in it."""

    key: str
    label: str
    resolved: bool
    counted: str

    def title(self) -> str:
        return self.label

    def found(self, scope: Scope, period: Period) -> QuerySet[Concern]:
        return (_concerns_open if self.resolved else _concerns_raised)(scope, period)

    def rows(self, scope: Scope, period: Period) -> list[Row]:
        listed = (
            self.found(scope, period)
            .order_by("raised_on", "child__last_name", "child__first_name", "pk")
            .values_list(*_CHILD, "raised_on", "resolved_on")
        )
        rows = []
        for pk, ref, first, last, raised, resolved in listed:
            done = resolved is not None and resolved <= period.last
            day = (resolved if done else None) if self.resolved else raised
            rows.append(
                Row(
                    pk,
                    ref,
                    _name(first, last),
                    "Concern",
                    raised,
                    day,
                    None,
                    done or not self.resolved,
                )
            )
        return rows


Definition = Held | Band | Concerns

DEFINITIONS: dict[str, Definition] = {
    d.key: d
    for d in (
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
        Concerns("escalations_raised", "Concerns raised", False, "Raised in the period"),
        Concerns(
            "escalations_resolved",
            "Concerns resolved, of those open in the period",
            True,
            "Resolved in the period",
        ),
    )
}


def _figure(
    d: Definition, numerator: int, denominator: int | None, scope: Scope, period: Period
) -> Figure:
    group = "Concerns" if isinstance(d, Concerns) else "Timeliness"
    return Figure(d.key, d.title(), numerator, denominator, d.counted, group, scope, period)


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
        .annotate(n=Count("pk"))
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


def figures(scope: Scope, period: Period, keys: Iterable[str] | None = None) -> list[Figure]:
    """The figures of `keys` (every figure when None) for `scope` in `period`, in the
    dashboard's order."""
    wanted = [DEFINITIONS[key] for key in (DEFINITIONS if keys is None else keys)]
    held = [d for d in wanted if isinstance(d, Held)]
    bands = [d for d in wanted if isinstance(d, Band)]
    counts = _obligation_counts(held, bands, scope, period) if held or bands else {}
    found = []
    for d in wanted:
        if isinstance(d, Concerns):
            concerns = d.found(scope, period)
            if d.resolved:
                totals = concerns.aggregate(
                    d=Count("pk"), n=Count("pk", filter=Q(resolved_on__lte=period.last))
                )
                found.append(_figure(d, totals["n"], totals["d"], scope, period))
            else:
                found.append(_figure(d, concerns.count(), None, scope, period))
        else:
            found.append(_figure(d, counts[f"{d.key}:n"], counts[f"{d.key}:d"], scope, period))
    return found


def figure(key: str, scope: Scope, period: Period) -> Figure:
    """The figure `key` (KeyError for a key no figure has)."""
    return figures(scope, period, [key])[0]
