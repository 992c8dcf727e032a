"""The working-day calendar: England & Wales bank holidays plus a council's closure days.

A working day is Monday to Friday, not an England & Wales bank holiday (substitute days included)
and not a closure day of the policy pack. Dates are day ordinals (`date.toordinal()`) so that adding
working days is two look-ups in a cumulative index, with no loop over days.

Bank holidays come from the committed GOV.UK list (data/, refreshed by `make bank-holidays`) for the
years it covers, and from the `holidays` package (subdivision ENG) for any other year; a test keeps
the two in agreement. Reading the list costs nothing at start-up, where `holidays` costs half a
second, and it is the official list, one-off proclamations included.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from functools import cache
from itertools import accumulate
from pathlib import Path

SNAPSHOT = Path(__file__).parent / "data" / "bank-holidays-england-and-wales.json"


@cache
def _snapshot() -> dict[int, list[date]]:
    by_year: dict[int, list[date]] = {}
    for event in json.loads(SNAPSHOT.read_text(encoding="utf-8"))["events"]:
        day = date.fromisoformat(event["date"])
        by_year.setdefault(day.year, []).append(day)
    return by_year


def bank_holidays(first_year: int, last_year: int) -> list[date]:
    """England & Wales bank holidays (subdivision ENG of `holidays`' GB), substitute days included."""
    import holidays

    found = holidays.country_holidays("GB", subdiv="ENG", years=range(first_year, last_year + 1))
    return sorted(found)


def closed_days(first_year: int, last_year: int) -> set[int]:
    """The bank holidays of those years as ordinals: the GOV.UK list where it covers a year."""
    listed = _snapshot()
    missing = [y for y in range(first_year, last_year + 1) if y not in listed]
    days = {d.toordinal() for y in range(first_year, last_year + 1) for d in listed.get(y, ())}
    if missing:
        days |= {
            d.toordinal() for d in bank_holidays(min(missing), max(missing)) if d.year in missing
        }
    return days


class WorkingCalendar:
    """Working days over a span of years, built on first use and extended when a date falls outside.

    `cum[i]` counts the working days in the closed interval [base, base + i]; `days[k]` is the
    ordinal of the (k+1)th working day from base.
    """

    def __init__(
        self,
        closure_days: Iterable[date] = (),
        closure_yearly: Iterable[tuple[int, int]] = (),
    ) -> None:
        self.closure_days = frozenset(closure_days)
        self.closure_yearly = frozenset(closure_yearly)
        self.first_year = self.last_year = 0
        self.base = 0
        self.cum: list[int] = []
        self.days: list[int] = []
        self.working: list[bool] = []

    def _build(self, first_year: int, last_year: int) -> None:
        self.first_year, self.last_year = first_year, last_year
        self.base = date(first_year, 1, 1).toordinal()
        end = date(last_year, 12, 31).toordinal()
        closed = closed_days(first_year, last_year)
        closed |= {d.toordinal() for d in self.closure_days if first_year <= d.year <= last_year}
        for year in range(first_year, last_year + 1):
            closed |= {date(year, m, d).toordinal() for m, d in self.closure_yearly}
        # date.toordinal() of Monday 0001-01-01 is 1, so (ordinal - 1) % 7 is Monday=0 … Sunday=6.
        self.working = [(o - 1) % 7 < 5 and o not in closed for o in range(self.base, end + 1)]
        self.cum = list(accumulate(self.working))
        self.days = [o for o, w in zip(range(self.base, end + 1), self.working, strict=True) if w]

    def _cover(self, ordinal: int, margin_days: int = 0) -> None:
        lo = date.fromordinal(max(1, ordinal - margin_days)).year
        hi = date.fromordinal(min(ordinal + margin_days, date.max.toordinal())).year
        if not self.cum:
            self._build(lo, hi)
        elif lo < self.first_year or hi > self.last_year:
            self._build(min(lo, self.first_year), max(hi, self.last_year))

    def is_working_day(self, day: date) -> bool:
        ordinal = day.toordinal()
        self._cover(ordinal)
        return self.working[ordinal - self.base]

    def add_working_days(self, start: int, n: int) -> int:
        """The nth working day after `start` (n > 0) or before it (n < 0), as an ordinal.

        The start day itself is never counted, working day or not: Sat + 1 → Mon; the 3rd working
        day before Thu is Mon. n = 0 gives `start` unchanged. ValueError when the day counted to
        falls outside 0001-01-01 to 9999-12-31.
        """
        if n == 0:
            return start
        index = start - self.base
        # A working day spans at most a few calendar days, even across Christmas: a wide margin.
        if (
            index < 0
            or not self.cum
            or index + abs(n) * 3 + 30 >= len(self.cum)
            or index - abs(n) * 3 - 30 < 0
        ):
            self._cover(start, abs(n) * 3 + 30)
            index = start - self.base
        # Forward: the nth after those up to start; back: the nth before those strictly before it.
        position = self.cum[index] + n - 1 if n > 0 else self.cum[index] - self.working[index] + n
        if not 0 <= position < len(self.days):
            raise ValueError(f"{n} working days from {date.fromordinal(start)} is not a real date")
        return self.days[position]

    def working_days_between(self, start: int, end: int) -> int:
        """Working days in the half-open interval (start, end]: the start day is not counted, the
        end day is. Negative when end is before start."""
        self._cover(start)
        self._cover(end)
        return self.cum[end - self.base] - self.cum[start - self.base]
