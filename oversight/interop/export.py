"""The statutory returns out of Oversight's own data, for a collection year.

A collection year is named by the year it ends in: `--year 2027` is 1 April 2026 to 31 March 2027,
the census's `ReferenceDate` (as its `Header/CollectionDetails/Year` says 2027).

- `write_cin(year, out)`: the CIN census's child protection modules, as the reader (`cin`) reads
  them back: for each child with a section 47 enquiry begun, or a child protection plan open, in
  the year, `ChildIdentifiers` (`LAchildID`, the date or expected date of birth) and one
  `CINdetails` holding each `Section47` (`S47ActualStartDate` the strategy discussion,
  `InitialCPCtarget` 15 working days on Oversight's calendar, `DateOfInitialCPC` the first ICPC
  after it within the year, `ICPCnotRequired`) and each `ChildProtectionPlans` (the plans as the
  engine places them, `oversight.cases.chronology.periods`: start, end, the categories of abuse
  at the start and the latest, `NumberOfPreviousCPP` where an import kept it, and
  `Reviews/CPPreviewDate` each review conference that continued it). Oversight holds no referrals,
  assessments or CIN plans: `CINdetails` has no `CINreferralDate`, which the council's case
  management system's census supplies; the modules are the part of the census Oversight owns.
- `write_903_reviews(year, out)`: the SSDA903 reviews table (`CHILD`, `DOB`, `REVIEW`,
  `REVIEW_CODE`; `DD/MM/YYYY`) of every looked-after review held in the year (an adjourned review
  is not held), each cell through `cases.text.neutralised`.
- `write_903_episodes(year, out)`: the SSDA903 episodes table (`EPISODE_COLUMNS`) of every
  looked-after episode open at some time in the year (`cases.chronology.periods`), one row for
  each placement in it (`cases.chronology.placements`) and each change of legal status (the
  chronology's `legal_status` events, as `cases.proceedings` reads them): `DECOM` the episode's
  start (`RNE` `S`), the placement's (`P`), the legal status's (`L`) or both's (`B`), `DEC` the
  next row's start (`REC` `X1`) or the episode's end (`REC` the `lac_end`'s `reason`), `LS` the
  legal status in force, and the placement's details as the reader
  (`ssda903.placement_details`) reads them back: the 903's own where an import kept them
  (`place`, `urn`, `postcode`, `la`), else `PLACE` of the type recorded in the pages
  (`ssda903.PLACE_OF`), and `PLACE_PROVIDER` who provides it as the pages and the import both
  keep it (`place_provider`). Oversight holds no category of need or home postcode: `CIN` and
  `HOME_POST` are left for the council's case management system to supply. The 903 knows no looked-after child
  without a placement: a `placement_end` before the episode's end writes nothing, the row
  running on to the next placement or the episode's end.

Each streams: children are read `CHUNK` at a time with their events, and each child's XML is
written as soon as it is built. `write_return(kind, year, out, …)` is the command's and the
page's one way out: the return, and in the same transaction one audit row naming each child in
it (`audit.actions.record_return`). `Year.parse` reads a year as a person types it."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO, TextIO
from xml.etree.ElementTree import Element, SubElement, tostring

from django.db import transaction
from django.http import HttpRequest

from oversight.audit.actions import record_return
from oversight.cases.chronology import Period, Placement, periods, placements
from oversight.cases.constants import EventType
from oversight.cases.models import Child, Event
from oversight.cases.text import neutralised
from oversight.interop.cin import CATEGORIES
from oversight.interop.records import ICPC_WITHIN
from oversight.interop.ssda903 import PLACE_OF
from oversight.timescales.dates import due_date
from oversight.timescales.rules import Policy

CHUNK = 500
# The first census that held the child protection modules.
FIRST_YEAR = 2009
# Each return by the name the command and the page give it: what it is, its file's name and type.
RETURNS = {
    "cin": ("CIN census: the child protection modules (XML)", "cin-{year}.xml", "application/xml"),
    "903": ("SSDA903: the reviews table (CSV)", "ssda903-reviews-{year}.csv", "text/csv"),
    "903-episodes": (
        "SSDA903: the episodes table, with the placements (CSV)",
        "ssda903-episodes-{year}.csv",
        "text/csv",
    ),
}
# Oversight's categories of harm as the census codes them (several: MUL, multiple).
CODES = {name: code for code, name in CATEGORIES.items() if name}
REVIEW_COLUMNS = ("CHILD", "DOB", "REVIEW", "REVIEW_CODE")
EPISODE_COLUMNS = (
    "CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
    "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN", "PL_LA", "PL_LOCATION", "PL_DISTANCE",
)  # fmt: skip
_EPISODE_EVENTS = (
    EventType.LAC_START,
    EventType.LAC_END,
    EventType.PLACEMENT_START,
    EventType.PLACEMENT_CHANGE,
    EventType.PLACEMENT_END,
    EventType.LEGAL_STATUS,
)
_CP = (EventType.STRATEGY_DISCUSSION, EventType.ICPC, EventType.RCPC, EventType.ICPC_NOT_REQUIRED)


@dataclass(frozen=True)
class Year:
    """A collection year, 1 April to 31 March, named by the year it ends in."""

    year: int

    @classmethod
    def parse(cls, text: str) -> Year:
        """The collection year typed as `text` ("2027"); ValueError says what is wrong."""
        raw = text.strip()
        if not (raw.isdigit() and len(raw) == 4 and int(raw) >= FIRST_YEAR):
            raise ValueError(
                f"Enter a collection year such as 2027 (from {FIRST_YEAR}), by the year it ends in"
            )
        return cls(int(raw))

    @property
    def first(self) -> dt.date:
        return dt.date(self.year - 1, 4, 1)

    @property
    def last(self) -> dt.date:
        return dt.date(self.year, 3, 31)

    def holds(self, day: dt.date) -> bool:
        return self.first <= day <= self.last


def _chunks(children: Iterator[Child]) -> Iterator[list[Child]]:
    chunk: list[Child] = []
    for child in children:
        chunk.append(child)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _with_events(types: tuple[str, ...], year: Year) -> Iterator[tuple[Child, list[Event]]]:
    """Each child with an event of `types` up to the year's end, with all its events to then,
    oldest first, by reference."""
    ids = (
        Event.objects.filter(type__in=types, date__lte=year.last)
        .values_list("child_id", flat=True)
        .distinct()
    )
    children = Child.objects.filter(pk__in=ids).order_by("reference").iterator(chunk_size=CHUNK)
    for chunk in _chunks(children):
        events: dict[int, list[Event]] = {c.pk: [] for c in chunk}
        for event in Event.objects.filter(child__in=chunk, date__lte=year.last).order_by(
            "date", "time", "pk"
        ):
            events[event.child_id].append(event)
        for child in chunk:
            yield child, events[child.pk]


def _text(parent: Element, tag: str, value: object) -> None:
    SubElement(parent, tag).text = value.isoformat() if isinstance(value, dt.date) else str(value)


def _category(names: list[str]) -> str | None:
    codes = {CODES[n] for n in names if n in CODES}
    if not codes:
        return None
    return codes.pop() if len(codes) == 1 else "MUL"


def _child_element(child: Child, events: list[Event], year: Year, policy: Policy) -> Element | None:
    """The census's `Child` for the year, or None when the year holds none of its enquiries or
    plans."""
    details = Element("CINdetails")
    icpcs = [e for e in events if e.type == EventType.ICPC]
    starts = [e for e in events if e.type == EventType.STRATEGY_DISCUSSION]
    for n, start in enumerate(starts):
        if not year.holds(start.date):
            continue
        following = starts[n + 1].date if n + 1 < len(starts) else year.last
        section47 = SubElement(details, "Section47")
        _text(section47, "S47ActualStartDate", start.date)
        _text(section47, "InitialCPCtarget", due_date(ICPC_WITHIN, start.date, policy))
        held = next((e for e in icpcs if start.date <= e.date <= following), None)
        if held is not None:
            _text(section47, "DateOfInitialCPC", held.date)
        not_needed = any(
            e.type == EventType.ICPC_NOT_REQUIRED and e.date == start.date for e in events
        )
        _text(section47, "ICPCnotRequired", "true" if not_needed and held is None else "false")
    for plan in periods(events, policy, year.last):
        if plan.kind != "plan" or plan.start > year.last:
            continue
        if plan.end is not None and plan.end < year.first:
            continue
        began = next((e for e in icpcs if e.date == plan.start), None)
        element = SubElement(details, "ChildProtectionPlans")
        _text(element, "CPPstartDate", plan.start)
        if plan.end is not None:
            _text(element, "CPPendDate", plan.end)
        initial = _category(list((began.data if began else {}).get("categories") or []))
        latest = _category(plan.categories)
        if initial:
            _text(element, "InitialCategoryOfAbuse", initial)
        if latest:
            _text(element, "LatestCategoryOfAbuse", latest)
        previous = (began.data if began else {}).get("previous_plans")
        if isinstance(previous, int):
            _text(element, "NumberOfPreviousCPP", previous)
        reviews = [
            e.date
            for e in events
            if e.type == EventType.RCPC
            and e.data.get("outcome") == "continue"
            and plan.start < e.date
            and (plan.end is None or e.date < plan.end)
            and year.holds(e.date)
        ]
        if reviews:
            held_at = SubElement(element, "Reviews")
            for review in reviews:
                _text(held_at, "CPPreviewDate", review)
    if not len(details):
        return None
    element = Element("Child")
    identifiers = SubElement(element, "ChildIdentifiers")
    _text(identifiers, "LAchildID", child.reference)
    if child.date_of_birth is not None:
        _text(identifiers, "PersonBirthDate", child.date_of_birth)
    elif child.expected_date_of_delivery is not None:
        _text(identifiers, "ExpectedPersonBirthDate", child.expected_date_of_delivery)
    element.append(details)
    return element


def write_cin(year: Year, out: BinaryIO, *, policy: Policy, made_at: dt.datetime) -> list[Child]:
    """The census's child protection modules for `year` into `out` (UTF-8 XML); see the module."""
    out.write(
        b'<?xml version="1.0" encoding="utf-8"?>\n<Message><Header><CollectionDetails>'
        b"<Collection>CIN</Collection>"
        + f"<Year>{year.year}</Year><ReferenceDate>{year.last.isoformat()}</ReferenceDate>".encode()
        + b"</CollectionDetails><Source><SourceLevel>L</SourceLevel>"
        b"<SoftwareCode>Oversight</SoftwareCode>"
        + f"<DateTime>{made_at.replace(microsecond=0, tzinfo=None).isoformat()}</DateTime>".encode()
        + b"</Source></Header><Children>\n"
    )
    written: list[Child] = []
    for child, events in _with_events(_CP, year):
        element = _child_element(child, events, year, policy)
        if element is not None:
            out.write(tostring(element, encoding="utf-8", xml_declaration=False) + b"\n")
            written.append(child)
    out.write(b"</Children></Message>\n")
    return written


def _uk(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def write_903_reviews(year: Year, out: TextIO) -> list[Child]:
    """The SSDA903 reviews table for `year` into `out` (CSV); see the module."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(REVIEW_COLUMNS)
    written: list[Child] = []
    for child, events in _with_events((EventType.LAC_REVIEW,), year):
        held = [
            e
            for e in events
            if e.type == EventType.LAC_REVIEW and year.holds(e.date) and not e.data.get("adjourned")
        ]
        for review in held:
            born = _uk(child.date_of_birth) if child.date_of_birth else ""
            code = str(review.data.get("participation") or "")
            writer.writerow(
                [neutralised(c) for c in (child.reference, born, _uk(review.date), code)]
            )
        if held:
            written.append(child)
    return written


def _place(details: dict[str, Any]) -> str:
    """The 903's `PLACE` of a placement: the code an import kept, else that of its type."""
    kept = str(details.get("place") or "")
    if kept:
        return kept
    kind, long_term = str(details.get("placement_type") or ""), bool(details.get("until_18"))
    return PLACE_OF.get((kind, long_term)) or PLACE_OF.get((kind, False), "Z1")


def _placement_cells(details: dict[str, Any] | None) -> dict[str, str]:
    if details is None:
        return {}
    distance = details.get("distance")
    return {
        "PLACE": _place(details),
        "PLACE_PROVIDER": str(details.get("place_provider") or ""),
        "PL_POST": str(details.get("postcode") or ""),
        "URN": str(details.get("urn") or ""),
        "PL_LA": str(details.get("la") or ""),
        "PL_LOCATION": str(details.get("area") or "").upper(),
        "PL_DISTANCE": "" if distance is None else str(distance),
    }


def _episode_rows(
    episode: Period, placed: list[Placement], events: list[Event]
) -> Iterator[tuple[dt.date, dt.date | None, dict[str, str]]]:
    """The 903's rows of one episode, each with its start and end: one for each placement begun
    in it and each change of its legal status (see the module)."""

    def within(day: dt.date) -> bool:
        return episode.start <= day and (episode.end is None or day < episode.end)

    own = [p for p in placed if within(p.start)]
    statuses = [e for e in events if e.type == EventType.LEGAL_STATUS and within(e.date)]
    moves = {p.start for p in own if p.start > episode.start}
    changes = {e.date for e in statuses if e.date > episode.start}
    starts = [episode.start, *sorted(moves | changes)]
    ended = next((e for e in events if e.type == EventType.LAC_END and e.date == episode.end), None)
    for n, start in enumerate(starts):
        last = n + 1 == len(starts)
        end = episode.end if last else starts[n + 1]
        placement = next((p for p in reversed(own) if p.start <= start), None)
        details = placement.details if placement is not None else None
        status = next((e for e in reversed(statuses) if e.date <= start), None)
        moved = start in moves
        reason = str((ended.data if ended else {}).get("reason") or "") if last else "X1"
        yield start, end, {
            "DECOM": _uk(start),
            "RNE": "S" if n == 0 else {(True, True): "B", (True, False): "P"}.get(
                (moved, start in changes), "L"),
            "LS": str(status.data.get("legal_status") or "") if status else "",
            "DEC": _uk(end) if end is not None else "",
            "REC": reason if end is not None else "",
            "REASON_PLACE_CHANGE": str((details or {}).get("reason") or "") if moved else "",
            **_placement_cells(details),
        }  # fmt: skip


def write_903_episodes(year: Year, out: TextIO, *, policy: Policy) -> list[Child]:
    """The SSDA903 episodes table for `year` into `out` (CSV); see the module."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EPISODE_COLUMNS)
    written: list[Child] = []
    for child, events in _with_events((EventType.LAC_START,), year):
        mine = [e for e in events if e.type in _EPISODE_EVENTS]
        placed = placements(mine, policy, year.last)
        wrote = False
        for episode in periods(mine, policy, year.last):
            if episode.kind != "episode":
                continue
            for start, end, row in _episode_rows(episode, placed, mine):
                if start > year.last or (end is not None and end < year.first):
                    continue
                cells = {**row, "CHILD": child.reference}
                writer.writerow([neutralised(cells.get(c, "")) for c in EPISODE_COLUMNS])
                wrote = True
        if wrote:
            written.append(child)
    return written


def write_return(
    kind: str,
    year: Year,
    out: BinaryIO,
    *,
    policy: Policy,
    made_at: dt.datetime,
    user: Any,
    request: HttpRequest | None = None,
) -> list[Child]:
    """Return `kind` (a key of `RETURNS`) of `year` into `out`, and one audit row naming each
    child in it, in one transaction; the children written."""
    with transaction.atomic():
        if kind == "cin":
            children = write_cin(year, out, policy=policy, made_at=made_at)
        else:
            text = io.TextIOWrapper(out, encoding="utf-8", newline="")
            if kind == "903-episodes":
                children = write_903_episodes(year, text, policy=policy)
            else:
                children = write_903_reviews(year, text)
            text.flush()
            text.detach()
        record_return(children, what=f"export.{kind} {year.year}", user=user, request=request)
    return children
