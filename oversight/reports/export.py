"""Tables as CSV or XLSX, safe to open in a spreadsheet, written as they are read (constant
memory: a CSV line by line, an XLSX through XlsxWriter's `constant_memory` workbook, which
writes each row to a temporary file as the next begins, never the sheet in memory; three to
four times faster than openpyxl's write-only workbook, which was most of a 100,000-child Annex
A List 7's time, issue 15).

A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return (what a spreadsheet reads
as a formula) is neutralised: in CSV written after an apostrophe, which shows as text and runs
nothing (OWASP's advice on CSV injection); in XLSX kept as it is, stored as text with Excel's
quote prefix, so that editing the cell does not turn it into a formula either.

    write_table(out, fmt, sheet, columns, lines) -> children    each line a (child, cells) pair;
                                                                the children, for the audit row
    write_xlsx(out, sheets)                                     sheets of (name, columns, rows)
    write_figures(out, figures)                                 the figures as CSV (the command)
    children_table(figure, rows) -> (columns, lines)            the children behind a figure
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any, Protocol, TextIO

from xlsxwriter import Workbook
from xlsxwriter.worksheet import Worksheet

from oversight.cases.text import FORMULA_STARTS, neutralised
from oversight.reports.figures import Figure, Row


class ChildRecord(Protocol):
    @property
    def pk(self) -> Any: ...

    @property
    def reference(self) -> str: ...


Cell = str | int | float | dt.date | None
Line = tuple[ChildRecord | None, Sequence[Cell]]


def write_csv_lines(out: TextIO, lines: Iterable[Iterable[object]]) -> None:
    writer = csv.writer(out, lineterminator="\r\n")
    for line in lines:
        writer.writerow([neutralised(cell) for cell in line])


# Excel's day 0 for dates as serial numbers (1900 date system, as XlsxWriter writes them).
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def _xlsx_row(sheet: Worksheet, row: int, cells: Sequence[Cell], styles: dict[str, Any]) -> None:
    """One row of cells: text always as text (never a formula, whatever it begins with, and
    with Excel's quote prefix when it begins like one), a date as a date (YYYY-MM-DD), nothing
    for None."""
    for column, value in enumerate(cells):
        if value is None:
            continue
        if isinstance(value, str):
            if value.startswith(FORMULA_STARTS):
                sheet.write_string(row, column, value, styles["quoted"])
            else:
                sheet.write_string(row, column, value)
        elif isinstance(value, dt.datetime):
            sheet.write_datetime(row, column, value, styles["date"])
        elif isinstance(value, dt.date):
            sheet.write_number(row, column, (value - _EXCEL_EPOCH).days, styles["date"])
        elif isinstance(value, bool):
            sheet.write_boolean(row, column, value)
        else:
            sheet.write_number(row, column, value)


def write_xlsx(
    out: IO[bytes], sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Cell]]]]
) -> None:
    """Each sheet (its name, its columns, its rows) into `out` as one workbook, a row at a time."""
    workbook = Workbook(out, {"constant_memory": True})
    styles = {
        "quoted": workbook.add_format({"quote_prefix": True}),
        "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
    }
    for name, columns, rows in sheets:
        written = workbook.add_worksheet(name[:31])
        _xlsx_row(written, 0, columns, styles)
        for number, row in enumerate(rows, start=1):
            _xlsx_row(written, number, row, styles)
    workbook.close()


def write_table(
    out: IO[bytes], fmt: str, sheet: str, columns: Sequence[str], lines: Iterable[Line]
) -> list[ChildRecord]:
    """The table, as CSV (UTF-8) or XLSX (one sheet named `sheet`) into `out`, a line at a time;
    the children of its lines, in order (a line of no child names none)."""
    children: list[ChildRecord] = []

    def cells() -> Iterator[Sequence[Cell]]:
        for child, line in lines:
            if child is not None:
                children.append(child)
            yield line

    if fmt == "csv":
        text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
        write_csv_lines(text, [columns])
        write_csv_lines(text, cells())
        text.detach()
        return children
    write_xlsx(out, [(sheet, columns, cells())])
    return children


FIGURE_COLUMNS = ("key", "label", "numerator", "denominator", "value")


def write_figures(out: TextIO, found: Iterable[Figure]) -> None:
    """One line per figure: its key, label, numerator, denominator (empty for a count) and value
    (the percentage; empty without a denominator)."""
    write_csv_lines(
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


def children_table(found: Figure, rows: Iterable[Row]) -> tuple[tuple[str, ...], Iterator[Line]]:
    """The rows behind `found`, one line each; the last column says whether the row is in the
    numerator ("Yes" or "No")."""
    lines = (
        (
            r,
            (r.reference, r.name, r.what, r.start, r.day, r.due, "Yes" if r.counted else "No"),
        )
        for r in rows
    )
    return children_columns(found), lines
