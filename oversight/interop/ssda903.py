"""The SSDA903 return (looked-after children): its header, episodes and reviews tables, as CSV.

Each file is known by the columns of its first line:

- header (`CHILD`, `DOB`, optional `UPN`): the child's date of birth and UPN;
- episodes (`CHILD`, `DECOM`, `DEC`): episodes that follow on without a gap (one begins the day
  the last ended: a change of placement or legal status) are one period of care, which begins
  with a `lac_start` on its first `DECOM` and ends with a `lac_end` on its last `DEC`; its
  legal status `LS` (C1, C2, V2 …) a `legal_status` on `DECOM` where it changes;
- reviews (`CHILD`, `DOB`, `REVIEW`, `REVIEW_CODE`): a `lac_review` on each `REVIEW`, its
  participation code (`PN0` to `PN7`) kept as `participation`.

Episodes and reviews are read as every looked-after format reads them (`care`). Dates are
`DD/MM/YYYY`. Every problem names the file's line (the first line, of the column
names, is line 1) and the column."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from oversight.interop.care import PARTICIPATION, Episode, Episodes
from oversight.interop.identifiers import upn_problem
from oversight.interop.problems import Report
from oversight.interop.records import (
    Children,
    Incoming,
    Source,
    check_children,
    check_reference,
    columns,
    readable_csvs,
    rows,
)
from oversight.timescales.rules import Policy

# The tables, by the columns that name them, in the order they are read (a review is checked
# against the episodes, whatever order the files are given in).
TABLES: tuple[tuple[str, frozenset[str]], ...] = (
    ("header", frozenset({"CHILD", "DOB"})),
    ("episodes", frozenset({"CHILD", "DECOM", "DEC"})),
    ("reviews", frozenset({"CHILD", "DOB", "REVIEW", "REVIEW_CODE"})),
)
_DATE = re.compile(r"(\d{2})/(\d{2})/(\d{4})")


def _table(columns: set[str]) -> str | None:
    """The table whose columns the file has (the most specific first)."""
    for name, needs in reversed(TABLES):
        if needs <= columns:
            return name
    return None


class _Reader:
    def __init__(self, children: Children, report: Report) -> None:
        self.children, self.report = children, report
        self.episodes = Episodes()

    def date(self, row: dict[str, str], name: str, file: str, line: str) -> dt.date | None:
        text = row.get(name, "")
        if not text:
            return None
        match = _DATE.fullmatch(text)
        try:
            if match is None:
                raise ValueError
            d, m, y = (int(part) for part in match.groups())
            return dt.date(y, m, d)
        except ValueError:
            self.report.error(
                file, line, name, f"{text!r} is not a date: the 903 writes DD/MM/YYYY"
            )
            return None

    def child(self, row: dict[str, str], file: str, line: str) -> Incoming | None:
        reference = row.get("CHILD", "")
        if not check_reference(reference, self.report, file, line, "CHILD"):
            return None
        child = self.children.get(reference, file, line)
        born = self.date(row, "DOB", file, line)
        if born is not None:
            self.children.born(child, born, self.report, file, line, "DOB")
        return child

    def header(self, source: Source) -> None:
        for line, row in rows(source):
            child = self.child(row, source.name, line)
            upn = row.get("UPN", "")
            if child is None or not upn or upn.startswith("UN"):  # UN1-UN10: why it is unknown
                continue
            problem = upn_problem(upn)
            if problem:
                self.report.error(source.name, line, "UPN", problem)
            child.upn = upn

    def episodes_of(self, source: Source) -> None:
        for line, row in rows(source):
            child = self.child(row, source.name, line)
            start = self.date(row, "DECOM", source.name, line)
            end = self.date(row, "DEC", source.name, line)
            if child is None or start is None:
                if child is not None and not row.get("DECOM"):
                    self.report.error(source.name, line, "DECOM", "The episode's start is missing")
                continue
            legal_status = row.get("LS", "").strip()
            self.episodes.add(
                child,
                Episode(start, end, source.name, line, "DECOM", "DEC", legal_status, "LS"),
                self.report,
            )

    def reviews(self, source: Source) -> None:
        for line, row in rows(source):
            child = self.child(row, source.name, line)
            held = self.date(row, "REVIEW", source.name, line)
            code = row.get("REVIEW_CODE", "")
            if child is None or held is None:
                if code not in PARTICIPATION:
                    self.report.error(
                        source.name,
                        line,
                        "REVIEW_CODE",
                        f"{code!r} is not a participation code: PN0 to PN7",
                    )
                if child is not None and not row.get("REVIEW"):
                    self.report.error(source.name, line, "REVIEW", "The review's date is missing")
                continue
            self.episodes.review(
                child,
                held,
                code,
                self.report,
                file=source.name,
                line=line,
                date_field="REVIEW",
                code_field="REVIEW_CODE",
            )


def read(sources: Iterable[Source], *, as_of: dt.date, policy: Policy) -> tuple[Children, Report]:
    """The children of a set of SSDA903 tables and every problem found in them."""
    children, report = Children(), Report()
    reader = _Reader(children, report)
    by_table: dict[str, list[Source]] = {name: [] for name, _ in TABLES}
    for source in readable_csvs(sources, report):
        table = _table(columns(source))
        if table is None:
            report.error(
                source.name,
                "line 1",
                "columns",
                "This is not an SSDA903 table: its first line names no header (CHILD, DOB), "
                "episodes (CHILD, DECOM, DEC) or reviews (CHILD, DOB, REVIEW, REVIEW_CODE)",
            )
            continue
        by_table[table].append(source)
    for source in by_table["header"]:
        reader.header(source)
    for source in by_table["episodes"]:
        reader.episodes_of(source)
    reader.episodes.periods(children, report)
    for source in by_table["reviews"]:
        reader.reviews(source)
    check_children(children, report, as_of=as_of)
    return children, report
