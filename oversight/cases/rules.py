"""Rules about a child's chronology that every room checks the same way (the event form, the
meeting rules, an import): plain values in, the reason a person reads out, or None."""

from __future__ import annotations

import datetime as dt


def held_date_problem(day: dt.date, *, born: dt.date | None, today: dt.date) -> str | None:
    """Why `day` cannot be the date something happened: after `today`, or before the child's
    birth `born` (None for an unborn child, whose events are not checked against one)."""
    if day > today:
        return "The date must be today or in the past"
    if born is not None and day < born:
        return f"The date must be on or after the child's date of birth ({born:%-d %B %Y})"
    return None
