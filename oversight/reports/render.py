"""A document (`documents.Document`) as JSON, CSV, XLSX, Word (.docx, python-docx: a document
a manager edits) or PDF (WeasyPrint, from `templates/reports/document_print.html`), the same
numbers in each.

- JSON: `{"name", "title", "from", "to", "figures": [{"key", "label", "numerator",
  "denominator", "value"}], "sections": [{"heading", "text", "figures": [keys], "tables":
  [{"caption", "columns", "rows"}]}]}` (dates as YYYY-MM-DD; a count's denominator and value
  null);
- CSV: the figures (key, label, numerator, denominator, value), then each table after an empty
  line: its caption, its columns, its rows;
- XLSX: a sheet "Figures", then a sheet per table;
- Word: the title and period, each section a heading with its words, its figures as a table
  ("Figure", "Number", "Percentage") and its tables.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import IO, Any, TextIO

from oversight.cases.formatting import day
from oversight.cases.text import printable
from oversight.reports.documents import Document, Table
from oversight.reports.export import FIGURE_COLUMNS, Cell, write_csv_lines
from oversight.reports.export import write_xlsx as write_sheets
from oversight.reports.figures import Figure


def value_of(cell: Cell) -> Any:
    return cell.isoformat() if isinstance(cell, dt.date) else cell


def figure_json(found: Figure) -> dict[str, Any]:
    return {
        "key": found.key,
        "label": found.label,
        "numerator": found.numerator,
        "denominator": found.denominator,
        "value": found.value,
    }


def as_json(document: Document) -> dict[str, Any]:
    return {
        "name": document.name,
        "title": document.title,
        "from": document.period.first.isoformat(),
        "to": document.period.last.isoformat(),
        "figures": [figure_json(f) for f in document.figures],
        "sections": [
            {
                "heading": s.heading,
                "text": list(s.text),
                "figures": [f.key for f in s.figures],
                "tables": [
                    {
                        "caption": t.caption,
                        "columns": list(t.columns),
                        "rows": [[value_of(c) for c in row] for row in t.rows],
                    }
                    for t in s.tables
                ],
            }
            for s in document.sections
        ],
    }


def _figure_line(found: Figure) -> tuple[Cell, ...]:
    return (found.key, found.label, found.numerator, found.denominator, found.value)


def _tables(document: Document) -> Iterable[Table]:
    for section in document.sections:
        yield from section.tables


def write_csv(out: TextIO, document: Document) -> None:
    lines: list[Sequence[object]] = [FIGURE_COLUMNS, *map(_figure_line, document.figures)]
    for table in _tables(document):
        lines += [(), (table.caption,), table.columns, *table.rows]
    write_csv_lines(out, lines)


def _sheet_names(document: Document) -> Iterable[tuple[str, Table]]:
    """Each table's sheet name: its caption, cut to Excel's length, with no apostrophe at
    either end (Excel refuses one there), numbered where two would be the same."""
    taken = {"Figures"}
    for n, table in enumerate(_tables(document), start=1):
        name = table.caption[:28].strip("'")
        if name in taken:
            name = f"{name[:24]} ({n})"
        taken.add(name)
        yield name, table


def write_xlsx(out: IO[bytes], document: Document) -> None:
    write_sheets(
        out,
        [
            ("Figures", FIGURE_COLUMNS, map(_figure_line, document.figures)),
            *((name, t.columns, t.rows) for name, t in _sheet_names(document)),
        ],
    )


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, dt.date):
        return day(cell)
    return printable(str(cell))


def _grid(doc: Any, columns: Sequence[str], rows: Iterable[Sequence[Cell]]) -> None:
    table = doc.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, columns, strict=True):
        cell.text = text
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = _text(value)


def write_docx(out: IO[bytes], document: Document) -> None:
    from docx import Document as Word

    doc = Word()
    doc.add_heading(printable(document.title), level=0)
    doc.add_paragraph(
        f"From {day(document.period.first)} to {day(document.period.last)} (both days count)."
    )
    for section in document.sections:
        doc.add_heading(printable(section.heading), level=1)
        for text in section.text:
            doc.add_paragraph(printable(text))
        if section.figures:
            _grid(
                doc,
                ("Figure", "Number", "Percentage"),
                [
                    (f.label, f"{f.numerator} of {f.denominator}" if f.denominator is not None
                     else str(f.numerator), "" if f.value is None else f"{f.value:g}%")
                    for f in section.figures
                ],
            )  # fmt: skip
        for table in section.tables:
            doc.add_paragraph(printable(table.caption))
            _grid(doc, table.columns, table.rows)
    doc.save(out)


def _nothing_fetched() -> Any:
    """WeasyPrint's URL fetcher for a document that needs nothing: every address refused, so
    printing never reaches the network or the disk."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class Refused(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            raise ValueError(f"a report prints with nothing fetched: {url}")

    return Refused()


def write_pdf(out: IO[bytes], document: Document) -> None:
    """The document as PDF (WeasyPrint), A4 with numbered pages, from its print template."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string("reports/document_print.html", {"document": document})
    out.write(HTML(string=html, url_fetcher=_nothing_fetched()).write_pdf())
