"""The Children in Need census (XML): `Message/Children/Child` into children and their events.

What each part of a child becomes (docs/spec/timescales.md):

- `ChildIdentifiers`: the council's reference (`LAchildID`), the UPN, the date of birth or the
  expected date of birth;
- `Section47`: `S47ActualStartDate` a `strategy_discussion` (the meeting that starts the
  enquiry); `DateOfInitialCPC` an `icpc`; `ICPCnotRequired` true an `icpc_not_required` that day;
- `ChildProtectionPlans`: a plan begins at an ICPC with `outcome` `plan` on `CPPstartDate` (the
  ICPC recorded that day, or one imported for it), ends at an `rcpc` `end` on `CPPendDate`; each
  `CPPreviewDate` an `rcpc` `continue`, whether the census puts it under `Reviews` or directly
  under the plan (both layouts are in use).

The census holds no placements: a looked-after child's placements are the SSDA903's episodes
(`ssda903`), and nothing is read of them here.

The file is read as a stream (`iterparse`, each `Child` dropped once read), so a census of any
size takes the memory of one child's record and of what it holds. `read` checks the file and
keeps of each child only its reference, dates of birth and where it was first named (what rules
across children need), each child's events set aside in a temporary file (`records.Spool`); the
children's `whole()` gives them back, a child at a time, as the import writes them: the file is
parsed once. A file with a document type declaration or entities is refused before anything in
it is read (billion laughs, external entities): `defusedxml`'s parser reads the file up to its
root element, then the standard library's C parser reads all of it (`_Reader.read`). Every
problem names the element's path (`Child[2]/CINdetails[1]/...`)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any
from xml.etree.ElementTree import Element, ParseError
from xml.etree.ElementTree import iterparse as expat_iterparse

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse as defused_iterparse

from oversight.cases.formatting import sentence_day
from oversight.interop.identifiers import upn_problem
from oversight.interop.problems import Report
from oversight.interop.records import (
    Children,
    Fact,
    Incoming,
    Source,
    Spool,
    check_child,
    check_icpc_held,
    check_reference,
)
from oversight.timescales.rules import Policy


@dataclass(frozen=True)
class Tag:
    """One element of the census and the name Oversight reads it by, for the census years it
    holds in (the collection's `Header/CollectionDetails/Year`); a year that renames an element
    adds a row, never a branch of code. Checked against the Department's schemas of 2018 to 2022,
    which name these elements alike."""

    element: str
    name: str
    first_year: int = 2009
    last_year: int | None = None

    def holds_in(self, year: int | None) -> bool:
        if year is None:
            return self.last_year is None
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)


TAGS: tuple[Tag, ...] = (
    Tag("ChildIdentifiers", "identifiers"),
    Tag("LAchildID", "reference"),
    Tag("UPN", "upn"),
    Tag("FormerUPN", "former_upn"),
    Tag("UPNunknown", "upn_unknown"),
    Tag("PersonBirthDate", "date_of_birth"),
    Tag("ExpectedPersonBirthDate", "expected_date_of_birth"),
    Tag("CINdetails", "episode"),
    Tag("CINreferralDate", "referral"),
    Tag("CINclosureDate", "closure"),
    Tag("DateOfInitialCPC", "icpc"),
    Tag("Section47", "section47"),
    Tag("S47ActualStartDate", "s47_start"),
    Tag("ICPCnotRequired", "icpc_not_required"),
    Tag("ChildProtectionPlans", "plan"),
    Tag("CPPstartDate", "plan_start"),
    Tag("CPPendDate", "plan_end"),
    Tag("InitialCategoryOfAbuse", "initial_category"),
    Tag("LatestCategoryOfAbuse", "latest_category"),
    Tag("NumberOfPreviousCPP", "previous_plans"),
    Tag("Reviews", "reviews"),
    Tag("CPPreviewDate", "review"),
)

# The census's categories of abuse, and the plan categories of the conference pages
# (`meetings.constants.CATEGORIES`); MUL (multiple) names none of them.
CATEGORIES: dict[str, str | None] = {
    "NEG": "neglect",
    "PHY": "physical",
    "EMO": "emotional",
    "SAB": "sexual",
    "MUL": None,
}
# The census's yes/no values (its `yesnotype`).
YES_NO = {"true": True, "1": True, "false": False, "0": False}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@lru_cache(maxsize=4096)
def _day(text: str) -> dt.date | None:
    """The day a census's YYYY-MM-DD names, or None. Kept for the last few thousand texts: a
    census names the same few years' days for every child."""
    try:
        return dt.date.fromisoformat(text) if _DATE.fullmatch(text) else None
    except ValueError:
        return None


@cache
def _names(year: int | None) -> dict[str, tuple[str, ...]]:
    """Oversight's name -> the census's element names for it, for a census year (the same for
    every child of a file: worked out once)."""
    found: dict[str, tuple[str, ...]] = {}
    for tag in TAGS:
        if tag.holds_in(year):
            found[tag.name] = (*found.get(tag.name, ()), tag.element)
    return found


class _Child:
    """Reads one `Child` element (already complete: the stream has passed its end)."""

    def __init__(
        self, reader: _Reader, element: Element, path: str, names: dict[str, tuple[str, ...]]
    ) -> None:
        self.reader, self.element, self.path, self.names = reader, element, path, names
        self.file, self.report = reader.source.name, reader.report

    def elements(self, parent: Element, name: str) -> list[Element]:
        """The children of `parent` that Oversight calls `name`, in the file's order (found by
        the parser's own `findall`, a census asking millions of times)."""
        tags = self.names.get(name, ())
        if len(tags) == 1:
            return parent.findall(tags[0])
        return [e for e in parent if e.tag in tags]

    def parts(self, parent: Element, path: str, name: str) -> list[tuple[Element, str]]:
        """The children of `parent` that Oversight calls `name`, each with its path."""
        found = self.elements(parent, name)
        return [(e, f"{path}/{e.tag}[{n}]") for n, e in enumerate(found, start=1)]

    def first(self, parent: Element, name: str) -> Element | None:
        """The first child of `parent` that Oversight calls `name`."""
        tags = self.names.get(name, ())
        if len(tags) == 1:
            return parent.find(tags[0])
        return next((e for e in parent if e.tag in tags), None)

    def value(self, parent: Element, path: str, name: str) -> tuple[str, str, str] | None:
        """(text, path, element name) of the first child of `parent` called `name`."""
        element = self.first(parent, name)
        if element is None:
            return None
        return (element.text or "").strip(), f"{path}/{element.tag}", element.tag

    def date(self, parent: Element, path: str, name: str) -> tuple[dt.date, str, str] | None:
        """`parsed` of the first child of `parent` called `name` (None if there is none)."""
        element = self.first(parent, name)
        if element is None:
            return None
        tag = element.tag
        return self.parsed((element.text or "").strip(), f"{path}/{tag}", tag)

    def parsed(self, text: str, where: str, tag: str) -> tuple[dt.date, str, str] | None:
        """(date, path, element name) of a date element's text; None, reported, if no date."""
        day = _day(text)
        if day is None:
            self.report.error(
                self.file, where, tag, f"{text!r} is not a date: the census writes YYYY-MM-DD"
            )
            return None
        return day, where, tag

    def read(self) -> Incoming | None:
        """The child the element describes (None, reported, if it names none)."""
        identifiers = self.parts(self.element, self.path, "identifiers")
        if not identifiers:
            self.report.error(self.file, self.path, "ChildIdentifiers", "The child has none")
            return None
        ids, ids_path = identifiers[0]
        found = self.value(ids, ids_path, "reference")
        reference = found[0] if found else ""
        if not check_reference(
            reference, self.report, self.file, found[1] if found else ids_path, "LAchildID"
        ):
            return None
        if reference in self.reader.children.by_reference:
            self.reader.repeated.add(reference)
        child = self.reader.children.get(reference, self.file, self.path)
        upn = self.value(ids, ids_path, "upn")
        for name in ("upn", "former_upn"):
            found = self.value(ids, ids_path, name)
            problem = upn_problem(found[0]) if found is not None and found[0] else None
            if found is not None and problem:
                self.report.error(self.file, found[1], found[2], problem)
        if upn is not None and upn[0]:
            child.upn = upn[0]
            unknown = self.value(ids, ids_path, "upn_unknown")
            if unknown is not None and unknown[0]:
                self.report.error(
                    self.file,
                    unknown[1],
                    unknown[2],
                    f"{unknown[0]} says why the child has no UPN, yet a UPN is given",
                )
        born = self.date(ids, ids_path, "date_of_birth")
        if born is not None:
            self.reader.children.born(child, born[0], self.report, self.file, born[1], born[2])
        expected = self.date(ids, ids_path, "expected_date_of_birth")
        if expected is not None:
            child.expected_date_of_birth = expected[0]
        for episode, path in self.parts(self.element, self.path, "episode"):
            self.episode(child, episode, path)
        return child

    def fact(
        self, child: Incoming, type_: str, found: tuple[dt.date, str, str], **data: Any
    ) -> None:
        when, where, tag = found
        child.add(Fact(type_, when, data, self.file, where, tag))

    def episode(self, child: Incoming, episode: Element, path: str) -> None:
        """One `CINdetails`: its enquiries and plans, each date within the episode of need."""
        referral = self.date(episode, path, "referral")
        closure = self.date(episode, path, "closure")
        dates: list[tuple[dt.date, str, str]] = []
        icpcs: list[tuple[dt.date, str, str]] = []
        recorded = self.date(episode, path, "icpc")
        if recorded is not None:
            icpcs.append(recorded)
        for section47, s47_path in self.parts(episode, path, "section47"):
            icpcs += self.section47(child, section47, s47_path, dates)
        plan_starts: dict[dt.date, dict[str, Any]] = {}
        for plan, plan_path in self.parts(episode, path, "plan"):
            self.plan(child, plan, plan_path, dates, icpcs, plan_starts)
        for icpc in icpcs:
            dates.append(icpc)
            decided = plan_starts.get(icpc[0])
            data = decided if decided is not None else {"outcome": "no_plan"}
            self.fact(child, "icpc", icpc, **data)
        self.within(dates, referral, closure)

    def within(
        self,
        dates: Iterable[tuple[dt.date, str, str]],
        referral: tuple[dt.date, str, str] | None,
        closure: tuple[dt.date, str, str] | None,
    ) -> None:
        """Every date of an episode of need falls within it (the Department's validator refuses
        an enquiry, a conference or a plan before the referral or after the case closed)."""
        for when, where, tag in dict.fromkeys(dates):
            if referral is not None and when < referral[0]:
                self.report.error(
                    self.file,
                    where,
                    tag,
                    f"{sentence_day(when)} is before this episode's referral ({sentence_day(referral[0])})",
                )
            if closure is not None and when > closure[0]:
                self.report.error(
                    self.file,
                    where,
                    tag,
                    f"{sentence_day(when)} is after this episode closed ({sentence_day(closure[0])})",
                )

    def section47(
        self,
        child: Incoming,
        section47: Element,
        path: str,
        dates: list[tuple[dt.date, str, str]],
    ) -> list[tuple[dt.date, str, str]]:
        """One enquiry: its strategy discussion, and its ICPC (returned) or that none was
        needed. An ICPC later than 15 working days after the start is a warning."""
        start = self.date(section47, path, "s47_start")
        icpc = self.date(section47, path, "icpc")
        flag = self.value(section47, path, "icpc_not_required")
        not_required = False
        if flag is not None:
            text, where, tag = flag
            if text not in YES_NO:
                self.report.error(
                    self.file, where, tag, f"{text!r} is not a code here: true or false"
                )
            not_required = YES_NO.get(text, False)
        if start is None:
            if self.value(section47, path, "s47_start") is None:
                self.report.error(self.file, path, "S47ActualStartDate", "The start is missing")
            return [icpc] if icpc is not None else []
        dates.append(start)
        self.fact(child, "strategy_discussion", start)
        if not_required and icpc is not None:
            self.report.error(
                self.file,
                icpc[1],
                icpc[2],
                "ICPCnotRequired says no ICPC was needed, yet an ICPC date is given",
            )
        elif not_required:
            self.fact(child, "icpc_not_required", start)
        if icpc is None:
            return []
        check_icpc_held(
            self.report,
            self.reader.policy,
            start=start[0],
            icpc=icpc[0],
            file=self.file,
            where=icpc[1],
            name=icpc[2],
        )
        return [icpc]

    def category(self, plan: Element, path: str, name: str) -> list[str] | None:
        found = self.value(plan, path, name)
        if found is None or not found[0]:
            return []
        text, where, tag = found
        if text not in CATEGORIES:
            self.report.error(
                self.file,
                where,
                tag,
                f"{text!r} is not a category of abuse: {', '.join(CATEGORIES)}",
            )
            return None
        category = CATEGORIES[text]
        return [category] if category else []

    def plan(
        self,
        child: Incoming,
        plan: Element,
        path: str,
        dates: list[tuple[dt.date, str, str]],
        icpcs: list[tuple[dt.date, str, str]],
        plan_starts: dict[dt.date, dict[str, Any]],
    ) -> None:
        """One child protection plan: the ICPC that began it (`plan_starts`), its reviews, and
        its end. A review before the plan began or after it ended, or an end before the start,
        is an error."""
        start = self.date(plan, path, "plan_start")
        end = self.date(plan, path, "plan_end")
        initial = self.category(plan, path, "initial_category")
        latest = self.category(plan, path, "latest_category")
        previous = self.value(plan, path, "previous_plans")
        decided: dict[str, Any] = {"outcome": "plan"}
        if initial:
            decided["categories"] = initial
        if previous is not None and previous[0]:
            if previous[0].isdigit():
                decided["previous_plans"] = int(previous[0])
            else:
                self.report.error(
                    self.file, previous[1], previous[2], f"{previous[0]!r} is not a number"
                )
        # Review dates directly under the plan, or under its `Reviews`: both layouts are in use.
        reviews = []
        for holder, holder_path in [(plan, path), *self.parts(plan, path, "reviews")]:
            for element in self.elements(holder, "review"):
                text, where = (element.text or "").strip(), f"{holder_path}/{element.tag}"
                found = self.parsed(text, where, element.tag)
                if found is not None:
                    reviews.append(found)
        if start is None:
            if self.value(plan, path, "plan_start") is None:
                self.report.error(self.file, path, "CPPstartDate", "The plan's start is missing")
            return
        dates.append(start)
        plan_starts[start[0]] = decided
        if all(icpc[0] != start[0] for icpc in icpcs):
            icpcs.append(start)
            self.report.warning(
                self.file,
                start[1],
                start[2],
                f"No ICPC is recorded on the day this plan began ({sentence_day(start[0])}): it is "
                "imported as an ICPC that day, the decision that began the plan",
            )
        continuing: dict[str, Any] = {"outcome": "continue"}
        if latest:
            continuing["categories"] = latest
        if end is not None and end[0] < start[0]:
            self.report.error(
                self.file,
                end[1],
                end[2],
                f"The plan cannot end ({sentence_day(end[0])}) before it began ({sentence_day(start[0])})",
            )
            end = None
        for review in reviews:
            dates.append(review)
            if review[0] < start[0]:
                self.report.error(
                    self.file,
                    review[1],
                    review[2],
                    f"A review conference ({sentence_day(review[0])}) cannot come before its plan "
                    f"began ({sentence_day(start[0])})",
                )
            elif end is not None and review[0] > end[0]:
                self.report.error(
                    self.file,
                    review[1],
                    review[2],
                    f"A review conference ({sentence_day(review[0])}) cannot come after its plan "
                    f"ended ({sentence_day(end[0])})",
                )
            elif end is None or review[0] != end[0]:
                self.fact(child, "rcpc", review, **continuing)
        if end is not None:
            dates.append(end)
            self.fact(child, "rcpc", end, outcome="end")


class _Reader:
    def __init__(
        self,
        source: Source,
        children: Children,
        report: Report,
        policy: Policy,
        repeated: set[str],
    ) -> None:
        self.source, self.children, self.report, self.policy = source, children, report, policy
        # The references of more than one `Child` element (of any of the import's files).
        self.repeated = repeated

    def read(self) -> Iterator[Incoming | None]:
        """Stream the file: the header's year, then each `Child`, dropped once read and given
        as the child it describes."""
        stack: list[Element] = []
        year: int | None = None
        count = 0
        try:
            # A document type, and the entities only it can declare, come before the root
            # element: `defusedxml`'s parser, which refuses them, reads the file up to the root's
            # start; then the standard library's parser, whose handlers are C where defusedxml's
            # are Python (a census's million elements: half the time of parsing it), reads all of
            # it, in which no entity but XML's own can then be named (any other is a
            # well-formedness error, "undefined entity").
            with self.source.path.open("rb") as prolog:
                next(defused_iterparse(prolog, ("start",), forbid_dtd=True), None)
            with self.source.open() as stream:
                for event, element in expat_iterparse(stream, ("start", "end")):  # noqa: S314
                    if event == "start":
                        if not stack and element.tag != "Message":
                            self.report.error(
                                self.source.name,
                                element.tag,
                                element.tag,
                                f"This is not a CIN census: its root is {element.tag}, not Message",
                            )
                            return
                        stack.append(element)
                        continue
                    stack.pop()
                    if element.tag == "Year" and [e.tag for e in stack[-2:]] == [
                        "Header",
                        "CollectionDetails",
                    ]:
                        year = self.year(element)
                    elif element.tag == "Child" and stack and stack[-1].tag == "Children":
                        count += 1
                        path = f"Message/Children/Child[{count}]"
                        child = _Child(self, element, path, _names(year)).read()
                        stack[-1].remove(element)
                        yield child
        except DefusedXmlException as exc:
            self.report.error(
                self.source.name,
                "the file",
                "XML",
                "Refused: the file declares a document type or entities, which a census never "
                f"has and which can hide an attack such as billion laughs or an external entity "
                f"({exc})",
            )
        except ParseError as exc:
            line, column = exc.position
            self.report.error(
                self.source.name,
                f"line {line}, column {column}",
                "XML",
                f"This is not well-formed XML: {exc}",
            )

    def year(self, element: Element) -> int | None:
        text = (element.text or "").strip()
        if text.isdigit() and len(text) == 4:
            return int(text)
        self.report.error(
            self.source.name,
            "Message/Header/CollectionDetails/Year",
            "Year",
            f"{text!r} is not a census year (YYYY)",
        )
        return None


def read(sources: Iterable[Source], *, as_of: dt.date, policy: Policy) -> tuple[Children, Report]:
    """Every problem of CIN census files, and their children, checked as the files stream past:
    each child's events are checked once its `Child` element is read, then kept aside in a
    `records.Spool` (a temporary file), so that what memory holds is each child's reference, date
    of birth and where they were first named, whatever the size of the file. The children's
    `whole()` gives them back with their events, as they are written: the files are parsed
    once."""
    children, report, repeated = Children(), Report(), set[str]()
    spool = Spool()
    for source in sources:
        for child in _Reader(source, children, report, policy, repeated).read():
            if child is not None:
                check_child(child, report, as_of=as_of)
                spool.add(child.reference, child.facts)
                child.facts, child.keys = [], set()
    children.again = lambda: spool.children(children, repeated)
    return children, report
