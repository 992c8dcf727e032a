"""Ofsted's Annex A lists 5, 7 and 8 for the six months before a date, in Ofsted's columns and
their order (the layout of the liia-tools sample `Annex_A.xlsx`): a column Oversight does not
hold is present and empty, and `NOT_HELD` names them for the page.

    annex_list(number, scope, day) -> AnnexList     its columns, its window and its lines

- The window is the closed interval [the same day six months before `day`, `day`] (31 Aug: from
  28 Feb), a month as the engine counts one (`timescales.dates.months_before`).
- **List 5**, section 47 enquiries: each strategy discussion in the window, with the ICPC that
  followed it (the `cp.icpc` obligation it triggered, met on the ICPC's day), whether an ICPC
  was found unnecessary (an `icpc_not_required` after it), whether the ICPC made a plan, and the
  child's strategy discussions and ICPCs in the 12 months before `day`.
- **List 7**, child protection plans: each plan open at some time in the window, as the engine
  placed plans when the child's obligations were last computed (`cases.models.Span`, as the
  figures read them; a child never computed is placed by `cases.chronology.periods` here), with
  the categories of abuse of its first and latest conferences that name any, the last visit and
  review conference on or before `day`, its end if it ended by `day`, and the plans before it.
- **List 8**, looked after: each episode open at some time in the window (the engine's
  episodes), with its latest review on or before `day`, its end, whether another episode
  ended in the 12 months before it began, and its legal status (the chronology's
  `legal_status` events, the one source the child's page also reads: the latest by the
  episode's end or `day`, its 903 code and the day it began); its most recent placement's
  start, type, provider, postcode, URN and local authority (the SSDA903's, where an import kept
  them: `interop.ssda903.placement_details`) and whether it is in or out of the council's area;
  the number of its placements open at some time in the 12 months to `day`, counted as the
  stability figure counts them (`figures.placements_in_year`: DfE's "during the year").
- Every list: the child's council reference as "Child Unique ID", date of birth, age in whole
  years on `day`, and the team and name of the social worker allocated on `day` (else the last
  one allocated before it).

Lines come a child at a time in child order, details for a thousand children at once: memory
stays flat however large the council (`benchmarks/reports.py`)."""

from __future__ import annotations

import datetime as dt
import heapq
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import NamedTuple

from django.db.models import Case, Count, DateField, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.fields.json import KT

from oversight.cases.chronology import Period as Episode
from oversight.cases.chronology import Placement, periods, placements
from oversight.cases.constants import EventType, PlacementType, Role
from oversight.cases.models import Allocation, Child, Event, Obligation, Span
from oversight.cases.obligations import active_pack
from oversight.cases.rules import AREAS
from oversight.meetings.constants import CATEGORIES
from oversight.reports.export import Cell, Line
from oversight.reports.figures import EventRow, Period, Scope, placements_in_year
from oversight.timescales.dates import months_before

CHILD = ("Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age")
WORKER = ("Allocated Team", "Allocated Worker")
DISABILITY = "Does the Child have a Disability"

COLUMNS: dict[int, tuple[str, ...]] = {
    5: (
        *CHILD,
        DISABILITY,
        "Strategy discussion initiating Section 47 Enquiry Start Date",
        "Was an Initial Child Protection Conference deemed unnecessary?",
        "Date of Initial Child Protection Conference",
        "Did the Initial Child Protection Conference Result in a Child Protection Plan",
        "Number of Section 47 Enquiries in the last 12 months",
        "Number of ICPCs in the last 12 months",
        *WORKER,
    ),
    7: (
        *CHILD,
        DISABILITY,
        "Child Protection Plan Start Date",
        "Initial Category of Abuse",
        "Latest Category of Abuse",
        "Date of the Last Statutory Visit",
        "Was the Child Seen Alone?",
        "Date of latest review conference",
        "Child Protection Plan End Date",
        "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six "
        "Months (Y/N)",
        "Number of Previous Child Protection Plans",
        *WORKER,
    ),
    8: (
        *CHILD,
        "Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N))",
        DISABILITY,
        "Date Started to be Looked After",
        "Child's Category of Need",
        "Is this a second or subsequent period of being a Looked After Child within the last 12 "
        "months (Y/N)",
        "Start date of current legal status",
        "Child's Legal Status",
        "Date of Latest Statutory Review",
        "Date of Last Social Work Visit",
        "What is the permanence plan for this child?",
        "Date of Last IRO Visit / Contact to the Child",
        "Date of Last Health Assessment",
        "Date of Last Dental Check",
        "Number of Placements in the Last 12 months",
        "Date Ceased to be Looked After",
        "Reason Ceased to be Looked After",
        "Start Date of Most Recent Placement",
        "Placement Type",
        "Placement Provider",
        "Placement postcode",
        "URN of Placement",
        "Placement Location",
        "LA of Placement",
        "Number of Episodes the Child has been \u2018Missing\u2019 from their Placement in the last 12 "
        "months",
        "Number of Episodes the Child has been \u2018Absent\u2019 from their Placement in the last 12 months",
        "Was the child offered a Return Interview after their last missing episode (Y/N)?",
        "Did the child accept a Return Interview after their last missing episode (Y/N)?",
        *WORKER,
    ),
}

TITLES = {
    5: "List 5: section 47 enquiries and initial child protection conferences",
    7: "List 7: children subject of a child protection plan",
    8: "List 8: children looked after",
}

# The columns each list fills; the rest Oversight does not hold.
HELD: dict[int, tuple[str, ...]] = {
    5: (
        "Child Unique ID",
        "Date of Birth",
        "Age",
        "Strategy discussion initiating Section 47 Enquiry Start Date",
        "Was an Initial Child Protection Conference deemed unnecessary?",
        "Date of Initial Child Protection Conference",
        "Did the Initial Child Protection Conference Result in a Child Protection Plan",
        "Number of Section 47 Enquiries in the last 12 months",
        "Number of ICPCs in the last 12 months",
        *WORKER,
    ),
    7: (
        "Child Unique ID",
        "Date of Birth",
        "Age",
        "Child Protection Plan Start Date",
        "Initial Category of Abuse",
        "Latest Category of Abuse",
        "Date of the Last Statutory Visit",
        "Date of latest review conference",
        "Child Protection Plan End Date",
        "Number of Previous Child Protection Plans",
        *WORKER,
    ),
    8: (
        "Child Unique ID",
        "Date of Birth",
        "Age",
        "Date Started to be Looked After",
        "Is this a second or subsequent period of being a Looked After Child within the last 12 "
        "months (Y/N)",
        "Start date of current legal status",
        "Child's Legal Status",
        "Date of Latest Statutory Review",
        "Date of Last Social Work Visit",
        "Number of Placements in the Last 12 months",
        "Date Ceased to be Looked After",
        "Start Date of Most Recent Placement",
        "Placement Type",
        "Placement Provider",
        "Placement postcode",
        "URN of Placement",
        "Placement Location",
        "LA of Placement",
        *WORKER,
    ),
}

NOT_HELD = {n: tuple(c for c in COLUMNS[n] if c not in HELD[n]) for n in COLUMNS}
CATEGORY_WORDS = dict(CATEGORIES)
PLACEMENT_WORDS = dict(PlacementType.choices)
AREA_WORDS = dict(AREAS)
BATCH = 1000


def window(day: dt.date) -> Period:
    """The six months before `day`: [the same day six months before, `day`]."""
    return Period(months_before(day, 6), day)


class _Child(NamedTuple):
    pk: int
    reference: str
    born: dt.date | None
    team: str
    worker: str


def _age(born: dt.date | None, day: dt.date) -> int | None:
    """Whole years on `day` (None for an unborn child or none recorded)."""
    if born is None or born > day:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _children(ids: Sequence[int], day: dt.date) -> dict[int, _Child]:
    """The children of `ids` with the social worker allocated on `day` (else the last one
    allocated before it), in two queries over the range of `ids` (a list comes in child order,
    so a batch is a short range; a thousand ids as parameters took longer to send than the
    rows to read): the children, and their social workers' allocations begun by `day`, the one
    to name chosen here (a subquery per child for each of the team and the worker's names was
    most of a 100,000-child List 7's time, issue 15)."""
    wanted, low, high = set(ids), min(ids), max(ids)
    workers: dict[int, tuple[tuple[bool, dt.date, int], str, str]] = {}
    allocations = Allocation.objects.filter(
        child_id__gte=low, child_id__lte=high, role=Role.SOCIAL_WORKER, starts__lte=day
    ).values_list(
        "child_id", "pk", "starts", "ends", "staff__team__name", "staff__user__first_name",
        "staff__user__last_name",
    )  # fmt: skip
    for child_id, pk, starts, ends, team, first, last in allocations:
        chosen = (ends is None or ends >= day, starts, pk)  # open on the day, then the latest
        if child_id not in workers or chosen > workers[child_id][0]:
            workers[child_id] = (chosen, team or "", f"{first or ''} {last or ''}".strip())
    listed = Child.objects.filter(pk__range=(low, high)).values_list(
        "pk", "reference", "date_of_birth"
    )
    return {
        pk: _Child(pk, ref, born, *workers.get(pk, (None, "", ""))[1:])
        for pk, ref, born in listed
        if pk in wanted
    }


@dataclass(frozen=True)
class AnnexList:
    number: int
    title: str
    columns: tuple[str, ...]
    not_held: tuple[str, ...]
    period: Period
    lines: Iterator[Line]


# One list's line before the child's details are known: the child's id and its own cells by
# column name.
_Pending = tuple[int, dict[str, Cell]]


def _resolved(number: int, day: dt.date, pending: Iterable[_Pending]) -> Iterator[Line]:
    """Each pending line with the child's details, a thousand children to a query, in Ofsted's
    column order (an empty cell where Oversight holds nothing)."""
    columns = COLUMNS[number]
    batch: list[_Pending] = []

    def flush() -> Iterator[Line]:
        found = _children(sorted({pk for pk, _ in batch}), day)
        for pk, own in batch:
            child = found[pk]
            cells = {
                "Child Unique ID": child.reference,
                "Date of Birth": child.born,
                "Age": _age(child.born, day),
                "Allocated Team": child.team,
                "Allocated Worker": child.worker,
                **own,
            }
            yield child, tuple(cells.get(c) for c in columns)
        batch.clear()

    for line in pending:
        batch.append(line)
        if len(batch) >= BATCH:
            yield from flush()
    if batch:
        yield from flush()


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def _list_5(scope: Scope, day: dt.date) -> Iterator[_Pending]:
    period = window(day)
    year = months_before(day, 12)
    same_child = {"child_id": OuterRef("child_id")}
    enquiries = (
        Event.objects.filter(
            scope.q(),
            type=EventType.STRATEGY_DISCUSSION,
            date__range=(period.first, period.last),
        )
        .annotate(
            icpc_on=Subquery(
                Obligation.objects.filter(event_id=OuterRef("pk"), code="cp.icpc")
                .filter(met_on__lte=day)
                .values("met_on")[:1]
            ),
            unnecessary=Exists(
                Event.objects.filter(
                    **same_child,
                    type=EventType.ICPC_NOT_REQUIRED,
                    date__gte=OuterRef("date"),
                    date__lte=day,
                )
            ),
            enquiries=Subquery(
                Event.objects.filter(
                    **same_child, type=EventType.STRATEGY_DISCUSSION, date__range=(year, day)
                )
                .values("child_id")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
            conferences=Subquery(
                Event.objects.filter(**same_child, type=EventType.ICPC, date__range=(year, day))
                .values("child_id")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
        )
        .order_by("child_id", "date", "pk")
        .values_list("child_id", "date", "icpc_on", "unnecessary", "enquiries", "conferences")
    )
    plans = set(
        Event.objects.filter(
            scope.q(),
            type=EventType.ICPC,
            date__range=(period.first, day),
            data__outcome="plan",
        ).values_list("child_id", "date")
    )
    for child_id, started, icpc_on, unnecessary, n_enquiries, n_conferences in enquiries.iterator(
        chunk_size=2000
    ):
        cells: dict[str, Cell] = {
            "Strategy discussion initiating Section 47 Enquiry Start Date": started,
            "Was an Initial Child Protection Conference deemed unnecessary?": _yes_no(unnecessary),
            "Date of Initial Child Protection Conference": icpc_on,
            "Did the Initial Child Protection Conference Result in a Child Protection Plan": (
                _yes_no((child_id, icpc_on) in plans) if icpc_on else None
            ),
            "Number of Section 47 Enquiries in the last 12 months": n_enquiries or 0,
            "Number of ICPCs in the last 12 months": n_conferences or 0,
        }
        yield child_id, cells


def _chronologies(
    children: Q, types: Iterable[str], day: dt.date
) -> Iterator[tuple[int, list[EventRow]]]:
    """The events of `types` on or before `day` of the `children` (a filter of events), a child
    at a time, in child order."""
    found = (
        Event.objects.filter(children, type__in=sorted(types), date__lte=day)
        .order_by("child_id", "date", "pk")
        .values_list("child_id", "pk", "type", "date", "time", "data")
    )
    for child_id, rows in groupby(found.iterator(chunk_size=5000), key=lambda r: r[0]):
        yield child_id, [EventRow(*row[1:]) for row in rows]


def _overlaps(span: Episode, period: Period) -> bool:
    return span.start <= period.last and (span.end is None or span.end >= period.first)


def _words(categories: Iterable[str]) -> str:
    return ", ".join(CATEGORY_WORDS.get(c, c) for c in categories)


def _latest(
    rows: Iterable[EventRow], types: tuple[str, ...], span: Episode, day: dt.date
) -> dt.date | None:
    last = min(span.end, day) if span.end is not None else day
    found = [r.date for r in rows if r.type in types and span.start <= r.date <= last]
    return max(found) if found else None


CONFERENCES = (EventType.ICPC, EventType.RCPC)

# A plan of List 7 before its conferences are read: the child, the plan's number (the child's
# first is 0), its start, its end (None while open on the day), the last day it covers up to
# the list's day, and the day of its last child protection visit.
_PlanRow = tuple[int, int, dt.date, dt.date | None, dt.date, dt.date | None]


def _stored_plans(scope: Scope, day: dt.date) -> Iterator[_PlanRow]:
    """The plans open at some time in the window as the engine placed them when the children's
    obligations were last recomputed (`cases.models.Span`, as `figures.plans_in` reads them: a
    plan is placed by the child's conferences alone, so the chronology up to `day` places the
    same ones, and an end after `day` is, as of `day`, no end yet), each with its last visit
    found by SQL, in child order."""
    period = window(day)
    last = Case(When(end__lt=day, then=F("end")), default=Value(day), output_field=DateField())
    visits = Event.objects.filter(
        child_id=OuterRef("child_id"),
        type=EventType.CP_VISIT,
        date__gte=OuterRef("start"),
        date__lte=OuterRef("last"),
    )
    found = (
        Span.objects.filter(
            Q(end__isnull=True) | Q(end__gte=period.first),
            scope.q(),
            kind=Span.Kind.PLAN,
            start__lte=day,
        )
        .annotate(last=last)
        .annotate(visited=Subquery(visits.order_by("-date").values("date")[:1]))
        .order_by("child_id", "number")
        .values_list("child_id", "number", "start", "end", "last", "visited")
    )
    for child_id, number, start, end, until, visited in found.iterator(chunk_size=5000):
        yield (
            child_id,
            number,
            start,
            end if end is not None and end <= day else None,
            until,
            visited,
        )


def _unplaced_plans(scope: Scope, day: dt.date) -> Iterator[_PlanRow]:
    """The plans open at some time in the window of the children with conferences that the
    engine has not placed yet (nothing stored for them: their obligations never computed),
    placed here by the engine from their chronology (`cases.chronology.periods`), in child
    order."""
    period, policy = window(day), active_pack().policy
    stored = Q(Exists(Span.objects.filter(child_id=OuterRef("child_id")))) | Q(
        Exists(Obligation.objects.filter(child_id=OuterRef("child_id")))
    )
    unplaced = Event.objects.filter(scope.q(), type__in=CONFERENCES, date__lte=day).exclude(stored)
    events = Q(child_id__in=unplaced.values("child_id"))
    for child_id, rows in _chronologies(events, (*CONFERENCES, EventType.CP_VISIT), day):
        plans = [p for p in periods(rows, policy, day) if p.kind == "plan"]
        for number, plan in enumerate(plans):
            if _overlaps(plan, period):
                until = min(plan.end, day) if plan.end is not None else day
                visited = _latest(rows, (EventType.CP_VISIT,), plan, day)
                yield child_id, number, plan.start, plan.end, until, visited


def _list_7(scope: Scope, day: dt.date) -> Iterator[_Pending]:
    """Each plan open at some time in the window (`_stored_plans`, and `_unplaced_plans` for a
    child the engine has not placed yet), with the categories of its first and latest
    conferences that name any and its latest review conference, read beside it a child at a
    time: the plans and the children's conferences streamed side by side in child order, never
    the engine over every child's chronology (issue 15: it was most of List 7's 22 s at 100,000
    children)."""
    period = window(day)
    with_plan = Span.objects.filter(
        Q(end__isnull=True) | Q(end__gte=period.first), kind=Span.Kind.PLAN, start__lte=day
    )
    placed_or_not = Q(child_id__in=with_plan.values("child_id")) | ~Q(
        Exists(Span.objects.filter(child_id=OuterRef("child_id")))
    )
    conferences = (
        Event.objects.filter(scope.q(), placed_or_not, type__in=CONFERENCES, date__lte=day)
        .order_by("child_id", "date", "pk")
        .values_list("child_id", "type", "date", KT("data__categories"))
    )
    theirs = groupby(conferences.iterator(chunk_size=5000), key=lambda row: row[0])
    held: tuple[int, list[tuple[int, str, dt.date, str | None]]] = (0, [])
    plans = heapq.merge(_stored_plans(scope, day), _unplaced_plans(scope, day))
    for child_id, number, start, end, until, visited in plans:
        while held[0] < child_id:  # both in child order: the child's conferences, if any
            found = next(theirs, None)
            held = (found[0], list(found[1])) if found else (child_id, [])
        mine = held[1] if held[0] == child_id else []
        own = [row for row in mine if start <= row[2] <= until]
        categorised = [c for c in (json.loads(text) for *_, text in own if text) if c]
        reviews = [on for _, type_, on, _ in own if type_ == EventType.RCPC]
        cells: dict[str, Cell] = {
            "Child Protection Plan Start Date": start,
            "Initial Category of Abuse": _words(categorised[0]) if categorised else "",
            "Latest Category of Abuse": _words(categorised[-1]) if categorised else "",
            "Date of the Last Statutory Visit": visited,
            "Date of latest review conference": max(reviews) if reviews else None,
            "Child Protection Plan End Date": end,
            "Number of Previous Child Protection Plans": number,
        }
        yield child_id, cells


EPISODE_TYPES = (
    EventType.LAC_START,
    EventType.LAC_END,
    EventType.LAC_REVIEW,
    EventType.PLACEMENT_ORDER,
    EventType.PLACEMENT_START,
    EventType.PLACEMENT_CHANGE,
    EventType.PLACEMENT_END,
    EventType.LAC_VISIT,
    EventType.LEGAL_STATUS,
)
SECOND_PERIOD = (
    "Is this a second or subsequent period of being a Looked After Child within the last 12 "
    "months (Y/N)"
)


def _list_8(scope: Scope, day: dt.date) -> Iterator[_Pending]:
    period, policy = window(day), active_pack().policy
    for child_id, rows in _chronologies(scope.q(), EPISODE_TYPES, day):
        episodes = [p for p in periods(rows, policy, day) if p.kind == "episode"]
        placed = placements(rows, policy, day)
        for number, episode in enumerate(episodes):
            if not _overlaps(episode, period):
                continue
            year_before = months_before(episode.start, 12)
            again = any(
                e.end is not None and year_before <= e.end <= episode.start
                for e in episodes[:number]
            )
            cells: dict[str, Cell] = {
                "Date Started to be Looked After": episode.start,
                SECOND_PERIOD: "Y" if again else "N",
                "Date of Latest Statutory Review": _latest(
                    rows, (EventType.LAC_REVIEW,), episode, day
                ),
                "Date of Last Social Work Visit": _latest(
                    rows, (EventType.LAC_VISIT,), episode, day
                ),
                "Date Ceased to be Looked After": episode.end,
            }
            cells.update(_placement_cells(placed, episode, day))
            cells.update(_legal_status_cells(rows, episode, day))
            yield child_id, cells


def _legal_status_cells(rows: list[EventRow], episode: Episode, day: dt.date) -> dict[str, Cell]:
    """The legal status in force at the episode's end or on `day`, whichever is first: the
    latest `legal_status` of the episode by then (the 903 code, as the return writes it), and
    the day it began; empty where none is recorded."""
    last = min(episode.end, day) if episode.end is not None else day
    own = [r for r in rows if r.type == EventType.LEGAL_STATUS and episode.start <= r.date <= last]
    status = max(own, key=lambda r: (r.date, r.pk), default=None)
    return {
        "Start date of current legal status": status.date if status else None,
        "Child's Legal Status": str(status.data.get("legal_status", "")) if status else "",
    }


def _placement_cells(placed: list[Placement], episode: Episode, day: dt.date) -> dict[str, Cell]:
    """The episode's placements: how many were open at some time in the 12 months to `day`
    (`figures.placements_in_year`, the stability figure's count), and the most recent one's
    start, type, provider, postcode, URN, area and local authority."""
    last = min(episode.end, day) if episode.end is not None else day
    own = [p for p in placed if episode.start <= p.start <= last]
    recent = own[-1] if own else None
    kind = str(recent.details.get("placement_type", "")) if recent else ""
    return {
        "Number of Placements in the Last 12 months": placements_in_year(own, day),
        "Start Date of Most Recent Placement": recent.start if recent else None,
        "Placement Type": PLACEMENT_WORDS.get(kind, kind),
        "Placement Provider": _detail(recent, "provider"),
        "Placement postcode": _detail(recent, "postcode"),
        "URN of Placement": _detail(recent, "urn"),
        "Placement Location": AREA_WORDS.get(_detail(recent, "area"), ""),
        "LA of Placement": _detail(recent, "la"),
    }


def _detail(placement: Placement | None, key: str) -> str:
    return str(placement.details.get(key) or "") if placement is not None else ""


LISTS = {5: _list_5, 7: _list_7, 8: _list_8}


def annex_list(number: int, scope: Scope, day: dt.date) -> AnnexList:
    """Annex A list `number` (5, 7 or 8; KeyError for another) for the six months before `day`,
    over the scope's children (a team or an IRO do not narrow a list: Ofsted asks for the
    council's)."""
    pending = LISTS[number](scope, day)
    return AnnexList(
        number,
        TITLES[number],
        COLUMNS[number],
        NOT_HELD[number],
        window(day),
        _resolved(number, day, pending),
    )
