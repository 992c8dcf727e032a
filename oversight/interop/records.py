"""The plain values a reader makes of a file: the children it holds and their chronology events,
with where each came from, and the checks every format shares.

Nothing here reads the database or the clock: "today" is the `as_of` the caller passes."""

from __future__ import annotations

import codecs
import csv
import dataclasses
import datetime as dt
import hashlib
import io
import operator
import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from oversight.cases.constants import EventType
from oversight.cases.formatting import sentence_day
from oversight.cases.rules import EventRecord, held_date_problem
from oversight.interop import department
from oversight.interop.problems import Report
from oversight.timescales.dates import due_date
from oversight.timescales.rules import Policy, parse_rule

# The event types of the timescales contract (`EventType.values` builds its list on every read).
EVENT_TYPES = frozenset(EventType.values)
# The longest council reference `cases.Child.reference` holds.
REFERENCE_LENGTH = 40
# The Department's CIN validator: an ICPC within 15 working days of the section 47 start (a
# warning when later; Working Together 2023, 4.36).
ICPC_WORKING_DAYS = 15
ICPC_WITHIN = f"{ICPC_WORKING_DAYS} working days"
# The rule parsed once: a census asks it of every enquiry.
_ICPC_RULE = parse_rule(ICPC_WITHIN)


# Where an import has got to: (stage, done, total), the stage "checking" (bytes of the files
# read) or "importing" (children written).
Progress = Callable[[str, int, int], None]


class Meter:
    """Counts the bytes an import's readers have read of all its files, and tells `progress`
    each time another hundredth of them is read (not on every read: a census has millions)."""

    def __init__(self, total: int, progress: Progress) -> None:
        self.total, self.progress = max(total, 1), progress
        self.done = 0
        self._next = 0

    def read(self, count: int) -> None:
        self.done += count
        if self.done >= self._next:
            self.progress("checking", min(self.done, self.total), self.total)
            self._next = self.done + self.total // 100


class _Counted(io.RawIOBase):
    """A file read through a `Meter`."""

    def __init__(self, raw: BinaryIO, meter: Meter) -> None:
        self.raw, self.meter = raw, meter

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self.raw.readinto(buffer)  # type: ignore[attr-defined]
        self.meter.read(count or 0)
        return int(count or 0)

    def close(self) -> None:
        self.raw.close()
        super().close()


@dataclass(frozen=True)
class Source:
    """One file of an import: the name the report uses and where it is; read through `meter`
    when the import reports its progress."""

    name: str
    path: Path
    meter: Meter | None = None

    def open(self) -> BinaryIO:
        """The file to read, counted by the meter if there is one."""
        raw = self.path.open("rb", buffering=0)
        if self.meter is None:
            return io.BufferedReader(raw, 1 << 16)  # type: ignore[return-value]
        return io.BufferedReader(_Counted(raw, self.meter), 1 << 16)  # type: ignore[return-value]

    def text(self) -> TextIO:
        """The file as UTF-8 text (a byte-order mark skipped), for the csv module."""
        return io.TextIOWrapper(self.open(), encoding="utf-8-sig", newline="")

    def sha256(self) -> str:
        digest = hashlib.sha256()
        with self.path.open("rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()


@dataclass
class Fact:
    """One chronology event of docs/spec/timescales.md, with the place in the file it came from."""

    type: str
    date: dt.date
    data: dict[str, Any]
    file: str
    where: str
    field: str
    # The time of day it happened (Europe/London), where the file gives one.
    time: dt.time | None = None
    # The event form's record of it, where the file gives its cells as the form's fields: the
    # form's rule judges it against the child's chronology (`actions.check_chronologies`).
    record: EventRecord | None = None

    @property
    def key(self) -> tuple[str, dt.date]:
        """What an event is matched on against the events Oversight holds (with the child)."""
        return (self.type, self.date)


# A `Fact`'s fields in order, as one tuple (`Fact(*fields)` makes it again).
_fact_fields = operator.attrgetter(*(f.name for f in dataclasses.fields(Fact)))


@dataclass(slots=True)
class Incoming:
    """A child as the files describe it, matched to Oversight's child on `reference`."""

    reference: str
    file: str
    where: str
    date_of_birth: dt.date | None = None
    expected_date_of_birth: dt.date | None = None
    upn: str = ""
    facts: list[Fact] = field(default_factory=list)
    keys: set[tuple[str, dt.date]] = field(default_factory=set)
    # Where the date of birth was read, for the report of a second, different one.
    born_at: tuple[str, str] = ("", "")
    # Where the child's first episode of care in the files continues a period of care begun
    # before it (`care.Episodes.periods`), which Oversight must hold: None when none does.
    continues_care: tuple[str, str] | None = None

    def add(self, fact: Fact) -> None:
        """Keep `fact` unless the child has an event of its type on its day already (a file may
        say the same thing twice, as the CIN census does of an ICPC)."""
        if fact.key not in self.keys:
            self.keys.add(fact.key)
            self.facts.append(fact)


@dataclass(frozen=True)
class Involvement:
    """A worker's involvement with a child (the Standard Safeguarding Dataset's
    `ssd_involvements`): an allocation of `role` (`cases.constants.Role`) to the member of
    Oversight's staff the file calls `professional`, from `start` until `end`."""

    reference: str
    role: str
    professional: str
    start: dt.date
    end: dt.date | None
    file: str
    where: str


class Spool:
    """The events of a file's children, written to a temporary file of this process as the file
    is checked and read back as the import writes them: the file is parsed once, and memory holds
    one child's events at a time whatever its size (a census: `cin.read`). Each record is a
    child's reference and the events one element of the file gave it, pickled (Oversight's own
    values, written and read by this process only, never a file's bytes)."""

    def __init__(self) -> None:
        # Removed when closed, or when the import's children are let go.
        self._file = tempfile.NamedTemporaryFile(prefix="oversight-import-", suffix=".spool")  # noqa: SIM115

    def add(self, reference: str, facts: list[Fact]) -> None:
        # Each event as the tuple of its fields: pickling a dataclass's instance goes through
        # `copyreg` in Python, and took a quarter of the time of checking a census.
        rows = [_fact_fields(f) for f in facts]
        pickle.dump((reference, rows), self._file.file, protocol=pickle.HIGHEST_PROTOCOL)

    def children(self, held: Children, repeated: set[str]) -> Iterator[Incoming]:
        """Each child of `held` once, with its events, in the order of the file; a child named by
        more than one element (`repeated`) at the end, with the events of them all (an event of
        a type on a day it has already kept once, as `Incoming.add` keeps it). Each reading opens
        the file afresh: two never share a position."""
        self._file.flush()
        aside: dict[str, Incoming] = {}
        with open(self._file.name, "rb", buffering=1 << 16) as stream:
            while True:
                try:
                    reference, rows = pickle.load(stream)  # noqa: S301 (this process's own)
                except EOFError:
                    break
                one = aside.get(reference) or dataclasses.replace(
                    held.by_reference[reference], facts=[], keys=set()
                )
                for row in rows:
                    one.add(Fact(*row))
                if reference in repeated:
                    aside[reference] = one
                else:
                    yield one
        yield from aside.values()


@dataclass
class Children:
    """The children of one import by reference, each once however many records name them."""

    by_reference: dict[str, Incoming] = field(default_factory=dict)
    # Gives each child with its events when `by_reference` holds the children without them (a
    # census is checked as a stream, its events kept aside in a `Spool`: `cin.read`).
    again: Callable[[], Iterator[Incoming]] | None = None
    # The workers' involvements with the children, written as allocations (`actions`).
    involvements: list[Involvement] = field(default_factory=list)

    def whole(self) -> Iterator[Incoming]:
        """Each child once, with its events: those held, or those kept aside."""
        return iter(self.by_reference.values()) if self.again is None else self.again()

    def get(self, reference: str, file: str, where: str) -> Incoming:
        child = self.by_reference.get(reference)
        if child is None:
            child = self.by_reference[reference] = Incoming(reference, file, where)
        return child

    def __iter__(self) -> Iterator[Incoming]:
        return iter(self.by_reference.values())

    def __len__(self) -> int:
        return len(self.by_reference)

    def born(
        self, child: Incoming, born: dt.date, report: Report, file: str, where: str, name: str
    ) -> None:
        """Record the child's date of birth; a second, different one is an error."""
        if child.date_of_birth is None:
            child.date_of_birth, child.born_at = born, (file, where)
        elif child.date_of_birth != born:
            first_file, first_where = child.born_at
            report.error(
                file,
                where,
                name,
                f"This child has two dates of birth: {sentence_day(born)} here and "
                f"{sentence_day(child.date_of_birth)} in {first_file}, {first_where}",
            )


def check_reference(reference: str, report: Report, file: str, where: str, name: str) -> bool:
    """A council reference is there and fits Oversight's column."""
    if not reference:
        report.error(file, where, name, "The child's reference is missing")
        return False
    if len(reference) > REFERENCE_LENGTH:
        report.error(
            file, where, name, f"The child's reference is longer than {REFERENCE_LENGTH} characters"
        )
        return False
    return True


def check_children(children: Children, report: Report, *, as_of: dt.date) -> None:
    """`check_child` on each child."""
    for child in children:
        check_child(child, report, as_of=as_of)


def check_child(child: Incoming, report: Report, *, as_of: dt.date) -> None:
    """The checks every format shares, on a child's events: an event type the contract knows,
    and the chronology's one rule for the date something happened (not in the future, not
    before the child's birth: `oversight.cases.rules.held_date_problem`, which the meeting
    rules' `check_held` and the event form ask too, in the words the pages use). Asked of the
    rule directly, not through a meeting record: a census asks it of millions of events."""
    born = child.date_of_birth
    for fact in child.facts:
        if fact.type not in EVENT_TYPES:
            report.error(
                fact.file,
                fact.where,
                fact.field,
                f"{fact.type!r} is not an event type of the timescales contract",
            )
            continue
        problem = held_date_problem(fact.date, born=born, today=as_of)
        if problem is not None:
            report.error(fact.file, fact.where, fact.field, problem)


def check_icpc_held(
    report: Report,
    policy: Policy,
    *,
    start: dt.date,
    icpc: dt.date,
    file: str,
    where: str,
    name: str,
) -> None:
    """An ICPC held `icpc` for the section 47 enquiry begun `start`: before it, an error; more than
    15 working days after it on Oversight's calendar, a warning (the fact is true, the practice
    late); on time by Oversight's calendar but late by the Department's validator's count
    (`department`), a warning that says so and that it is not late."""
    due = due_date(_ICPC_RULE, start, policy)
    if icpc < start:
        report.error(
            file,
            where,
            name,
            f"The ICPC ({sentence_day(icpc)}) cannot come before the section 47 enquiry began "
            f"({sentence_day(start)})",
        )
    elif icpc > due:
        report.warning(
            file,
            where,
            name,
            f"This child's ICPC was late: held {sentence_day(icpc)}, more than {ICPC_WITHIN} "
            f"after the section 47 enquiry began ({sentence_day(start)}; due by {sentence_day(due)})",
        )
    elif icpc > (theirs := department.due_by(start, ICPC_WORKING_DAYS)):
        report.warning(
            file,
            where,
            name,
            f"The Department's validator may query this; it is not late: held {sentence_day(icpc)}, "
            f"within {ICPC_WITHIN} of the section 47 enquiry's start ({sentence_day(start)}; due by "
            f"{sentence_day(due)}), but the validator counts a start on a weekend or bank holiday as a "
            "working day and knows no bank holidays after "
            f"{department.HOLIDAYS_KNOWN_UNTIL.year}, so takes {sentence_day(theirs)} as the last day",
        )


def rows(source: Source) -> Iterator[tuple[str, dict[str, str]]]:
    """Each row of a CSV file after its first line (the column names), with "line N" (the first
    line is line 1), cells stripped."""
    with source.text() as stream:
        reader = csv.DictReader(stream)
        for row in reader:
            yield (
                f"line {reader.line_num}",
                {k.strip(): (v or "").strip() for k, v in row.items() if k},
            )


def not_utf8(source: Source) -> str | None:
    """Where a CSV file stops being UTF-8 text ("line N"), or None: checked before it is read, so
    that a bad byte anywhere (past the upload's first bytes too) is a line of the report, never
    an error half way through the import."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    with source.path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                return f"line {line + block[: exc.start].count(b'\n')}"
            line += block.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return f"line {line}"
    return None


def readable_csvs(sources: Iterable[Source], report: Report) -> list[Source]:
    """The sources that are UTF-8 text; each other one is an error of the report."""
    kept = []
    for source in sources:
        where = not_utf8(source)
        if where is None:
            kept.append(source)
        else:
            report.error(source.name, where, "file", "This is not UTF-8 text: save it as CSV UTF-8")
    return kept


def columns(source: Source) -> set[str]:
    """The column names of a CSV file's first line."""
    with source.path.open(newline="", encoding="utf-8-sig") as stream:
        first = next(csv.reader(stream), [])
    return {name.strip() for name in first}
