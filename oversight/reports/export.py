"""Tables as CSV or XLSX, safe to open in a spreadsheet, written as they are read (constant
memory: a CSV line by line, an XLSX through openpyxl's write-only workbook, which keeps rows in
a temporary file, never the sheet in memory).

A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return (what a spreadsheet reads
as a formula) is neutralised: in CSV written after an apostrophe, which shows as text and runs
nothing (OWASP's advice on CSV injection); in XLSX kept as it is, stored as text with Excel's
quote prefix, so that editing the cell does not turn it into a formula either.

    write_table(out, fmt, sheet, columns, lines) -> children    each line a (child, cells) pair;
                                                                the children, for the audit row
    write_figures(out, figures)                                 the figures as CSV (the command)
    children_table(figure, rows) -> (columns, lines)            the children behind a figure
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any, Protocol, TextIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

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


def xlsx_cell(sheet: Any, value: Cell) -> WriteOnlyCell:
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # text, never a formula, whatever it begins with
        cell.quotePrefix = value.startswith(FORMULA_STARTS)
        return cell
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"
    return cell


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
    workbook = Workbook(write_only=True)
    written = workbook.create_sheet(sheet[:31])
    written.append([xlsx_cell(written, c) for c in columns])
    for line in cells():
        written.append([xlsx_cell(written, c) for c in line])
    workbook.save(out)
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
