"""A child's plans and episodes, as the timescales engine places them (never stored twice)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db.models import Exists, OuterRef, Q

from oversight.cases.constants import EventType
from oversight.cases.models import Event, engine_event
from oversight.timescales.engine import Evaluation, visit_minimum
from oversight.timescales.events import InputError, read_events
from oversight.timescales.rules import Duration, Policy


@dataclass
class Period:
    """A child protection plan or a looked-after episode: closed interval [start, end]."""

    kind: str  # "plan" or "episode"
    start: dt.date
    end: dt.date | None
    categories: list[str] = field(default_factory=list)

    def is_open_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or self.end > day)

    def days(self, as_of: dt.date) -> int:
        return ((self.end or as_of) - self.start).days


class EventRow(Protocol):
    """What `periods` reads of an event: an `Event`, or any row with the same attributes."""

    @property
    def pk(self) -> Any: ...
    @property
    def type(self) -> str: ...
    @property
    def date(self) -> dt.date: ...
    @property
    def time(self) -> dt.time | None: ...
    @property
    def data(self) -> dict[str, Any]: ...


def periods(events: Iterable[EventRow], policy: Policy, as_of: dt.date) -> list[Period]:
    """Every plan and episode of the events, oldest first. An unreadable chronology gives none."""
    raw = [engine_event(e.pk, e.type, e.date, e.time, e.data) for e in events]
    try:
        evaluation = Evaluation(read_events(raw), policy, as_of.toordinal())
    except (InputError, KeyError):
        return []
    found: list[Period] = []
    for kind, spans in (("plan", evaluation.plans), ("episode", evaluation.episodes)):
        for number, span in enumerate(spans):
            period = Period(
                kind,
                dt.date.fromordinal(span.start),
                dt.date.fromordinal(span.end) if span.end is not None else None,
            )
            if kind == "plan":
                for event in evaluation.events:
                    if event.plan == number and event.type in ("icpc", "rcpc"):
                        categories = event.raw.get("categories")
                        if categories:
                            period.categories = [str(c) for c in categories]
            found.append(period)
    found.sort(key=lambda p: p.start)
    return found


@dataclass(frozen=True)
class Placement:
    """A looked-after child's placement as the engine places it: [start, end), its details."""

    start: dt.date
    end: dt.date | None
    details: dict[str, Any]


def placements(events: Iterable[EventRow], policy: Policy, as_of: dt.date) -> list[Placement]:
    """Every placement of the events (begun in a looked-after episode), oldest first. An
    unreadable chronology gives none."""
    raw = [engine_event(e.pk, e.type, e.date, e.time, e.data) for e in events]
    try:
        evaluation = Evaluation(read_events(raw), policy, as_of.toordinal())
    except (InputError, KeyError):
        return []
    return [
        Placement(
            dt.date.fromordinal(p.begun.day),
            dt.date.fromordinal(p.end) if p.end is not None else None,
            dict(p.begun.raw),
        )
        for p in evaluation.placements
    ]


# What the minimum between visits reads: the episodes, their placements and their reviews (an
# import's other events, one of them about to be refused, never hide the minimum).
_PLACING = frozenset(
    {
        EventType.LAC_START,
        EventType.LAC_END,
        EventType.LAC_REVIEW,
        EventType.PLACEMENT_ORDER,
        EventType.PLACEMENT_START,
        EventType.PLACEMENT_CHANGE,
        EventType.PLACEMENT_END,
    }
)


def visit_minimum_on(events: Iterable[EventRow], policy: Policy, day: dt.date) -> Duration | None:
    """The longest interval reg 28 allows between the social worker's visits on `day`, for the
    placement the events have open then (`oversight.timescales.engine.visit_minimum`): what a
    care plan may not fall below. An unreadable chronology gives None."""
    raw = [engine_event(e.pk, e.type, e.date, e.time, e.data) for e in events if e.type in _PLACING]
    try:
        return visit_minimum(raw, policy, day)
    except (InputError, KeyError):
        return None


# What opens and what closes a plan and an episode as the engine places them
# (`oversight.timescales.engine.Evaluation._place`): read by `may_be_open_on` only.
_OPENS = {
    "plan": Q(type=EventType.ICPC, data__outcome="plan")
    | Q(type=EventType.RCPC, data__outcome="continue"),
    "episode": Q(type__in=[EventType.LAC_START, EventType.LAC_REVIEW, EventType.PLACEMENT_ORDER]),
}
_CLOSES = {
    "plan": Q(type=EventType.RCPC, data__outcome="end"),
    "episode": Q(type=EventType.LAC_END),
}


def may_be_open_on(day: dt.date) -> Q:
    """The children (as Q over Child) whose chronology may hold a plan or an episode open on
    `day`, in SQL: an event that opens one on or before `day` with no event that closes one of
    its kind after it, up to `day`. Every child `periods` finds open on `day` is one of them (the
    span open on `day` began with such an event, and a close after it would have ended it); a
    few more may be (an adjourned review, a close the same day). A page's list of the children
    on a plan or looked after filters by it first, so that the engine reads only their events,
    not those of every closed case (issue 12's benchmark: a service manager's 2,242 children
    whose last social worker was of their line, 2 of them still on a plan or looked after)."""
    found = Q()
    for kind, opens in _OPENS.items():
        closed = Event.objects.filter(
            _CLOSES[kind],
            child=OuterRef(OuterRef("pk")),
            date__gt=OuterRef("date"),
            date__lte=day,
        )
        opened = Event.objects.filter(opens, child=OuterRef("pk"), date__lte=day)
        found |= Q(Exists(opened.filter(~Exists(closed))))
    return found


def period_on(found: list[Period], kind: str, day: dt.date) -> Period | None:
    """The plan (or episode) open on `day`, else None."""
    for period in reversed(found):
        if period.kind == kind and period.is_open_on(day):
            return period
    return None


def latest(found: list[Period], kind: str) -> Period | None:
    for period in reversed(found):
        if period.kind == kind:
            return period
    return None


def discussion_family(found: list[Period], day: dt.date) -> dict[str, str]:
    """The extra fields of a chair's or IRO's discussion with the child on `day`: with the child
    looked after and on no plan that day, it is the IRO's conversation before a looked-after
    review (`{"meeting": "lac_review"}`: its record is a looked-after obligation, and it meets
    Walsall's lac.review.child_seen as the review's own does); else none (a conference chair's)."""
    if period_on(found, "episode", day) and not period_on(found, "plan", day):
        return {"meeting": "lac_review"}
    return {}
