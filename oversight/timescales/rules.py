"""Durations and the obligation rules the engine applies: the data a policy pack can change.

A rule is text a council can read ("10 working days", "3 months", "24 hours", "15 working days
before"); `parse_rule` turns it into a `Duration`. An obligation rule names its trigger, its duration,
what meets it and what it belongs to; a ladder names the escalation stages' response times.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Unit = Literal["working_days", "days", "months", "hours"]
Belongs = Literal["plan", "episode"] | None
# (field, values): the event's field must hold one of the values (strings, numbers or booleans).
Conditions = tuple[tuple[str, tuple[object, ...]], ...]

_RULE = re.compile(r"^\s*(\d+)\s+(working days?|days?|months?|hours?)(\s+before)?\s*$")
_UNITS: dict[str, Unit] = {
    "working day": "working_days",
    "working days": "working_days",
    "day": "days",
    "days": "days",
    "month": "months",
    "months": "months",
    "hour": "hours",
    "hours": "hours",
}


class RuleError(ValueError):
    """A rule's text is not one of the forms `N working days`, `N days`, `N months`, `N hours`,
    `N working days before` or `N days before`."""


@dataclass(frozen=True, slots=True)
class Duration:
    amount: int
    unit: Unit
    before: bool = False

    def __str__(self) -> str:
        word = {
            "working_days": "working days",
            "days": "days",
            "months": "months",
            "hours": "hours",
        }
        return f"{self.amount} {word[self.unit]}{' before' if self.before else ''}"


def parse_rule(text: str) -> Duration:
    match = _RULE.match(text) if isinstance(text, str) else None
    if not match:
        raise RuleError(
            f"{text!r} is not a rule (use e.g. '10 working days', '14 days', '3 months', "
            "'24 hours', '3 working days before')"
        )
    amount, unit_text, before = int(match[1]), _UNITS[match[2]], bool(match[3])
    if before and unit_text not in {"working_days", "days"}:
        raise RuleError(f"{text!r}: only working days and days can be counted before a meeting")
    return Duration(amount, unit_text, before)


@dataclass(frozen=True, slots=True)
class ObligationRule:
    """One row of the obligation catalogue.

    `trigger` is an event type and `when` the values its fields must have (a tuple means any of
    them). `met_by` lists the event types that satisfy it, `met_when` the values their fields
    must have; `none_once` the event types that,
    coming first, mean none is due. `kind` names the few shapes whose matching is not plain
    (a chain of visits, bookings, actions, concerns); rows a pack adds are `plain`.
    `from_meeting` (a `before` rule only) is the first meeting of the booked kind in the plan or
    episode the rule applies to: Walsall consults the social worker from the second review on.
    `or_from` is a second trigger (`OrFrom`): Walsall's full record within 20 days of the review
    or 15 days after the decisions. `intervals` are the named visiting intervals of a `sw_visit`
    row (reg 28: `first_year`, `until_18`, `otherwise`, `with_parents`).
    `same` names fields the satisfying event must share with its trigger: a complaint's response
    meets that complaint's deadlines, never another's.
    """

    code: str
    trigger: str
    due: Duration
    met_by: tuple[str, ...]
    source: str
    when: Conditions = ()
    met_when: Conditions = ()
    belongs_to: Belongs = None
    none_once: tuple[str, ...] = ()
    kind: str = "plain"
    from_meeting: int = 1
    or_from: OrFrom | None = None
    intervals: tuple[tuple[str, Duration], ...] = ()
    same: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class OrFrom:
    """A second trigger of a row: the first `event` dated on or after the row's trigger (and
    before its next trigger) is due `due` after it, and the row is due on the `whichever`
    ("earlier" or "later") of the two dates; with no such event yet, by the first trigger
    alone."""

    event: str
    due: Duration
    whichever: Literal["earlier", "later"]


@dataclass(frozen=True, slots=True)
class Accepted:
    """What a stage's accepted notice calls for (Manchester: a plan agreed within 5 working days
    of the starred recommendation being issued): `esc.action_plan`, due `due` after the notice
    (or, `counted_from` "response", after the accepting response), met by an `action_set` of
    the same concern."""

    due: Duration
    counted_from: Literal["notice", "response"] = "notice"


@dataclass(frozen=True, slots=True)
class Stage:
    number: int
    label: str
    response: Duration | None
    on_accepted: Accepted | None = None


@dataclass(frozen=True, slots=True)
class Ladder:
    name: str
    informal_response: Duration
    stages: tuple[Stage, ...]
    informal_final: Duration | None = None
    total: Duration | None = None


@dataclass(frozen=True, slots=True)
class Policy:
    """Everything the engine needs from a policy pack, with no reference to the pack's format."""

    name: str
    obligations: tuple[ObligationRule, ...]
    ladders: dict[str, Ladder]
    default_ladder: str
    closure_days: frozenset[date] = frozenset()
    closure_yearly: frozenset[tuple[int, int]] = frozenset()
    panel_plan_months: int = 18
    panel_repeat_months: int = 24
    extra: dict[str, object] = field(default_factory=dict)
