"""The dashboard's trends: a few figures for each of the 12 calendar months up to the period's
last day's month, from the one query layer (`figures.by_month`: two queries for the 12), with what a server-rendered bar chart (an SVG drawn
by a template) needs. The same numbers are the chart's table.

    trends(scope, last) -> list[Trend]     each figure of TREND_KEYS over the 12 months

A percentage's bars run from 0 to 100; a count's from 0 to the largest month's count. A month
with nothing to count (0 of 0) has no bar and says so."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from oversight.reports.figures import Figure, Period, Scope, by_month
from oversight.timescales.dates import months_before

TREND_KEYS = ("icpc_within_15_wd", "rcpc_in_time", "lac_review_in_time", "escalations_raised")
MONTHS = 12

# The chart's drawing area, in SVG user units.
WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 220, 40, 30, 10
PLOT = HEIGHT - BOTTOM - TOP


def months(last: dt.date) -> list[Period]:
    """The 12 calendar months up to and including `last`'s, oldest first (each whole)."""
    found = []
    for back in range(MONTHS - 1, -1, -1):
        first = months_before(last.replace(day=1), back)
        end = calendar.monthrange(first.year, first.month)[1]
        found.append(Period(first, first.replace(day=end)))
    return found


@dataclass(frozen=True)
class Bar:
    month: Period
    figure: Figure
    x: float
    y: float
    height: float

    @property
    def empty(self) -> bool:
        """Nothing to count this month (a percentage of 0 of 0)."""
        return self.figure.denominator == 0


@dataclass(frozen=True)
class Trend:
    key: str
    label: str
    percentage: bool
    top: int  # the scale's top: 100 for a percentage, else the largest count (at least 1)
    bars: list[Bar]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    baseline: int = HEIGHT - BOTTOM
    top_line: int = TOP
    bar_width: float = (WIDTH - LEFT) / MONTHS * 0.7


def _height(found: Figure, top: int, percentage: bool) -> float:
    value = (found.value or 0.0) if percentage else float(found.numerator)
    return round(PLOT * value / top, 1)


def trends(scope: Scope, last: dt.date) -> list[Trend]:
    """Each of TREND_KEYS for the 12 months up to `last`'s month."""
    periods = months(last)
    counted = by_month(TREND_KEYS, scope, periods)
    step = (WIDTH - LEFT) / MONTHS
    found = []
    for i, key in enumerate(TREND_KEYS):
        series = [month[i] for month in counted]
        percentage = series[-1].denominator is not None
        top = 100 if percentage else max(1, *(f.numerator for f in series))
        bars = []
        for n, (period, figure) in enumerate(zip(periods, series, strict=True)):
            height = _height(figure, top, percentage)
            x = round(LEFT + n * step + step * 0.15, 1)
            bars.append(Bar(period, figure, x, round(HEIGHT - BOTTOM - height, 1), height))
        found.append(Trend(key, series[-1].label, percentage, top, bars))
    return found
