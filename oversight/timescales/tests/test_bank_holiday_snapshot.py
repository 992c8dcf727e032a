"""The calendar's bank holidays come from `holidays`; the committed GOV.UK snapshot checks them.

When a test here fails: a one-off holiday was proclaimed, or the snapshot is stale. Refresh it with
`make bank-holidays` (it copies the list shipped by the newest `govuk-bank-holidays` package: bump
its pin in pyproject.toml, `uv lock`, then run the target), and bump `holidays` if it disagrees."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from oversight.timescales.calendar import bank_holidays

SNAPSHOT = Path(__file__).parents[1] / "data" / "bank-holidays-england-and-wales.json"


def _snapshot() -> dict[int, set[date]]:
    events = json.loads(SNAPSHOT.read_text())["events"]
    by_year: dict[int, set[date]] = {}
    for event in events:
        day = date.fromisoformat(event["date"])
        by_year.setdefault(day.year, set()).add(day)
    return by_year


def test_it_agrees_with_the_holidays_package_on_every_year_the_snapshot_covers() -> None:
    for year, days in _snapshot().items():
        # Only weekdays matter to a working day: `holidays` also lists New Year's Day 2012 on its
        # Sunday beside the Monday substitute, which GOV.UK lists alone.
        computed = {d for d in bank_holidays(year, year) if d.weekday() < 5}
        # A difference is a proclaimed one-off holiday or a stale package: see the module docstring.
        assert computed == days, f"{year}: holidays gives {sorted(computed ^ days)} differently"


def test_it_covers_next_year() -> None:
    next_year = date.today().year + 1
    # A snapshot without next year's dates cannot check next year's deadlines: refresh it.
    assert next_year in _snapshot(), f"the bank-holiday snapshot has no dates for {next_year}"


def test_it_includes_the_boxing_day_2026_substitute() -> None:
    # Boxing Day 2026 is a Saturday, so Mon 2026-12-28 is the bank holiday.
    assert date(2026, 12, 28) in _snapshot()[2026]
