"""The working-day calendar: England & Wales bank holidays plus a council's closure days.

A working day is Monday to Friday, not an England & Wales bank holiday (substitute days included)
and not a closure day of the policy pack. Dates are day ordinals (`date.toordinal()`) so that adding
working days is two list look-ups in a cumulative index, with no loop over days.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import holidays
import numpy as np

# Years covered when a calendar is first built; it grows by itself when a date falls outside.
_FIRST_YEAR = 2015
_LAST_YEAR = 2035


def bank_holidays(first_year: int, last_year: int) -> list[date]:
    """England & Wales bank holidays (subdivision ENG of `holidays`' GB), substitute days included."""
    found = holidays.country_holidays("GB", subdiv="ENG", years=range(first_year, last_year + 1))
    return sorted(found)


class WorkingCalendar:
    """Working days between two years, built once and extended when a date falls outside.

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
        self._build(_FIRST_YEAR, _LAST_YEAR)

    def _build(self, first_year: int, last_year: int) -> None:
        self.first_year, self.last_year = first_year, last_year
        self.base = date(first_year, 1, 1).toordinal()
        end = date(last_year, 12, 31).toordinal()
        ordinals = np.arange(self.base, end + 1, dtype=np.int64)
        # date.toordinal() of Monday 0001-01-01 is 1, so (ordinal - 1) % 7 is Monday=0 … Sunday=6.
        working = ((ordinals - 1) % 7) < 5
        closed = {d.toordinal() for d in bank_holidays(first_year, last_year)}
        closed |= {d.toordinal() for d in self.closure_days if first_year <= d.year <= last_year}
        for year in range(first_year, last_year + 1):
            for month, day in self.closure_yearly:
                closed.add(date(year, month, day).toordinal())
        closed_index = np.fromiter((o - self.base for o in closed), dtype=np.int64)
        working[closed_index] = False
        self.working_mask = working
        self.cum_array = np.cumsum(working, dtype=np.int64)
        self.days_array = ordinals[working]
        # Plain lists for scalar look-ups: indexing a list is several times faster than numpy.
        self.cum: list[int] = self.cum_array.tolist()
        self.days: list[int] = self.days_array.tolist()
        self.is_working_list: list[bool] = working.tolist()

    def _cover(self, ordinal: int, margin_days: int = 0) -> None:
        lo = date.fromordinal(max(1, ordinal - margin_days)).year
        hi = date.fromordinal(ordinal + margin_days).year
        if lo < self.first_year or hi > self.last_year:
            self._build(min(lo - 1, self.first_year), max(hi + 1, self.last_year))

    def is_working_day(self, day: date) -> bool:
        ordinal = day.toordinal()
        self._cover(ordinal)
        return self.is_working_list[ordinal - self.base]

    def add_working_days(self, start: int, n: int) -> int:
        """The nth working day after `start` (n > 0) or before it (n < 0), as an ordinal.

        The start day itself is never counted, working day or not: Sat + 1 → Mon; the 3rd working
        day before Thu is Mon. n = 0 gives `start` unchanged.
        """
        if n == 0:
            return start
        # Working days run at most ~2.2 calendar days each, plus a long closure: a generous margin.
        self._cover(start, abs(n) * 3 + 30)
        index = start - self.base
        if n > 0:
            return self.days[self.cum[index] + n - 1]
        before = self.cum[index] - self.is_working_list[index]  # working days strictly before start
        return self.days[before + n]

    def working_days_between(self, start: int, end: int) -> int:
        """Working days in the half-open interval (start, end]: the start day is not counted, the
        end day is. Negative when end is before start."""
        self._cover(start)
        self._cover(end)
        return self.cum[end - self.base] - self.cum[start - self.base]

    def add_working_days_many(self, starts: np.ndarray, n: np.ndarray) -> np.ndarray:
        """`add_working_days` over arrays of ordinals and counts at once (n > 0 or n < 0, not 0)."""
        if starts.size == 0:
            return starts.copy()
        self._cover(int(starts.min()), int(np.abs(n).max()) * 3 + 30)
        self._cover(int(starts.max()), int(np.abs(n).max()) * 3 + 30)
        index = starts - self.base
        cum = self.cum_array[index]
        forward = cum + n - 1
        backward = cum - self.working_mask[index] + n
        return self.days_array[np.where(n > 0, forward, backward)]
