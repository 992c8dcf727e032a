"""The SSDA903 return (looked-after children): its header, episodes and reviews tables, as CSV.

Each file is known by the columns of its first line:

- header (`CHILD`, `DOB`, optional `UPN`): the child's date of birth and UPN;
- episodes (`CHILD`, `DECOM`, `DEC`): episodes that follow on without a gap (one begins the day
  the last ended: a change of placement or legal status) are one period of care, which begins
  with a `lac_start` on its first `DECOM` and ends with a `lac_end` on its last `DEC`;
- reviews (`CHILD`, `DOB`, `REVIEW`, `REVIEW_CODE`): a `lac_review` on each `REVIEW`, its
  participation code (`PN0` to `PN7`) kept as `participation`.

Dates are `DD/MM/YYYY`. Every problem names the file's line (the first line, of the column
names, is line 1) and the column."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from oversight.cases.formatting import age_on
from oversight.interop.identifiers import upn_problem
from oversight.interop.problems import Report
from oversight.interop.records import (
    Children,
    Fact,
    Incoming,
    Source,
    check_children,
    check_reference,
    day,
)
from oversight.timescales.rules import Policy

# The participation codes of the 903 guidance: how the child took part in the review.
PARTICIPATION = {
    "PN0": "Child aged under 4 at the time of the review",
    "PN1": "Child physically attends and speaks for themselves",
    "PN2": "Child physically attends and an advocate speaks on their behalf",
    "PN3": "Child attends and conveys their view symbolically (non-verbally)",
    "PN4": "Child physically attends but does not speak for themselves",
    "PN5": "Child does not attend physically but briefs an advocate to speak for them",
    "PN6": "Child does not attend but conveys their feelings by a facilitative medium",
    "PN7": "Child does not attend nor are their views conveyed to the review",
}
# The tables, by the columns that name them, in the order they are read (a review is checked
# against the episodes, whatever order the files are given in).
TABLES: tuple[tuple[str, frozenset[str]], ...] = (
    ("header", frozenset({"CHILD", "DOB"})),
    ("episodes", frozenset({"CHILD", "DECOM", "DEC"})),
    ("reviews", frozenset({"CHILD", "DOB", "REVIEW", "REVIEW_CODE"})),
)
_DATE = re.compile(r"(\d{2})/(\d{2})/(\d{4})")


@dataclass
class _Episode:
    start: dt.date
    end: dt.date | None
    file: str
    line: str


def _table(columns: set[str]) -> str | None:
    """The table whose columns the file has (the most specific first)."""
    for name, needs in reversed(TABLES):
        if needs <= columns:
            return name
    return None


def _rows(source: Source) -> Iterator[tuple[str, dict[str, str]]]:
    with source.path.open(newline="", encoding="utf-8-sig") as stream:
        reader = csv.DictReader(stream)
        for row in reader:
            yield (
                f"line {reader.line_num}",
                {k.strip(): (v or "").strip() for k, v in row.items() if k},
            )


def _columns(source: Source) -> set[str]:
    with source.path.open(newline="", encoding="utf-8-sig") as stream:
        first = next(csv.reader(stream), [])
    return {name.strip() for name in first}


class _Reader:
    def __init__(self, children: Children, report: Report) -> None:
        self.children, self.report = children, report
        self.episodes: dict[str, list[_Episode]] = {}

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
        for line, row in _rows(source):
            child = self.child(row, source.name, line)
            upn = row.get("UPN", "")
            if child is None or not upn or upn.startswith("UN"):  # UN1-UN10: why it is unknown
                continue
            problem = upn_problem(upn)
            if problem:
                self.report.error(source.name, line, "UPN", problem)
            child.upn = upn

    def episodes_of(self, source: Source) -> None:
        for line, row in _rows(source):
            child = self.child(row, source.name, line)
            start = self.date(row, "DECOM", source.name, line)
            end = self.date(row, "DEC", source.name, line)
            if child is None or start is None:
                if child is not None and not row.get("DECOM"):
                    self.report.error(source.name, line, "DECOM", "The episode's start is missing")
                continue
            if end is not None and end < start:
                self.report.error(
                    source.name,
                    line,
                    "DEC",
                    f"The episode cannot end ({day(end)}) before it began ({day(start)})",
                )
                continue
            self.episodes.setdefault(child.reference, []).append(
                _Episode(start, end, source.name, line)
            )

    def periods(self) -> None:
        """Episodes that follow on are one period of care: a start and an end each."""
        for reference, episodes in self.episodes.items():
            child = self.children.by_reference[reference]
            episodes.sort(key=lambda e: e.start)
            previous: _Episode | None = None
            for episode in episodes:
                if previous is not None and (previous.end is None or episode.start < previous.end):
                    ended = day(previous.end) if previous.end else "it has no end"
                    self.report.error(
                        episode.file,
                        episode.line,
                        "DECOM",
                        f"This episode begins ({day(episode.start)}) before the one before it "
                        f"ended ({ended}, {previous.file}, {previous.line})",
                    )
                elif previous is None or episode.start != previous.end:
                    child.add(
                        Fact("lac_start", episode.start, {}, episode.file, episode.line, "DECOM")
                    )
                    if previous is not None and previous.end is not None:
                        child.add(
                            Fact("lac_end", previous.end, {}, previous.file, previous.line, "DEC")
                        )
                previous = episode
            if previous is not None and previous.end is not None:
                child.add(Fact("lac_end", previous.end, {}, previous.file, previous.line, "DEC"))

    def looked_after_on(self, reference: str, when: dt.date) -> bool | None:
        """Whether the child's episodes in these files cover `when` (None: no episodes given)."""
        episodes = self.episodes.get(reference)
        if not episodes:
            return None
        return any(e.start <= when and (e.end is None or when <= e.end) for e in episodes)

    def reviews(self, source: Source) -> None:
        for line, row in _rows(source):
            child = self.child(row, source.name, line)
            held = self.date(row, "REVIEW", source.name, line)
            code = row.get("REVIEW_CODE", "")
            if code not in PARTICIPATION:
                self.report.error(
                    source.name,
                    line,
                    "REVIEW_CODE",
                    f"{code!r} is not a participation code: PN0 to PN7",
                )
            if child is None or held is None:
                if child is not None and not row.get("REVIEW"):
                    self.report.error(source.name, line, "REVIEW", "The review's date is missing")
                continue
            born = child.date_of_birth
            if code == "PN0" and born is not None and age_on(born, held) >= 4:
                self.report.error(
                    source.name,
                    line,
                    "REVIEW_CODE",
                    f"PN0 is for a child under 4 at the review; this child was "
                    f"{age_on(born, held)} on {day(held)}",
                )
            if self.looked_after_on(child.reference, held) is False:
                self.report.error(
                    source.name,
                    line,
                    "REVIEW",
                    f"The child is not looked after on this date ({day(held)}): a looked-after "
                    "review belongs to an episode of care",
                )
            child.add(
                Fact("lac_review", held, {"participation": code}, source.name, line, "REVIEW")
            )


def read(sources: Iterable[Source], *, as_of: dt.date, policy: Policy) -> tuple[Children, Report]:
    """The children of a set of SSDA903 tables and every problem found in them."""
    children, report = Children(), Report()
    reader = _Reader(children, report)
    by_table: dict[str, list[Source]] = {name: [] for name, _ in TABLES}
    for source in sources:
        table = _table(_columns(source))
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
    reader.periods()
    for source in by_table["reviews"]:
        reader.reviews(source)
    check_children(children, report, as_of=as_of, policy=policy)
    return children, report
