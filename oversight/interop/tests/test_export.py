"""The returns out: `oversight export cin|903 --year YYYY`, a round trip through the importers
(import a file, export its year, read the export back: the same facts), the census's structure,
and the audit rows naming each child.

The shared samples carry no XSD of the Department's schema (../shared/samples/README.md), so the
exported census is checked for its structure here (the element names, their order and nesting
the census's child protection modules use, as the importer and the Department's samples read
them), not validated against the schema itself."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from defusedxml.ElementTree import fromstring
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from oversight.audit.models import AuditEntry
from oversight.cases.actions import record_event as record_event_action
from oversight.cases.constants import EventType
from oversight.cases.factories import make_child, record_event
from oversight.cases.models import Child
from oversight.cases.rules import EventRecord, placement_problems, plain_event_data
from oversight.interop.actions import run_import
from oversight.interop.records import Children, Source
from oversight.interop.tests.helpers import (
    THURSDAY_3_DECEMBER_2026,
    csv_file,
    data,
    read_903,
    read_cin,
    reasons,
    source,
)
from oversight.policies import resolve_policy

pytestmark = pytest.mark.django_db


def load(kind: str, *sources: Source) -> None:
    summary, report = run_import(
        kind,
        list(sources),
        acting_user=None,
        as_of=THURSDAY_3_DECEMBER_2026,
        policy=resolve_policy("england"),
    )
    assert summary.imported, report.problems


def export(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("export", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def facts(children: Children) -> dict[str, list[tuple[str, str, dict[str, object]]]]:
    return {
        c.reference: sorted((f.type, f.date.isoformat(), f.data) for f in c.facts)
        for c in children.whole()
    }


def test_a_census_imported_and_exported_gives_back_the_same_facts(tmp_path: Path) -> None:
    original, _ = read_cin(data("cin-2026.xml"))
    load("cin", data("cin-2026.xml"))
    written = tmp_path / "cin-2027.xml"
    _, said = export("cin", "--year", "2027", "--output", str(written))
    assert said == (
        "3 children in the CIN return for Wed 1 April 2026 to Wed 31 March 2027, written to "
        f"{written}.\n"
    )
    again, report = read_cin(source(written))
    # The one warning is the census's own: its ICPC held late (Oversight exports what happened).
    assert [p.reason[:30] for p in report.problems] == ["This child's ICPC was late: he"]
    assert facts(again) == facts(original)
    assert {(a.child_reference, a.what) for a in AuditEntry.objects.filter(action="export")} == {
        ("DfEX1000001", "export.cin 2027"),
        ("DfEX1000002", "export.cin 2027"),
        ("DfEX1000003", "export.cin 2027"),
    }


def test_the_census_has_the_modules_structure(tmp_path: Path) -> None:
    load("cin", data("cin-2026.xml"))
    out, _ = export("cin", "--year", "2027")
    message = fromstring(out)
    assert [e.tag for e in message] == ["Header", "Children"]
    assert message.findtext("Header/CollectionDetails/Collection") == "CIN"
    assert message.findtext("Header/CollectionDetails/Year") == "2027"
    assert message.findtext("Header/CollectionDetails/ReferenceDate") == "2027-03-31"
    first = message.find("Children/Child")
    assert first is not None
    assert [e.tag for e in first] == ["ChildIdentifiers", "CINdetails"]
    assert [e.tag for e in first.iter()][1:] == [
        "ChildIdentifiers",
        "LAchildID",
        "PersonBirthDate",
        "CINdetails",
        "Section47",
        "S47ActualStartDate",
        "InitialCPCtarget",
        "DateOfInitialCPC",
        "ICPCnotRequired",
        "ChildProtectionPlans",
        "CPPstartDate",
        "InitialCategoryOfAbuse",
        "LatestCategoryOfAbuse",
        "NumberOfPreviousCPP",
    ]
    # Mon 1 June 2026 + 15 working days (Oversight's calendar): Mon 22 June.
    assert first.findtext("CINdetails/Section47/InitialCPCtarget") == "2026-06-22"


def test_a_year_holds_only_its_own_enquiries_plans_and_reviews() -> None:
    load("cin", data("cin-reviews-under-plan.xml"))
    # 2025-26: the enquiry of Mon 16 February 2026 and the plan it began on Mon 2 March.
    earlier = fromstring(export("cin", "--year", "2026")[0])
    assert earlier.findtext(".//S47ActualStartDate") == "2026-02-16"
    assert earlier.findtext(".//CPPstartDate") == "2026-03-02"
    assert earlier.find(".//Reviews") is None
    # 2026-27: the plan still open, with its two reviews; the enquiry was last year's.
    later = fromstring(export("cin", "--year", "2027")[0])
    assert later.find(".//Section47") is None
    assert [e.text for e in later.iterfind(".//Reviews/CPPreviewDate")] == [
        "2026-06-01",
        "2026-11-30",
    ]
    assert later.findtext(".//InitialCategoryOfAbuse") == "EMO"
    assert later.findtext(".//LatestCategoryOfAbuse") == "PHY"
    assert later.findtext(".//NumberOfPreviousCPP") == "1"
    # 2027-28: the plan is still open, with no review held in the year yet.
    next_year = fromstring(export("cin", "--year", "2028")[0])
    assert next_year.findtext(".//CPPstartDate") == "2026-03-02"
    assert next_year.find(".//Reviews") is None
    # 2024-25, before any of it: no child.
    assert fromstring(export("cin", "--year", "2025")[0]).find(".//Child") is None


def test_the_903_reviews_go_out_as_they_came_in(tmp_path: Path) -> None:
    tables = [data("903-header.csv"), data("903-episodes.csv"), data("903-reviews.csv")]
    original, _ = read_903(data("903-reviews.csv"))
    load("903", *tables)
    # The reviews of Wed 28 January and Fri 27 March 2026 are in 2025-26, that of Mon 22 June
    # 2026 in 2026-27.
    before, said = export("903", "--year", "2026")
    assert said.startswith("2 children in the 903 return for Tue 1 April 2025 to Tue 31 March")
    after, said = export("903", "--year", "2027")
    assert said.startswith("1 child in the 903 return for Wed 1 April 2026")
    assert before.splitlines()[0] == after.splitlines()[0] == "CHILD,DOB,REVIEW,REVIEW_CODE"
    assert after.splitlines()[1:] == ["900001,12/03/2012,22/06/2026,PN4"]
    written = csv_file(tmp_path, "reviews.csv", *before.splitlines(), *after.splitlines()[1:])
    again, report = read_903(written)
    assert report.problems == []
    assert facts(again) == facts(original)


def test_the_903_episodes_and_their_placements_go_out_as_they_came_in(tmp_path: Path) -> None:
    tables = [data("903-header.csv"), data("903-episodes-placements.csv")]
    original, report = read_903(*tables)
    assert report.problems == []
    load("903", *tables)
    # 2026-27 holds both children: 900001's first placement ended Tue 16 June 2026, and 900002
    # ceased to be looked after Fri 31 July 2026 (a month's end).
    out, said = export("903-episodes", "--year", "2027")
    assert said.startswith("2 children in the 903-EPISODES return for Wed 1 April 2026")
    assert out.splitlines() == [
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,"
        "PL_POST,URN,PL_LA,PL_LOCATION,PL_DISTANCE",
        # The change of legal status alone on Mon 31 August 2026 (the summer bank holiday) is a
        # row of its own (RNE L), in the same placement.
        "900001,02/03/2026,S,C2,,U4,PR4,16/06/2026,X1,,,T28 2,,E09000033,OUT,23.5",
        "900001,16/06/2026,P,C2,,K2,PR4,31/08/2026,X1,CARPL,,WS1 3,SC123456,E08000030,IN,4",
        "900001,31/08/2026,L,C1,,K2,PR4,,,,,WS1 3,SC123456,E08000030,IN,4",
        "900002,05/01/2026,S,V2,,P1,PR0,31/07/2026,E4A,,,WS2 9,,E08000030,IN,0",
    ]
    again, report = read_903(data("903-header.csv"), csv_file(tmp_path, "e.csv", *out.splitlines()))
    assert report.problems == []
    assert facts(again) == facts(original)
    # 2025-26 holds each child's first placement only (the change came after 31 March 2026).
    before, _ = export("903-episodes", "--year", "2026")
    assert [line[:30] for line in before.splitlines()[1:]] == [
        "900001,02/03/2026,S,C2,,U4,PR4",
        "900002,05/01/2026,S,V2,,P1,PR0",
    ]


def test_a_placement_recorded_in_the_pages_goes_out_with_the_903_code_of_its_type() -> None:
    child = make_child(reference="900020")
    record_event(child, EventType.LAC_START, dt.date(2026, 12, 1))
    details: dict[str, Any] = {
        "placement_type": "connected_person",
        "provider": "Aunt",
        "area": "in",
    }
    # Long-term with a relative (U1), then short-term foster care (U6) 31 miles away.
    record_event(
        child,
        EventType.PLACEMENT_START,
        dt.date(2026, 12, 1),
        **details,
        until_18=True,
        distance=2,
    )
    record_event(
        child,
        EventType.PLACEMENT_CHANGE,
        dt.date(2026, 12, 2),
        **{**details, "placement_type": "foster", "until_18": False, "area": "out"},
    )
    out, _ = export("903-episodes", "--year", "2027")
    assert out.splitlines()[1:] == [
        "900020,01/12/2026,S,,,U1,,02/12/2026,X1,,,,,,IN,2",
        "900020,02/12/2026,P,,,U6,,,,,,,,,OUT,",
    ]


class _Undone(Exception):
    """Raised to undo what a block recorded: the database as empty as before it."""


def test_a_placement_recorded_through_the_pages_action_goes_out_and_comes_back_the_same(
    tmp_path: Path,
) -> None:
    """Who provides a placement recorded in the pages (`place_provider`) is the 903's
    PLACE_PROVIDER, as an import keeps it: exported, then imported into an empty Oversight, the
    placements hold the same facts, and exported again the return is the same."""
    placed = dt.date(2026, 11, 2)  # Mon 2 November 2026
    moved = dt.date(2026, 11, 16)  # Mon 16 November 2026

    def recorded(kind: str, day: dt.date, **fields: Any) -> None:
        # The event form's way: its record judged by the pages' rule, its details written by
        # `plain_event_data`, recorded by the pages' action.
        record = EventRecord(kind, day, **fields)
        assert placement_problems(record) == {}
        record_event_action(
            child,
            type=kind,
            date=day,
            data=plain_event_data(record, owner="", existing={}, new_action="", periods=[]),
            acting_user=None,
            as_of=THURSDAY_3_DECEMBER_2026,
        )

    kept = ("placement_type", "place_provider", "area", "until_18", "distance")
    with pytest.raises(_Undone), transaction.atomic():
        child = make_child(reference="900021", date_of_birth=dt.date(2013, 5, 14))
        record_event_action(
            child, type=EventType.LAC_START, date=placed, acting_user=None, as_of=placed
        )
        # Private foster carers out of the area, then the council's own children's home.
        recorded(
            EventType.PLACEMENT_START,
            placed,
            placement_type="foster",
            provider="Oak Lane foster carers",
            place_provider="PR4",
            area="out",
            until_18="no",
            distance=12,
        )
        recorded(
            EventType.PLACEMENT_CHANGE,
            moved,
            placement_type="residential",
            provider="Riverside House",
            place_provider="PR1",
            area="in",
            until_18="no",
        )
        in_the_pages = [
            (e.type, e.date, {k: e.data[k] for k in kept if k in e.data})
            for e in child.events.order_by("date", "pk")
        ]
        out, _ = export("903-episodes", "--year", "2027")
        raise _Undone
    assert not Child.objects.exists()  # an empty Oversight again
    assert out.splitlines()[1:] == [
        "900021,02/11/2026,S,,,U6,PR4,16/11/2026,X1,,,,,,OUT,12",
        "900021,16/11/2026,P,,,K2,PR1,,,,,,,,IN,",
    ]
    exported = csv_file(tmp_path, "episodes.csv", *out.splitlines())
    load("903", csv_file(tmp_path, "header.csv", "CHILD,DOB", "900021,14/05/2013"), exported)
    imported = Child.objects.get(reference="900021")
    assert [
        (e.type, e.date, {k: e.data[k] for k in kept if k in e.data})
        for e in imported.events.order_by("date", "pk")
    ] == in_the_pages
    again, _ = export("903-episodes", "--year", "2027")
    assert again == out


def test_a_cell_a_spreadsheet_would_run_is_neutralised(tmp_path: Path) -> None:
    load(
        "events",
        csv_file(
            tmp_path,
            "events.csv",
            "child_ref,type,date,date_of_birth,participation",
            "=HYPERLINK(1),lac_review,2026-05-11,2015-06-01,PN1",
        ),
    )
    out, _ = export("903", "--year", "2027")
    assert out.splitlines()[1] == "'=HYPERLINK(1),01/06/2015,11/05/2026,PN1"


EPISODES_IN = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,PL_LOCATION,DEC,REC"


def test_a_placement_begun_after_its_episode_comes_back_as_the_placement_begun(
    tmp_path: Path,
) -> None:
    tables = [
        csv_file(tmp_path, "header.csv", "CHILD,DOB", "900030,14/05/2019"),
        csv_file(
            tmp_path,
            "episodes.csv",
            EPISODES_IN,
            # Looked after from Mon 6 April 2026 with no placement given until Fri 10 April.
            "900030,06/04/2026,S,C1,N1,,,,10/04/2026,X1",
            "900030,10/04/2026,P,C1,N1,U4,PR4,IN,,",
        ),
    ]
    original, report = read_903(*tables)
    assert report.problems == []
    assert [(f.type, f.date.isoformat()) for f in next(iter(original)).facts] == [
        ("lac_start", "2026-04-06"),
        ("legal_status", "2026-04-06"),
        ("placement_start", "2026-04-10"),
    ]
    load("903", *tables)
    out, _ = export("903-episodes", "--year", "2027")
    # The first row, before the placement began, has no PLACE: read back, the second row's
    # placement is the one that began, not a change of placement.
    assert [line[:26] for line in out.splitlines()[1:]] == [
        "900030,06/04/2026,S,C1,,,,",
        "900030,10/04/2026,P,C1,,U4",
    ]
    again, report = read_903(tables[0], csv_file(tmp_path, "e.csv", *out.splitlines()))
    assert report.problems == []
    assert facts(again) == facts(original)


def test_a_year_exported_from_the_middle_of_a_period_of_care_reads_back_as_the_same_facts(
    tmp_path: Path,
) -> None:
    header = csv_file(tmp_path, "header.csv", "CHILD,DOB", "900031,14/05/2012")
    tables = [
        header,
        csv_file(
            tmp_path,
            "episodes.csv",
            EPISODES_IN,
            # Looked after since Thu 1 May 2025; on Sun 1 February 2026 a new placement and a
            # full care order (B); on Mon 1 June 2026 another placement (P), still open.
            "900031,01/05/2025,S,C1,N1,U4,PR4,IN,01/02/2026,X1",
            "900031,01/02/2026,B,C2,N1,K2,PR4,OUT,01/06/2026,X1",
            "900031,01/06/2026,P,C2,N1,U6,PR1,IN,,",
        ),
    ]
    original, report = read_903(*tables)
    assert report.problems == []
    load("903", *tables)
    # 2026-27 begins in the second episode: the period of care began the year before.
    out, _ = export("903-episodes", "--year", "2027")
    assert [line[:20] for line in out.splitlines()[1:]] == [
        "900031,01/02/2026,B,",
        "900031,01/06/2026,P,",
    ]
    exported = csv_file(tmp_path, "e.csv", *out.splitlines())
    again, report = read_903(header, exported)
    assert report.problems == []
    # Every fact read back is one the original held, and none of the year's is lost: no
    # period of care begun on 1 February, no placement begun then.
    (held,) = facts(original).values()
    (read,) = facts(again).values()
    assert read == [f for f in held if f[1] >= "2026-02-01"]
    # Imported again, it adds nothing; into an Oversight without the period's start, it is
    # refused, saying why.
    summary, report = run_import(
        "903",
        [header, exported],
        acting_user=None,
        as_of=THURSDAY_3_DECEMBER_2026,
        policy=resolve_policy("england"),
    )
    assert report.problems == [] and summary.imported and summary.events_added == 0


def test_a_later_years_episodes_into_an_oversight_without_their_start_are_refused(
    tmp_path: Path,
) -> None:
    summary, report = run_import(
        "903",
        [
            csv_file(tmp_path, "header.csv", "CHILD,DOB", "900032,14/05/2012"),
            csv_file(tmp_path, "e.csv", EPISODES_IN, "900032,01/06/2026,P,C2,N1,U6,PR1,IN,,"),
        ],
        acting_user=None,
        as_of=THURSDAY_3_DECEMBER_2026,
        policy=resolve_policy("england"),
    )
    assert not summary.imported
    assert reasons(report) == [
        (
            "error",
            "line 2",
            "RNE",
            "This child's first episode here continues a period of care begun before it, which "
            "Oversight does not hold: import the return that holds the period's start (RNE S) "
            "first",
        )
    ]


@pytest.mark.parametrize("year", ["27", "2008", "twenty"])
def test_a_year_that_is_not_a_collection_year_is_refused(year: str) -> None:
    with pytest.raises(CommandError, match="--year: Enter a collection year such as 2027"):
        export("cin", "--year", year)
