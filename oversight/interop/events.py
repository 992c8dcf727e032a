"""Plain CSV of chronology events, for anything the returns do not hold: one event a line, in the
vocabulary of docs/spec/timescales.md.

Columns (the first line names them; only the first three are needed, in any order):

- `child_ref`: the council's reference of the child (matched on `cases.Child.reference`);
- `type`: an event type of the contract (`core_group`, `lac_review`, `meeting_booked`, …);
- `date`: `YYYY-MM-DD`; `time` (optional): `HH:MM`, Europe/London;
- `date_of_birth` (optional): `YYYY-MM-DD`, needed for a child new to Oversight (or
  `expected_date_of_birth` for an unborn child);
- the contract's extra fields, each in its own column, empty where a type has none (`FIELDS`,
  every field of every event type of the contract: a test reads the contract's tables):
  `outcome`, `meeting`, `on`, `action`, `due`, `owner`, `text`, `chair`, `concern`, `ladder`,
  `stage`, `accepted`, `respond_by`, `plan`, `adjourned`, `visit_interval`, `participation`,
  `categories` (the plan's categories of harm, separated by `;`), `route`, `reallocated`,
  `introduced`, `complaint`, `complainant_is`; and the event form's own fields, in its words:
  a placement's `placement_type`, `provider`, `place_provider` (the 903's `PR0` to `PR5`,
  optional), `distance`, `area` (`in`, `out`), `until_18` (`yes`, `no`), `legal_status` (a 903
  code), care proceedings' `court`, `case_number`, `outcome`, `guardian`, `how`, `notes` and
  `papers` (separated by `;`), a care plan's `visit_interval` (days or months), a court
  application's `applicant` and `order`.

Each type's fields are checked as the contract lists them (`FIELDS`): a missing one, a value
that is not one of its choices, a date that is not a date. The event form's events (`RULED`:
placements, a looked-after child's visit, a care plan's visits, a visit the child asked for,
legal status, care proceedings, a court application, a placement order,
bookings and actions) are judged too by the form's own rule, `cases.rules.event_problems`,
against the child's chronology in Oversight and in the file (`actions.check_chronologies`),
and their details written as the form writes them (`plain_event_data`). `template()` is the
downloadable template of the import page."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable
from typing import Any

from oversight.cases.constants import EventType
from oversight.cases.rules import EventRecord, plain_event_data
from oversight.interop.problems import Report
from oversight.interop.records import (
    EVENT_TYPES,
    Children,
    Fact,
    Source,
    check_children,
    check_reference,
    columns,
    readable_csvs,
    rows,
)
from oversight.meetings.constants import CATEGORIES
from oversight.timescales.rules import Policy, parse_rule

NEEDED = ("child_ref", "type", "date")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"\d{2}:\d{2}")
_MEETINGS = ("icpc", "rcpc", "core_group", "midway_review", "lac_review", "tac_meeting")
_CATEGORIES = tuple(code for code, _ in CATEGORIES)


def _date(text: str) -> str:
    if not _DATE.fullmatch(text):
        raise ValueError(f"{text!r} is not a date: write YYYY-MM-DD")
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date: write YYYY-MM-DD") from None
    return text


def _choice(*choices: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if text not in choices:
            raise ValueError(f"{text!r} is not one of {', '.join(choices)}")
        return text

    return parse


def _yes_no(text: str) -> bool:
    if text not in ("true", "false"):
        raise ValueError(f"{text!r} is not one of true, false")
    return text == "true"


def _stage(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"{text!r} is not a stage of the ladder: 1, 2, 3, …")
    return int(text)


def _rule(text: str) -> str:
    try:
        parse_rule(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a rule such as 10 working days or 14 days") from None
    return text


def _categories(text: str) -> list[str]:
    found = [part.strip() for part in text.split(";") if part.strip()]
    for part in found:
        if part not in _CATEGORIES:
            raise ValueError(f"{part!r} is not one of {', '.join(_CATEGORIES)}")
    return found


def _text(text: str) -> str:
    return text


def _miles(text: str) -> int:
    """A distance as the event form takes it (a whole number; below 0 is the rule's to refuse)."""
    try:
        return int(text)
    except ValueError:
        raise ValueError("Enter the distance as a whole number of miles, like 12") from None


def _list(text: str) -> tuple[str, ...]:
    """Several values of one cell, separated by `;` (which the rule then judges)."""
    return tuple(part.strip() for part in text.split(";") if part.strip())


# Each type's extra fields of the contract: field -> (needed, how its cell is read). A field of a
# column a type does not list is refused; `concern` and `ladder` go with every concern's events.
Field = tuple[bool, Callable[[str], Any]]
_CONCERN: dict[str, Field] = {"concern": (False, _text), "ladder": (False, _text)}
_PLACEMENT: dict[str, Field] = {
    "placement_type": (False, _text),
    "provider": (False, _text),
    "place_provider": (False, _text),
    "distance": (False, _miles),
    "area": (False, _text),
    "until_18": (False, _text),
}
FIELDS: dict[str, dict[str, Field]] = {
    "icpc": {
        "outcome": (True, _choice("plan", "no_plan")),
        "visit_interval": (False, _rule),
        "categories": (False, _categories),
    },
    "rcpc": {
        "outcome": (True, _choice("continue", "end")),
        "visit_interval": (False, _rule),
        "categories": (False, _categories),
    },
    "midway_review": {"outcome": (True, _choice("held", "not_needed"))},
    "lac_review": {
        "adjourned": (False, _yes_no),
        "participation": (False, _choice(*(f"PN{n}" for n in range(8)))),
    },
    "placement_order": {"plan": (True, _choice("adoption"))},
    "meeting_booked": {"meeting": (True, _choice(*_MEETINGS)), "on": (True, _date)},
    "action_set": {
        "action": (True, _text),
        "due": (True, _date),
        "owner": (False, _text),
        "text": (False, _text),
    },
    "action_done": {"action": (True, _text)},
    "consultation": {
        "outcome": (
            True,
            _choice("icpc", "tac", "more_information", "disagree_threshold", "advice"),
        )
    },
    "tac_meeting": {"chair": (True, _choice("iro", "other"))},
    "concern_raised": _CONCERN,
    "concern_response": {**_CONCERN, "accepted": (True, _yes_no)},
    "concern_warning": _CONCERN,
    "concern_resolved": _CONCERN,
    "escalation_notice": {**_CONCERN, "stage": (True, _stage), "respond_by": (False, _date)},
    "escalation_extended": {**_CONCERN, "stage": (True, _stage), "respond_by": (True, _date)},
    "escalation_response": {**_CONCERN, "stage": (True, _stage), "accepted": (True, _yes_no)},
    "cafcass_referral": _CONCERN,
    "legal_advice_sought": _CONCERN,
    "consultation_requested": {"owner": (False, _text), "route": (False, _text)},
    "iro_allocated": {"reallocated": (False, _yes_no)},
    "iro_handover": {"introduced": (False, _choice("yes", "no"))},
    "complaint_received": {
        "complaint": (False, _text),
        "complainant_is": (False, _choice("child", "on_behalf", "parent", "professional", "other")),
        "meeting": (False, _text),
        "owner": (False, _text),  # the first point of contact: a conference's chair
    },
    "complaint_acknowledged": {"complaint": (False, _text)},
    "complaint_response": {
        "complaint": (False, _text),
        "outcome": (False, _choice("upheld", "partly_upheld", "not_upheld")),
    },
    # The event form's events: each cell is the form's field of the same name, judged by the
    # form's own rule (`RULED`), the details written as the form writes them.
    "placement_start": _PLACEMENT,
    "placement_change": _PLACEMENT,
    "legal_status": {"legal_status": (False, _text)},
    "proceedings_start": {"court": (False, _text), "case_number": (False, _text)},
    "proceedings_end": {"outcome": (False, _text)},
    "guardian_appointed": {"guardian": (False, _text)},
    "guardian_liaison": {"how": (False, _text), "notes": (False, _text)},
    "legal_papers_seen": {"papers": (False, _list), "notes": (False, _text)},
    "care_plan_visits": {"visit_interval": (False, _text)},
    "court_application": {"applicant": (False, _text), "order": (False, _text)},
}
# The event types whose cells are the event form's fields, judged by the form's rule
# (`cases.rules.event_problems`) against the child's chronology (`actions.check_chronologies`)
# and written by its `plain_event_data`: the same bad input refused in the same words.
RULED = frozenset(
    {
        EventType.PLACEMENT_START,
        EventType.PLACEMENT_CHANGE,
        EventType.PLACEMENT_END,
        EventType.LAC_VISIT,
        EventType.CARE_PLAN_VISITS,
        EventType.VISIT_REQUESTED,
        EventType.COURT_APPLICATION,
        EventType.LEGAL_STATUS,
        EventType.PROCEEDINGS_START,
        EventType.PROCEEDINGS_END,
        EventType.GUARDIAN_APPOINTED,
        EventType.GUARDIAN_LIAISON,
        EventType.LEGAL_PAPERS_SEEN,
        EventType.PLACEMENT_ORDER,
        EventType.MEETING_BOOKED,
        EventType.ACTION_SET,
        EventType.ACTION_DONE,
    }
)
EXTRA = tuple(dict.fromkeys(name for fields in FIELDS.values() for name in fields))
COLUMNS = (*NEEDED, "time", "date_of_birth", "expected_date_of_birth", *EXTRA)
# The template's example lines: one child with a date of birth, a few events in the vocabulary.
_EXAMPLES = (
    {"child_ref": "C000123", "type": "strategy_discussion", "date": "2026-11-02"},
    {
        "child_ref": "C000123",
        "type": "icpc",
        "date": "2026-11-20",
        "date_of_birth": "2019-05-14",
        "outcome": "plan",
        "categories": "neglect;emotional",
    },
    {
        "child_ref": "C000123",
        "type": "meeting_booked",
        "date": "2026-11-20",
        "meeting": "core_group",
        "on": "2026-12-01",
    },
    {"child_ref": "C000123", "type": "core_group", "date": "2026-12-01", "time": "14:30"},
    {
        "child_ref": "C000456",
        "type": "lac_start",
        "date": "2026-09-01",
        "date_of_birth": "2014-02-11",
    },
    {
        "child_ref": "C000456",
        "type": "placement_start",
        "date": "2026-09-01",
        "placement_type": "foster",
        "provider": "Mrs A Hale",
        "place_provider": "PR1",
        "distance": "12",
        "area": "out",
        "until_18": "no",
    },
    {"child_ref": "C000456", "type": "legal_status", "date": "2026-09-01", "legal_status": "C1"},
    {
        "child_ref": "C000456",
        "type": "proceedings_start",
        "date": "2026-09-02",
        "court": "Family Court",
    },
)


def template() -> str:
    """The CSV template the import page offers: every column, and example lines."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(_EXAMPLES)
    return out.getvalue()


class _Reader:
    def __init__(self, children: Children, report: Report) -> None:
        self.children, self.report = children, report

    def day(self, row: dict[str, str], name: str, file: str, line: str) -> dt.date | None:
        text = row.get(name, "")
        if not text:
            return None
        try:
            return dt.date.fromisoformat(_date(text))
        except ValueError as exc:
            self.report.error(file, line, name, str(exc))
            return None

    def read(self, source: Source) -> None:
        found = columns(source)
        missing = [name for name in NEEDED if name not in found]
        unknown = sorted(found - set(COLUMNS))
        if missing or unknown:
            if missing:
                self.report.error(
                    source.name,
                    "line 1",
                    "columns",
                    f"An events file needs the columns {', '.join(NEEDED)}; this one has no "
                    f"{', '.join(missing)}",
                )
            for name in unknown:
                self.report.error(
                    source.name,
                    "line 1",
                    name,
                    f"{name!r} is not a column of an events file (see the template)",
                )
            return
        for line, row in rows(source):
            self.row(source.name, line, row)

    def row(self, file: str, line: str, row: dict[str, str]) -> None:
        reference = row.get("child_ref", "")
        if not check_reference(reference, self.report, file, line, "child_ref"):
            return
        child = self.children.get(reference, file, line)
        born = self.day(row, "date_of_birth", file, line)
        if born is not None:
            self.children.born(child, born, self.report, file, line, "date_of_birth")
        expected = self.day(row, "expected_date_of_birth", file, line)
        if expected is not None:
            child.expected_date_of_birth = expected
        kind = row.get("type", "")
        if not kind:
            self.report.error(file, line, "type", "The event's type is missing")
        when = self.day(row, "date", file, line)
        if when is None and not row.get("date"):
            self.report.error(file, line, "date", "The event's date is missing")
        time = self.time(row, file, line)
        data = self.data(kind, row, file, line)
        if kind and when is not None and data is not None:
            record = _record(kind, when, data) if kind in RULED else None
            if record is not None and kind not in _OWN_DATA:
                data = plain_event_data(record, owner="", existing={}, new_action="", periods=[])
            child.add(Fact(kind, when, data, file, line, "type", time=time, record=record))

    def time(self, row: dict[str, str], file: str, line: str) -> dt.time | None:
        text = row.get("time", "")
        if not text:
            return None
        try:
            if not _TIME.fullmatch(text):
                raise ValueError
            return dt.time.fromisoformat(text)
        except ValueError:
            self.report.error(file, line, "time", f"{text!r} is not a time: write HH:MM")
            return None

    def data(self, kind: str, row: dict[str, str], file: str, line: str) -> dict[str, Any] | None:
        """The event's extra fields, each checked; None when any is wrong (each reported)."""
        fields = FIELDS.get(kind, {})
        data: dict[str, Any] = {}
        ok = True
        for name in EXTRA:
            text = row.get(name, "")
            if name not in fields:
                if text and kind in EVENT_TYPES:
                    self.report.error(file, line, name, f"A {kind} has no {name}")
                    ok = False
                continue
            needed, parse = fields[name]
            if not text:
                if needed:
                    self.report.error(file, line, name, f"A {kind} needs its {name}")
                    ok = False
                continue
            try:
                data[name] = parse(text)
            except ValueError as exc:
                self.report.error(file, line, name, str(exc))
                ok = False
        return data if ok else None


# Ruled types whose details the file gives as the contract writes them (an action's own id).
_OWN_DATA = frozenset({EventType.MEETING_BOOKED, EventType.ACTION_SET, EventType.ACTION_DONE})


def _record(kind: str, when: dt.date, data: dict[str, Any]) -> EventRecord:
    """The event form's record of a row's cells."""
    fields: dict[str, Any] = {k: v for k, v in data.items() if k in _RECORD_FIELDS}
    for name in ("on", "due"):  # the contract writes a date as text; the form's is a date
        if name in fields:
            fields[name] = dt.date.fromisoformat(fields[name])
    return EventRecord(type=kind, date=when, **fields)


_RECORD_FIELDS = frozenset(f.name for f in dataclasses.fields(EventRecord)) - {"type", "date"}


def read(sources: Iterable[Source], *, as_of: dt.date, policy: Policy) -> tuple[Children, Report]:
    """The children of plain CSV events files and every problem found in them."""
    children, report = Children(), Report()
    reader = _Reader(children, report)
    for source in readable_csvs(sources, report):
        reader.read(source)
    check_children(children, report, as_of=as_of)
    return children, report
