"""The engine's date rules as public functions: every due date outside the engine comes from here.

A ladder's response time, the next working day for a prompt, the working days left on a caseload:
each is the same arithmetic the engine applies to a chronology, so a deadline shown anywhere is the
engine's. Counting conventions (the engine's, `WorkingCalendar`):

- "N working days" from a day: the Nth working day after it; the start day never counts
  (Fri + 1 working day → Mon; a Saturday + 1 → Mon).
- "N working days before" a day: the Nth working day before it, the day itself not counted.
- "N days": calendar days; "N months": the same day of the month, or the month's last day.
- "N hours": elapsed hours from the start's Europe/London clock time (across a clock change too).
"""

from __future__ import annotations

import calendar as _months
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from oversight.timescales.calendar import WorkingCalendar, closed_days
from oversight.timescales.rules import Duration, Policy, parse_rule

LONDON = ZoneInfo("Europe/London")
UTC = ZoneInfo("UTC")

__all__ = [
    "bank_holidays_between",
    "calendar_for",
    "due",
    "due_date",
    "is_working_day",
    "months_after",
    "months_before",
    "working_day_step",
    "working_days_between",
]


def calendar_for(policy: Policy) -> WorkingCalendar:
    """The working calendar of a pack: bank holidays and the pack's closure days (one per pack)."""
    return _calendar_of(policy.closure_days, policy.closure_yearly)


@cache
def _calendar_of(days: frozenset[date], yearly: frozenset[tuple[int, int]]) -> WorkingCalendar:
    return WorkingCalendar(days, yearly)


def add_months(ordinal: int, months: int) -> int:
    """Same day of the month `months` later; past the end of a shorter month, its last day
    (31 Jan + 3 months → 30 Apr; 30 Nov 2027 + 3 months → 29 Feb 2028)."""
    day = date.fromordinal(ordinal)
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = _months.monthrange(year, month)[1]
    return date(year, month, min(day.day, last)).toordinal()


def months_after(day: date, months: int) -> date:
    """The same day of the month `months` after `day`, or that month's last day (30 Nov 2027 + 3
    months -> 29 Feb 2028), as the engine counts a month."""
    return date.fromordinal(add_months(day.toordinal(), months))


def months_before(day: date, months: int) -> date:
    """The same day of the month `months` before `day`, or that month's last day (31 Aug - 6
    months -> 28 Feb), as the engine counts a month."""
    return date.fromordinal(add_months(day.toordinal(), -months))


def add_hours(stamp: int, hours: int) -> int:
    """`stamp` (minutes since day 1, Europe/London wall clock) plus elapsed hours, as wall clock."""
    day, minute = divmod(stamp, 1440)
    local = datetime.combine(date.fromordinal(day), datetime.min.time(), LONDON) + timedelta(
        minutes=minute
    )
    local = local.replace(tzinfo=LONDON)
    later = (local.astimezone(UTC) + timedelta(hours=hours)).astimezone(LONDON)
    return later.toordinal() * 1440 + later.hour * 60 + later.minute


def _calendar(calendar: WorkingCalendar | Policy | None) -> WorkingCalendar:
    """A calendar as given, a pack's, or (None) England & Wales bank holidays with no closures."""
    if calendar is None:
        return _calendar_of(frozenset(), frozenset())
    return calendar if isinstance(calendar, WorkingCalendar) else calendar_for(calendar)


def due_ordinal(rule: Duration, day: int, stamp: int, calendar: WorkingCalendar) -> int:
    """The due day (an ordinal) of `rule` from `day`; for an hours rule, a stamp in minutes since
    day 1 on the Europe/London wall clock, from `stamp`. The engine's one primitive."""
    sign = -1 if rule.before else 1
    if rule.unit == "working_days":
        return calendar.add_working_days(day, sign * rule.amount)
    if rule.unit == "days":
        return day + sign * rule.amount
    if rule.unit == "months":
        return add_months(day, rule.amount)
    return add_hours(stamp, rule.amount)


def due(
    rule: str | Duration, start: date | datetime, calendar: WorkingCalendar | Policy | None
) -> date | datetime:
    """The due date of `rule` ("5 working days", "3 months", "24 hours", …) from `start`, on
    `calendar` (a pack's policy, a calendar, or None for bank holidays and no closures).

    A date for working days, days and months (a datetime start counts from its day); a datetime
    on the Europe/London clock for hours, which need a datetime start (a naive one is read as
    London time)."""
    duration = parse_rule(rule) if isinstance(rule, str) else rule
    cal = _calendar(calendar)
    if duration.unit == "hours":
        if not isinstance(start, datetime):
            raise TypeError(f"an hours rule ({duration}) counts from a time, not a date")
        local = start.astimezone(LONDON) if start.tzinfo else start.replace(tzinfo=LONDON)
        stamp = local.toordinal() * 1440 + local.hour * 60 + local.minute
        due_day, minute = divmod(due_ordinal(duration, 0, stamp, cal), 1440)
        wall = datetime.combine(date.fromordinal(due_day), datetime.min.time())
        return wall.replace(hour=minute // 60, minute=minute % 60, tzinfo=LONDON)
    day = start.date() if isinstance(start, datetime) else start
    return date.fromordinal(due_ordinal(duration, day.toordinal(), 0, cal))


def due_date(rule: str | Duration, start: date, calendar: WorkingCalendar | Policy | None) -> date:
    """`due` for a day rule from a day (working days, days or months): always a date."""
    result = due(rule, start, calendar)
    return result.date() if isinstance(result, datetime) else result


def working_days_between(start: date, end: date, calendar: WorkingCalendar | Policy) -> int:
    """Working days in (start, end]: the start day not counted, the end day counted; negative
    when `end` is before `start` (a caseload's "3 working days left" or "2 working days late")."""
    return _calendar(calendar).working_days_between(start.toordinal(), end.toordinal())


def bank_holidays_between(first: date, last: date) -> list[date]:
    """England & Wales bank holidays in the closed interval [first, last], substitute days
    included, oldest first: the calendar's holidays before any pack's closure days (a generator
    of synthetic chronologies that must avoid them, as the demo's does)."""
    low, high = first.toordinal(), last.toordinal()
    return [
        date.fromordinal(o) for o in sorted(closed_days(first.year, last.year)) if low <= o <= high
    ]


def working_day_step(calendar: WorkingCalendar | Policy | None = None) -> Callable[[int, int], int]:
    """The engine's own working-day step on day ordinals, for bulk work that counts millions of
    dates (the demo council's 100,000 children): `step(o, n)` is the nth working day after ordinal
    `o` (before it when n < 0), the day `o` itself never counted, as `due` counts. Without a
    calendar: England & Wales bank holidays only, no pack's closures."""
    return _calendar(calendar).add_working_days


def is_working_day(day: date, calendar: WorkingCalendar | Policy) -> bool:
    """Whether `day` is a working day: not a weekend, a bank holiday or one of the pack's closures."""
    return _calendar(calendar).is_working_day(day)
