"""A census is checked as it streams past, keeping only what rules across children need (each
child's reference, date of birth and where it was first named), its events set aside on disk
and given back as they are written, a batch at a time: the file is parsed once, and memory
follows the children, not their events."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from oversight.cases.models import Event
from oversight.interop.actions import run_import
from oversight.interop.tests.helpers import (
    THURSDAY_3_DECEMBER_2026,
    cin_children,
    episode,
    identifiers,
    plan,
    read_cin,
    reasons,
    section47,
    source,
)
from oversight.policies import resolve_policy

# A child of the benchmark's census: an enquiry, its ICPC, a plan and a review (four events).
CHILD = (
    "<Child><ChildIdentifiers><LAchildID>BX{n:07d}</LAchildID>"
    "<PersonBirthDate>2016-04-12</PersonBirthDate></ChildIdentifiers>"
    "<CINdetails><CINreferralDate>2026-01-05</CINreferralDate><Section47>"
    "<S47ActualStartDate>2026-01-12</S47ActualStartDate>"
    "<DateOfInitialCPC>2026-01-26</DateOfInitialCPC>"
    "<ICPCnotRequired>false</ICPCnotRequired></Section47><ChildProtectionPlans>"
    "<CPPstartDate>2026-01-26</CPPstartDate><InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>"
    "<Reviews><CPPreviewDate>2026-04-20</CPPreviewDate></Reviews>"
    "</ChildProtectionPlans></CINdetails></Child>"
)


def test_the_check_holds_no_events_and_the_second_read_gives_them_back(tmp_path: Path) -> None:
    census = cin_children(
        tmp_path,
        identifiers("DfEX3000001") + episode(section47("2026-06-01", not_required="true")),
        identifiers("DfEX3000002", born="2019-02-28")
        + episode(plan("2026-03-02", end="2026-09-07")),
    )
    children, report = read_cin(census)
    assert [
        (c.reference, c.date_of_birth and c.date_of_birth.isoformat(), c.facts) for c in children
    ] == [
        ("DfEX3000001", "2016-04-12", []),
        ("DfEX3000002", "2019-02-28", []),
    ]
    # The plan had no ICPC on its first day: one is imported, with a warning, once (the second
    # read reports nothing again).
    assert [p[0] for p in reasons(report)] == ["warning"]
    assert [
        (c.reference, [(f.type, f.date.isoformat(), f.where) for f in c.facts])
        for c in children.whole()
    ] == [
        (
            "DfEX3000001",
            [
                (
                    "strategy_discussion",
                    "2026-06-01",
                    "Message/Children/Child[1]/CINdetails[1]/Section47[1]/S47ActualStartDate",
                ),
                (
                    "icpc_not_required",
                    "2026-06-01",
                    "Message/Children/Child[1]/CINdetails[1]/Section47[1]/S47ActualStartDate",
                ),
            ],
        ),
        (
            "DfEX3000002",
            [
                (
                    "rcpc",
                    "2026-09-07",
                    "Message/Children/Child[2]/CINdetails[1]/ChildProtectionPlans[1]/CPPendDate",
                ),
                (
                    "icpc",
                    "2026-03-02",
                    "Message/Children/Child[2]/CINdetails[1]/ChildProtectionPlans[1]/CPPstartDate",
                ),
            ],
        ),
    ]


@pytest.mark.django_db
def test_a_child_named_twice_apart_is_imported_once_with_the_events_of_both(
    tmp_path: Path,
) -> None:
    census = cin_children(
        tmp_path,
        identifiers("DfEX3000001") + episode(section47("2026-02-02", not_required="true")),
        identifiers("DfEX3000002", born="2019-02-28")
        + episode(section47("2026-03-02", not_required="true")),
        # The first child again, two elements on, with a later enquiry.
        identifiers("DfEX3000001") + episode(section47("2026-06-01", not_required="true")),
    )
    summary, report = run_import(
        "cin",
        [census],
        acting_user=None,
        as_of=THURSDAY_3_DECEMBER_2026,
        policy=resolve_policy("england"),
    )
    assert reasons(report) == []
    assert (summary.imported, summary.children_added, summary.events_added) == (True, 2, 6)
    assert sorted(Event.objects.values_list("child__reference", "type", "date__month")) == [
        ("DfEX3000001", "icpc_not_required", 2),
        ("DfEX3000001", "icpc_not_required", 6),
        ("DfEX3000001", "strategy_discussion", 2),
        ("DfEX3000001", "strategy_discussion", 6),
        ("DfEX3000002", "icpc_not_required", 3),
        ("DfEX3000002", "strategy_discussion", 3),
    ]


def test_the_file_is_parsed_once_its_events_given_back_without_it(tmp_path: Path) -> None:
    census = cin_children(
        tmp_path, identifiers("DfEX3000001") + episode(section47("2026-06-01", not_required="true"))
    )
    children, report = read_cin(census)
    assert report.problems == []
    census.path.write_text("<Message><Children></Children></Message>")  # the file changed
    # The events are the first reading's, twice over: each reading of them starts afresh.
    for _ in range(2):
        assert [
            (c.reference, [(f.type, f.date.isoformat()) for f in c.facts]) for c in children.whole()
        ] == [
            (
                "DfEX3000001",
                [("strategy_discussion", "2026-06-01"), ("icpc_not_required", "2026-06-01")],
            )
        ]


def test_the_check_holds_under_a_kilobyte_a_child(tmp_path: Path) -> None:
    path = tmp_path / "large.xml"
    with path.open("w") as out:
        out.write("<Message><Children>")
        for n in range(4000):
            out.write(CHILD.format(n=n))
        out.write("</Children></Message>")
    read_cin(source(path))  # what the first read of a process loads (the calendars), untraced
    tracemalloc.start()
    try:
        children, report = read_cin(source(path))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (len(children), report.problems) == (4000, [])
    # Each child's events kept until the import was written took about 2.4 KB a child here (9.5
    # MB); the reference, dates of birth and where each child was named take about 0.75 KB.
    assert peak < 4000 * 1024
