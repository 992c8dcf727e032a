"""The timescales engine: a child's chronology and a policy in, obligations and flags out.

Pure and deterministic: the same events, policy and as-of date give the same result, whatever the
order of the events. The contract is docs/spec/timescales.md; its words are used here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any, Literal

from oversight.timescales.dates import LONDON, add_months, calendar_for, due_ordinal
from oversight.timescales.events import CONCERN_TYPES as _CONCERN_TYPES
from oversight.timescales.events import PLACEMENTS as _PLACEMENTS
from oversight.timescales.events import STAGED as _STAGED
from oversight.timescales.events import Event, InputError, parse_date, read_events
from oversight.timescales.rules import Conditions, Duration, Ladder, ObligationRule, Policy

Met = Callable[[Event], bool]
Status = Literal["met", "overdue", "pending"]


# Obligation and Flag have no __slots__: orjson writes a dataclass that has a __dict__ about
# three times faster than one with slots (5,000 children: 25 ms against 64 ms, as fast as the
# dicts they replaced), and bulk mode writes a country's obligations.
@dataclass
class Obligation:
    """One obligation, in the contract's words: `due` is a date, or for an hours rule a
    Europe/London datetime; `met_on` (the satisfying event's date) and `on_time` are None unless
    `status` is "met". `trigger` is the triggering event as given (unknown fields kept). The
    fields are in the contract's output order: `oversight.timescales.output` writes them as is."""

    code: str
    trigger: dict[str, Any]
    due: date | datetime
    status: Status
    met_on: date | None
    on_time: bool | None


@dataclass
class Flag:
    """A standing condition, not a deadline (e.g. `cp.support_challenge_panel`), with a human
    reason."""

    code: str
    reason: str


@dataclass(slots=True)
class Result:
    """Obligations by due date, then code, then trigger date; flags of the plan open at as-of;
    and the plans, episodes and placements the events were placed in, oldest first (not part of
    the contract's output: `oversight.cases.obligations` stores them beside the obligations)."""

    obligations: list[Obligation]
    flags: list[Flag]
    plans: list[Span] = dataclasses.field(default_factory=list)
    episodes: list[Span] = dataclasses.field(default_factory=list)
    placements: list[Placement] = dataclasses.field(default_factory=list)


@dataclass(slots=True)
class Span:
    """A plan or an episode: open from `start` (a day ordinal) until `end` (None while open)."""

    start: int
    end: int | None = None


@dataclass(slots=True, eq=False)
class Placement:
    """A placement of a looked-after child: begun by `begun` (a `placement_start` or
    `placement_change`) in episode `episode`, open until `end` (a day ordinal; None while open):
    the next placement's start, a `placement_end`, or the episode's end. Two are equal when they
    begin on the same day with the same recorded event, in the same episode, and end alike (an
    `Event` is the engine's working object, compared by what was recorded)."""

    begun: Event
    episode: int
    end: int | None = None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Placement):
            return NotImplemented
        return (self.begun.day, self.begun.raw, self.episode, self.end) == (
            other.begun.day,
            other.begun.raw,
            other.episode,
            other.end,
        )


# The same few thousand days come back for every child: one date object each.
_day = cache(date.fromordinal)
_LAST_DAY = date.max.toordinal()


def _months_on(ordinal: int, months: int) -> int:
    """`add_months`, or the day after 9999-12-31 when the date lies beyond it (for comparing a
    real date with it: every real date is before)."""
    try:
        return add_months(ordinal, months)
    except ValueError:
        return _LAST_DAY + 1


def _moment(stamp: int) -> datetime:
    """A stamp (minutes since day 1 on the Europe/London wall clock) as an aware datetime."""
    day, minute = divmod(stamp, 1440)
    return datetime.combine(
        _day(day), datetime.min.time().replace(hour=minute // 60, minute=minute % 60), LONDON
    )


class Evaluation:
    """One child's evaluation: the events read, their plans and episodes, and the obligations."""

    def __init__(self, events: list[Event], policy: Policy, as_of: int) -> None:
        self.policy = policy
        self.as_of = as_of
        self.cal = calendar_for(policy)
        self.events = [
            e for e in events if not (e.type == "lac_review" and e.get("adjourned") is True)
        ]
        self.plans: list[Span] = []
        self.episodes: list[Span] = []
        self.placements: list[Placement] = []
        self.by_type: dict[str, list[Event]] = {}
        self.obligations: list[tuple[tuple, Obligation]] = []
        self._place()

    # Plans and episodes -------------------------------------------------------------------
    def _place(self) -> None:
        """Open and close plans and episodes in date order and note each event's own."""
        plan: int | None = None
        episode: int | None = None
        placement: int | None = None
        visit_rule: Duration | None = None
        default_visit = self._row("cp.visit")
        for event in self.events:
            kind, raw = event.type, event.raw
            if kind == "icpc" and raw["outcome"] == "plan":
                if plan is not None:
                    self.plans[plan].end = event.day
                self.plans.append(Span(event.day))
                plan = len(self.plans) - 1
                visit_rule = event.visit_rule or (default_visit.due if default_visit else None)
                event.visit_rule = visit_rule
            elif kind == "rcpc":
                if plan is None and raw["outcome"] == "continue":
                    self.plans.append(Span(event.day))
                    plan = len(self.plans) - 1
                    visit_rule = default_visit.due if default_visit else None
                if event.visit_rule is not None and plan is not None:
                    visit_rule = event.visit_rule
                event.plan = plan
                if raw["outcome"] == "end" and plan is not None:
                    self.plans[plan].end = event.day
                    plan = None
            elif kind == "lac_start":
                if episode is not None:
                    self.episodes[episode].end = event.day
                self._end_placement(placement, event.day)
                placement = None
                self.episodes.append(Span(event.day))
                episode = len(self.episodes) - 1
            elif kind == "lac_end":
                event.episode = episode
                self._end_placement(placement, event.day)
                placement = None
                if episode is not None:
                    self.episodes[episode].end = event.day
                    episode = None
            elif kind in _PLACEMENTS:
                self._end_placement(placement, event.day)
                placement = None
                if episode is not None:  # reg 28 is about looked-after children only
                    self.placements.append(Placement(event, episode))
                    placement = len(self.placements) - 1
            elif kind == "placement_end":
                event.placement = placement
                self._end_placement(placement, event.day)
                placement = None
            elif kind in ("lac_review", "placement_order") and episode is None:
                self.episodes.append(Span(event.day))
                episode = len(self.episodes) - 1
            elif kind == "cp_visit":
                event.visit_rule = visit_rule
            if kind not in ("rcpc", "lac_end"):
                event.plan = plan
                event.episode = episode
            if kind != "placement_end":
                event.placement = placement
            self.by_type.setdefault(kind, []).append(event)

    def _end_placement(self, placement: int | None, day: int) -> None:
        """End the open placement (if any) on `day`; no placement is open after it."""
        if placement is not None:
            self.placements[placement].end = day

    def _row(self, code: str) -> ObligationRule | None:
        for row in self.policy.obligations:
            if row.code == code:
                return row
        return None

    def _span(self, belongs: str | None, event: Event) -> Span | None:
        if belongs == "plan" and event.plan is not None:
            return self.plans[event.plan]
        if belongs == "episode" and event.episode is not None:
            return self.episodes[event.episode]
        return None

    # Dates --------------------------------------------------------------------------------
    def due(self, rule: Duration, day: int, at: Event, field: str = "date", stamp: int = 0) -> int:
        """The due date (an ordinal; for an hours rule, a stamp in minutes) of `rule` from `day`.

        A real date whose deadline would fall outside 0001-01-01 to 9999-12-31 is refused as bad
        input at event `at`'s `field` (where the count starts): there is no date to report."""
        try:
            found = due_ordinal(rule, day, stamp, self.cal)
        except (ValueError, OverflowError):
            found = 0
        if not 1 <= (found // 1440 if rule.unit == "hours" else found) <= _LAST_DAY:
            raise InputError(
                f"events[{at.index}].{field}: {_day(day).isoformat()} + {rule} is not a real date "
                "(deadlines end on 9999-12-31)"
            )
        return found

    # Obligations --------------------------------------------------------------------------
    def add(
        self,
        code: str,
        trigger: Event,
        rule: Duration | None,
        candidates: Iterable[Event],
        *,
        after: int,
        strictly: bool = False,
        span: Span | None = None,
        due: int | None = None,
        none_once: Iterable[Event] = (),
    ) -> None:
        """Report the obligation `code`, met by the first candidate dated on or after `after`
        (strictly after, with `strictly`) and by the end of its plan or episode."""
        hours = rule is not None and rule.unit == "hours"
        if due is None:
            assert rule is not None
            due = self.due(rule, trigger.day, trigger, stamp=trigger.stamp)
        end = span.end if span is not None else None
        met = None
        for event in candidates:
            if hours:
                if event.stamp < trigger.stamp:
                    continue
            elif event.day < after or (strictly and event.day == after):
                continue
            if end is not None and event.day > end:
                break
            met = event
            break
        for stopper in none_once:
            if stopper.day >= trigger.day and (met is None or stopper.day < met.day):
                return
        due_day = due // 1440 if hours else due
        if met is None and end is not None and due_day > end:
            return  # the plan or episode ended first: dropped, not overdue
        status: Status
        if met is not None:
            status, met_on = "met", _day(met.day)
            on_time = met.stamp <= due if hours else met.day <= due
        else:
            status = "overdue" if self.as_of > due_day else "pending"
            met_on, on_time = None, None
        # Sorted as the contract's text sorts: a day before any moment of that day.
        key = (due_day, due % 1440 if hours else -1, code, trigger.day, trigger.seq)
        self.obligations.append(
            (
                key,
                Obligation(
                    code,
                    trigger.raw,
                    _moment(due) if hours else _day(due),
                    status,
                    met_on,
                    on_time,
                ),
            )
        )

    def of_types(self, types: Iterable[str], where: Met | None = None) -> list[Event]:
        found = [e for t in types for e in self.by_type.get(t, ())]
        if len(found) > 1:
            found.sort(key=lambda e: e.seq)
        if where is not None:
            found = [e for e in found if where(e)]
        return found

    def run(self) -> Result:
        bookings_before = []
        present = self.by_type
        for row in self.policy.obligations:
            if row.kind == "booking_before":
                bookings_before.append(row)
            elif row.kind == "sw_visit":
                if self.placements:
                    self._sw_visits(row)
            elif row.kind != "visit" and row.trigger not in present:
                continue
            elif row.kind == "visit":
                self._visits(row)
            else:
                self._plain(row)
        self._bookings(bookings_before)
        self._actions()
        self._concerns()
        self.obligations.sort(key=lambda pair: pair[0])
        found = [o for _, o in self.obligations]
        return Result(found, self._flags(), self.plans, self.episodes, self.placements)

    def _plain(self, row: ObligationRule) -> None:
        triggers = [e for e in self.by_type.get(row.trigger, ()) if _matches(e, row.when)]
        if not triggers:
            return
        if row.kind in ("review_second", "review_next"):
            firsts: dict[int | None, Event] = {}
            for event in triggers:
                firsts.setdefault(event.episode, event)
            want_first = row.kind == "review_second"
            triggers = [e for e in triggers if (firsts[e.episode] is e) == want_first]
        met = self.of_types(row.met_by, _condition(row.met_when))
        stoppers = self.of_types(row.none_once)
        strictly = row.trigger in row.met_by
        for trigger in triggers:
            self.add(
                row.code,
                trigger,
                row.due,
                [e for e in met if _same(e, trigger, row.same)] if row.same else met,
                after=trigger.day,
                strictly=strictly,
                span=self._span(row.belongs_to, trigger),
                none_once=stoppers,
                due=self._or_from(row, trigger) if row.or_from is not None else None,
            )

    def _or_from(self, row: ObligationRule, trigger: Event) -> int | None:
        """The due date of a row with a second trigger (`or_from`): the earlier or later of the
        trigger's rule and the rule from the first second-trigger event dated on or after the
        trigger and before the next event of the trigger's type (None: the trigger's rule
        alone)."""
        second = row.or_from
        if second is None or row.due.unit == "hours" or second.due.unit == "hours":
            return None
        later = next(
            (
                e
                for e in self.by_type.get(row.trigger, ())
                if e.seq > trigger.seq and e.day > trigger.day
            ),
            None,
        )
        event = next(
            (
                e
                for e in self.by_type.get(second.event, ())
                if e.day >= trigger.day and (later is None or e.day < later.day)
            ),
            None,
        )
        if event is None:
            return None
        first = self.due(row.due, trigger.day, trigger)
        other = self.due(second.due, event.day, event)
        return max(first, other) if second.whichever == "later" else min(first, other)

    def _sw_visits(self, row: ObligationRule) -> None:
        """Reg 28: each placement calls for a visit within the row's rule of its start, and each
        visit while the placement lasts for the next within the interval that applies on the
        visit's day (`_visit_interval`); where the child's care plan in force that day sets
        visits more often (`_care_plan`), the earlier of the two dates. A placement's
        obligations end with it."""
        visits = self.by_type.get("lac_visit", [])
        intervals = dict(row.intervals)
        for number, placement in enumerate(self.placements):
            begun = placement.begun
            span = Span(begun.day, placement.end)
            own = [v for v in visits if v.placement == number]
            first_review = self._first_review(placement)
            for trigger in (begun, *own):
                rule = (
                    row.due
                    if trigger is begun
                    else _visit_interval(intervals, begun, trigger.day, first_review, row.due)
                )
                due = self.due(rule, trigger.day, trigger)
                plan = self._care_plan(placement.episode, trigger.day)
                if plan is not None:
                    due = min(due, self.due(plan, trigger.day, trigger))
                self.add(
                    row.code,
                    trigger,
                    rule,
                    own,
                    after=trigger.day,
                    strictly=trigger is not begun,
                    span=span,
                    due=due,
                )

    def _first_review(self, placement: Placement) -> int | None:
        """The day of the episode's first review after the placement began, if any."""
        return next(
            (
                r.day
                for r in self.by_type.get("lac_review", ())
                if r.episode == placement.episode and r.day > placement.begun.day
            ),
            None,
        )

    def _care_plan(self, episode: int, day: int) -> Duration | None:
        """The visiting interval of the care plan in force on `day` in `episode`: the latest
        `care_plan_visits` of the episode dated on or before it (None: the plan sets none)."""
        found = None
        for event in self.by_type.get("care_plan_visits", ()):
            if event.episode == episode and event.day <= day:
                found = event.visit_rule
        return found

    def _visits(self, row: ObligationRule) -> None:
        """The plan's ICPC and each visit while the plan lasts call for the next visit."""
        visits = self.by_type.get("cp_visit", [])
        for trigger in self.by_type.get(row.trigger, ()):
            if not _matches(trigger, row.when):
                continue
            chain = [
                trigger,
                *(v for v in visits if v.plan == trigger.plan and v.seq > trigger.seq),
            ]
            span = self.plans[trigger.plan] if trigger.plan is not None else None
            for link in chain:
                self.add(
                    row.code,
                    link,
                    link.visit_rule or row.due,
                    visits,
                    after=link.day,
                    strictly=link.type == "cp_visit",
                    span=span,
                )
        # Visits in a plan opened mid-way by a review conference, with no ICPC on record.
        opened_by_icpc = {
            e.plan for e in self.by_type.get(row.trigger, ()) if _matches(e, row.when)
        }
        for link in visits:
            if link.plan is not None and link.plan not in opened_by_icpc:
                self.add(
                    row.code,
                    link,
                    link.visit_rule or row.due,
                    visits,
                    after=link.day,
                    strictly=True,
                    span=self.plans[link.plan],
                )

    def _bookings(self, before_rows: list[ObligationRule]) -> None:
        """Each booking is due on its date; a re-booking drops a booking not met by then."""
        groups: dict[tuple[str, str, int | None], list[Event]] = {}
        for booking in self.by_type.get("meeting_booked", ()):
            meeting = booking.raw["meeting"]
            belongs = _BOOKING_BELONGS[meeting]
            scope = (
                booking.plan
                if belongs == "plan"
                else booking.episode
                if belongs == "episode"
                else None
            )
            groups.setdefault((meeting, belongs or "", scope), []).append(booking)
        for (meeting, belongs, _scope), bookings in groups.items():
            held = self.by_type.get(meeting, [])
            for booking, later in zip(bookings, [*bookings[1:], None], strict=True):
                span = self._span(belongs or None, booking)
                on = parse_date(booking.raw["on"], "on")
                met = next((m for m in held if m.day > booking.day), None)
                if (
                    span is not None
                    and span.end is not None
                    and met is not None
                    and met.day > span.end
                ):
                    met = None
                if later is not None and (met is None or met.day > later.day):
                    continue  # re-booked before it was held: dropped with its `before` obligations
                self.add(
                    f"booked.{meeting}",
                    booking,
                    None,
                    held,
                    after=booking.day,
                    strictly=True,
                    span=span,
                    due=on,
                )
                for row in before_rows:
                    if _matches(booking, row.when):
                        self._before(row, booking, meeting, span, on)

    def _before(
        self, row: ObligationRule, booking: Event, meeting: str, span: Span | None, on: int
    ) -> None:
        """Counted back from the booked date; met by what came after the last such meeting."""
        if row.from_meeting > 1 and self._meeting_number(meeting, booking, span) < row.from_meeting:
            return
        span = span if row.belongs_to is not None else None
        last_held = None
        if span is not None:
            for held in self.by_type.get(meeting, ()):
                if (
                    span.start <= held.day <= booking.day
                    and self._span(row.belongs_to, held) is span
                ):
                    last_held = held
        if last_held is not None:
            after, strictly = last_held.day, True
        elif span is not None:
            after, strictly = span.start, True
        else:
            after, strictly = booking.day, False
        self.add(
            row.code,
            booking,
            row.due,
            self.of_types(row.met_by, _condition(row.met_when)),
            after=after,
            strictly=strictly,
            span=span,
            due=self.due(row.due, on, booking, "on"),
        )

    def _meeting_number(self, meeting: str, booking: Event, span: Span | None) -> int:
        """The booked meeting's place among the meetings of its kind in the booking's plan or
        episode (the child's, for an ICPC or a TAC): one after those held on or before the
        booking's date (a review on the day of the booking is the one at which it was booked)."""
        belongs = _BOOKING_BELONGS[meeting]
        held = self.by_type.get(meeting, ())
        return 1 + sum(1 for m in held if m.day <= booking.day and self._span(belongs, m) is span)

    def _actions(self) -> None:
        done = self.by_type.get("action_done", [])
        for action in self.by_type.get("action_set", ()):
            ident = action.raw["action"]
            self.add(
                "action.due",
                action,
                None,
                [d for d in done if d.raw["action"] == ident],
                after=action.day,
                due=parse_date(action.raw["due"], "due"),
            )

    def _concerns(self) -> None:
        for key, events in concerns_of(self.events).items():
            ladder = ladder_of(events, self.policy)
            by = _ByType(events)
            for raised in by["concern_raised"]:
                self.add(
                    "esc.informal.response",
                    raised,
                    ladder.informal_response,
                    by.any(
                        "concern_response",
                        "concern_resolved",
                        "concern_warning",
                        "escalation_notice",
                    ),
                    after=raised.day,
                )
            if ladder.informal_final is not None:
                for warning in by["concern_warning"]:
                    self.add(
                        "esc.informal.final",
                        warning,
                        ladder.informal_final,
                        by.any("concern_response", "concern_resolved", "escalation_notice"),
                        after=warning.day,
                    )
            notices = by["escalation_notice"]
            for notice in notices:
                stage = notice.raw["stage"]
                rule = ladder.stages[stage - 1].response
                if rule is None:
                    continue
                extended = [e for e in by["escalation_extended"] if e.raw["stage"] == stage]
                respond_by = (
                    extended[-1].raw["respond_by"] if extended else notice.raw.get("respond_by")
                )
                due = parse_date(respond_by, "respond_by") if respond_by is not None else None
                self.add(
                    "esc.stage.response",
                    notice,
                    rule,
                    [
                        e
                        for e in by.any(
                            "escalation_response", "concern_resolved", "escalation_notice"
                        )
                        if (e.type == "escalation_response" and e.raw["stage"] == stage)
                        or e.type == "concern_resolved"
                        or (
                            e.type == "escalation_notice"
                            and e.raw["stage"] > stage
                            and e.day > notice.day
                        )
                    ],
                    after=notice.day,
                    due=due,
                )
            if notices and ladder.total is not None:
                first = notices[0]
                self.add("esc.total", first, ladder.total, by["concern_resolved"], after=first.day)
            self._accepted(key, ladder, by)

    def _accepted(self, key: object, ladder: Ladder, by: _ByType) -> None:
        """A stage's first accepting response calls for its `on_accepted` obligation, counted from
        the notice it answers (the last of that stage on or before it; with none on record, from
        the response) and met only by an `action_set` of the same concern."""
        responses = by.get("escalation_response")
        if not responses:
            return
        for stage in ladder.stages:
            accepted = stage.on_accepted
            if accepted is None:
                continue
            response = next(
                (
                    e
                    for e in responses
                    if e.raw["stage"] == stage.number and e.raw.get("accepted") is True
                ),
                None,
            )
            if response is None:
                continue
            trigger = response
            if accepted.counted_from == "notice":
                for notice in by["escalation_notice"]:
                    if notice.raw["stage"] == stage.number and notice.day <= response.day:
                        trigger = notice
            plans = [e for e in self.by_type.get("action_set", ()) if e.raw.get("concern") == key]
            self.add("esc.action_plan", trigger, accepted.due, plans, after=trigger.day)

    # Flags --------------------------------------------------------------------------------
    def _flags(self) -> list[Flag]:
        flags = []
        for number, plan in enumerate(self.plans):
            if not (plan.start <= self.as_of and (plan.end is None or plan.end > self.as_of)):
                continue
            began = _day(plan.start).isoformat()
            months = self.policy.panel_plan_months
            if _months_on(plan.start, months) <= self.as_of:
                flags.append(
                    Flag(
                        "cp.support_challenge_panel",
                        f"the child protection plan that began on {began} "
                        f"has lasted {months} months or more",
                    )
                )
            else:
                repeat = self.policy.panel_repeat_months
                ended = [p.end for p in self.plans[:number] if p.end is not None]
                if ended and plan.start <= _months_on(max(ended), repeat):
                    flags.append(
                        Flag(
                            "cp.support_challenge_panel",
                            f"the child protection plan that began on {began} "
                            f"began within {repeat} months of an earlier plan's end "
                            f"({_day(max(ended)).isoformat()})",
                        )
                    )
        return flags


_BOOKING_BELONGS: dict[str, str | None] = {
    "icpc": None,
    "tac_meeting": None,
    "rcpc": "plan",
    "core_group": "plan",
    "midway_review": "plan",
    "lac_review": "episode",
}


class _ByType(dict[str, list[Event]]):
    def __init__(self, events: list[Event]) -> None:
        super().__init__()
        for event in events:
            self.setdefault(event.type, []).append(event)

    def __missing__(self, key: str) -> list[Event]:
        return []

    def any(self, *types: str) -> list[Event]:
        found = [e for t in types for e in self.get(t, ())]
        found.sort(key=lambda e: e.seq)
        return found


def _visit_interval(
    intervals: dict[str, Duration],
    begun: Event,
    day: int,
    first_review: int | None,
    default: Duration,
) -> Duration:
    """The interval to the next visit after a visit on `day` (reg 28(2)-(3)): weekly
    (`with_parents`) for a child placed with parents until the first review after the
    placement began; `first_year` while the visit is within a year of the placement's start
    (the start's date a year on not included); then `until_18` where the placement is intended
    to last until the child is 18, else `otherwise`."""
    if begun.raw.get("placement_type") == "with_parents" and (
        first_review is None or day < first_review
    ):
        return intervals.get("with_parents", default)
    if day < _months_on(begun.day, 12):
        return intervals.get("first_year", default)
    if begun.raw.get("until_18") is True:
        return intervals.get("until_18", default)
    return intervals.get("otherwise", default)


def visit_minimum(raw_events: Any, policy: Policy, on: date) -> Duration | None:
    """The longest interval reg 28 allows from a social worker's visit on `on` to the next
    (`_visit_interval`), for the placement open that day; with none open, a placement's first
    year's (a placement begun later is in its first year). None when the pack has no
    `sw_visit` row. Raises InputError for a chronology the contract calls bad."""
    row = next((r for r in policy.obligations if r.kind == "sw_visit"), None)
    if row is None:
        return None
    intervals = dict(row.intervals)
    evaluation = Evaluation(read_events(raw_events), policy, on.toordinal())
    day = on.toordinal()
    open_then = [
        p for p in evaluation.placements if p.begun.day <= day and (p.end is None or day < p.end)
    ]
    if not open_then:
        return intervals.get("first_year", row.due)
    placement = open_then[-1]
    first_review = evaluation._first_review(placement)
    return _visit_interval(intervals, placement.begun, day, first_review, row.due)


def _matches(event: Event, when: Conditions) -> bool:
    # A loop, not all() over a generator: called for every trigger of every child (bulk mode).
    raw = event.raw
    for field, values in when:  # noqa: SIM110
        if raw.get(field) not in values:
            return False
    return True


def _same(event: Event, trigger: Event, fields: tuple[str, ...]) -> bool:
    """Whether `event` holds the trigger's values of `fields` (a missing field matches a missing
    one: the events with no `complaint` are one complaint, as with `concern`)."""
    return all(event.raw.get(name) == trigger.raw.get(name) for name in fields)


def _condition(when: Conditions) -> Met | None:
    if not when:
        return None
    return lambda event: _matches(event, when)


def concerns_of(events: list[Event]) -> dict[object, list[Event]]:
    """The events of each concern, tied by `concern` (the events with none form one concern)."""
    concerns: dict[object, list[Event]] = {}
    for event in events:
        if event.type in _CONCERN_TYPES:
            concerns.setdefault(event.concern, []).append(event)
    return concerns


def ladder_of(events: list[Event], policy: Policy) -> Ladder:
    """The ladder named on the concern's first event that names one; else the pack's default."""
    for event in events:
        name = event.raw.get("ladder")
        if name is not None:
            return policy.ladders[name]
    return policy.ladders[policy.default_ladder]


def check_concerns(events: list[Event], policy: Policy) -> None:
    """Every ladder named exists and every stage is on its concern's ladder."""
    for event in sorted(events, key=lambda e: e.index):
        name = event.raw.get("ladder")
        if name is not None and (type(name) is not str or name not in policy.ladders):
            known = ", ".join(sorted(policy.ladders))
            raise InputError(
                f"events[{event.index}].ladder: unknown ladder {name!r} (this pack has: {known})"
            )
    problems = []
    for concern_events in concerns_of(events).values():
        ladder = ladder_of(concern_events, policy)
        for event in concern_events:
            if event.type in _STAGED and not 1 <= event.raw["stage"] <= len(ladder.stages):
                stage = event.raw["stage"]
                problems.append(
                    (
                        event.index,
                        f"events[{event.index}].stage: ladder {ladder.name!r} has no stage {stage} "
                        f"(stages 1 to {len(ladder.stages)})",
                    )
                )
    if problems:
        raise InputError(min(problems)[1])


def evaluate(raw_events: Any, policy: Policy, as_of: date) -> Result:
    """The obligations and flags of one child's chronology under `policy` as of `as_of`.

    Raises InputError, naming the event and field, for input the contract calls bad."""
    events = read_events(raw_events)
    check_concerns(events, policy)
    return Evaluation(events, policy, as_of.toordinal()).run()
