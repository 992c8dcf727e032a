"""Figures and the children behind them as CSV, safe to open in a spreadsheet: a cell that
begins with `=`, `+`, `-`, `@`, a tab or a carriage return (what a spreadsheet reads as a
formula) is written after an apostrophe, which shows as text and runs nothing (OWASP's advice on
CSV injection; `oversight.cases.text.neutralised`, the one rule for every CSV Oversight writes)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

from oversight.cases.text import neutralised
from oversight.reports.figures import Figure, Row


def _write(out: TextIO, lines: Iterable[Iterable[object]]) -> None:
    writer = csv.writer(out, lineterminator="\r\n")
    for line in lines:
        writer.writerow([neutralised(cell) for cell in line])


FIGURE_COLUMNS = ("key", "label", "numerator", "denominator", "value")


def write_figures(out: TextIO, found: Iterable[Figure]) -> None:
    """One line per figure: its key, label, numerator, denominator (empty for a count) and value
    (the percentage; empty without a denominator)."""
    _write(
        out,
        [
            FIGURE_COLUMNS,
            *((f.key, f.label, f.numerator, f.denominator, f.value) for f in found),
        ],
    )


def children_columns(found: Figure) -> tuple[str, ...]:
    return (
        "Council reference",
        "Child",
        "What",
        "Counted from",
        "On",
        "Due",
        found.counted,
    )


def write_children(out: TextIO, found: Figure, rows: Iterable[Row]) -> None:
    """The rows behind `found`, one line each, dates as YYYY-MM-DD; the last column says
    whether the row is in the numerator ("Yes" or "No")."""
    _write(
        out,
        [
            children_columns(found),
            *(
                (
                    r.reference,
                    r.name,
                    r.what,
                    r.start.isoformat(),
                    r.day.isoformat() if r.day else "",
                    r.due.isoformat() if r.due else "",
                    "Yes" if r.counted else "No",
                )
                for r in rows
            ),
        ],
    )
