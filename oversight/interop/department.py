"""The Department for Education's CIN validator's count of working days, where it is not Oversight's.

The census's ICPC rule (an ICPC within 15 working days of the section 47 enquiry's start, a query
when later) is checked on Oversight's own calendar (`oversight.timescales.dates`: the start day
never counts; England and Wales bank holidays of every year). The Department's validator counts
differently in two ways, so an ICPC on time by Oversight's calendar may still be queried by it:

- it counts the day it counts from as a working day even when that day is a weekend or a bank
  holiday (a Saturday start is the first of the 15);
- its list of bank holidays ends in 2027 (`HOLIDAYS_KNOWN_UNTIL`): a later bank holiday is a
  working day to it.

`due_by` gives the day the validator takes as the deadline; it is a model of an outside program
for one note of the import report ("the Department's validator may query this; it is not late"),
never a deadline of Oversight's. The bank holidays come from Oversight's date API
(`dates.bank_holidays_between`)."""

from __future__ import annotations

import datetime as dt
from functools import cache

from oversight.timescales.dates import bank_holidays_between

HOLIDAYS_KNOWN_UNTIL = dt.date(2027, 12, 31)
_FIRST_KNOWN = dt.date(2000, 1, 1)


@cache
def _holidays() -> frozenset[int]:
    """The bank holidays the validator knows, as day ordinals."""
    return frozenset(
        d.toordinal() for d in bank_holidays_between(_FIRST_KNOWN, HOLIDAYS_KNOWN_UNTIL)
    )


def _working(ordinal: int) -> bool:
    """A working day to the validator: Monday to Friday, not one of the bank holidays it knows."""
    return dt.date.fromordinal(ordinal).weekday() < 5 and ordinal not in _holidays()


@cache
def due_by(start: dt.date, working_days: int) -> dt.date:
    """The day the Department's validator takes as `working_days` working days after `start`
    (kept: a census's enquiries start on a few hundred days)."""
    ordinal = start.toordinal()
    counted = 0 if _working(ordinal) else 1
    while counted < working_days:
        ordinal += 1
        counted += _working(ordinal)
    return dt.date.fromordinal(ordinal)
