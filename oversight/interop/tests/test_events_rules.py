"""The plain CSV of events: each rule on small hand-made files, and the template (no database)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from oversight.interop import events
from oversight.interop.tests.helpers import csv_file, read_events, reasons, source

COLUMNS = "child_ref,type,date,time,date_of_birth,outcome,meeting,on,categories,stage,accepted"


def test_it_reads_events_in_the_contracts_vocabulary(tmp_path: Path) -> None:
    children, report = read_events(
        csv_file(
            tmp_path,
            "events.csv",
            COLUMNS,
            "EV-7,strategy_discussion,2026-10-05,,2018-03-22,,,,,,",
            "EV-7,icpc,2026-10-22,10:15,,plan,,,neglect;sexual,,",
            "EV-7,meeting_booked,2026-10-22,,,,core_group,2026-11-02,,,",
            "EV-7,escalation_response,2026-11-09,,,,,,,2,false",
        )
    )
    assert report.problems == []
    (child,) = children
    assert child.date_of_birth == dt.date(2018, 3, 22)
    assert [(f.type, f.date.isoformat(), f.time, f.data) for f in child.facts] == [
        ("strategy_discussion", "2026-10-05", None, {}),
        (
            "icpc",
            "2026-10-22",
            dt.time(10, 15),
            {"outcome": "plan", "categories": ["neglect", "sexual"]},
        ),
        ("meeting_booked", "2026-10-22", None, {"meeting": "core_group", "on": "2026-11-02"}),
        ("escalation_response", "2026-11-09", None, {"stage": 2, "accepted": False}),
    ]


def test_each_wrong_cell_is_named(tmp_path: Path) -> None:
    _, report = read_events(
        csv_file(
            tmp_path,
            "events.csv",
            COLUMNS,
            "EV-8,icpc,2026-10-22,,2018-03-22,maybe,,,,,",  # not an outcome of an ICPC
            "EV-8,rcpc,2026-11-31,,,continue,,,,,",  # no 31 November
            "EV-8,meeting_booked,2026-10-22,,,,panel,,,,",  # not a meeting; no date booked
            "EV-8,core_group,2026-10-29,2pm,,plan,,,,,",  # a time not HH:MM; a core group has no outcome
            "EV-8,visit_to_the_zoo,2026-10-29,,,,,,,,",
            "EV-8,escalation_notice,2026-10-30,,,,,,,0,",
            "EV-8,icpc,2026-10-22,,,plan,,,neglect;harm,,",
            ",core_group,2026-10-29,,,,,,,,",
            "EV-8,core_group,,,,,,,,,",
        )
    )
    assert reasons(report) == [
        ("error", "line 2", "outcome", "'maybe' is not one of plan, no_plan"),
        ("error", "line 3", "date", "'2026-11-31' is not a date: write YYYY-MM-DD"),
        (
            "error",
            "line 4",
            "meeting",
            "'panel' is not one of icpc, rcpc, core_group, midway_review, lac_review, tac_meeting",
        ),
        ("error", "line 4", "on", "A meeting_booked needs its on"),
        ("error", "line 5", "time", "'2pm' is not a time: write HH:MM"),
        ("error", "line 5", "outcome", "A core_group has no outcome"),
        ("error", "line 7", "stage", "'0' is not a stage of the ladder: 1, 2, 3, …"),
        (
            "error",
            "line 8",
            "categories",
            "'harm' is not one of neglect, physical, emotional, sexual",
        ),
        ("error", "line 9", "child_ref", "The child's reference is missing"),
        ("error", "line 10", "date", "The event's date is missing"),
        (
            "error",
            "line 6",
            "type",
            "'visit_to_the_zoo' is not an event type of the timescales contract",
        ),
    ]


def test_a_file_without_the_columns_it_needs_or_with_one_it_does_not_know(tmp_path: Path) -> None:
    _, report = read_events(
        csv_file(tmp_path, "a.csv", "child,type,date", "EV-9,core_group,2026-10-29"),
        csv_file(tmp_path, "b.csv", "child_ref,type,date,colour", "EV-9,core_group,2026-10-29,red"),
    )
    assert reasons(report) == [
        (
            "error",
            "line 1",
            "columns",
            "An events file needs the columns child_ref, type, date; this one has no child_ref",
        ),
        (
            "error",
            "line 1",
            "child",
            "'child' is not a column of an events file (see the template)",
        ),
        (
            "error",
            "line 1",
            "colour",
            "'colour' is not a column of an events file (see the template)",
        ),
    ]


def test_the_template_reads_without_a_problem_and_names_every_column(tmp_path: Path) -> None:
    text = events.template()
    header = next(csv.reader(io.StringIO(text)))
    assert header[:3] == ["child_ref", "type", "date"]
    assert set(header) == set(events.COLUMNS)
    path = tmp_path / "template.csv"
    path.write_text(text)
    children, report = read_events(source(path))
    assert report.problems == []
    assert {c.reference: [f.type for f in c.facts] for c in children} == {
        "C000123": ["strategy_discussion", "icpc", "meeting_booked", "core_group"],
        "C000456": ["lac_start", "placement_start", "legal_status", "proceedings_start"],
    }
